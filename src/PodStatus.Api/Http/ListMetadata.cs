using System.Globalization;
using System.Text.Json;

namespace PodStatus.Api.Http;

/// <summary>The metadata of a PodList or Table: its revision and, for a partial list, how to go on.</summary>
public sealed record ListMetadata(long ResourceVersion, string? SelfLink = null, string? Continue = null, long? RemainingItemCount = null)
{
    public void Write(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        if (SelfLink is not null)
        {
            writer.WriteString("selfLink", SelfLink);
        }

        writer.WriteString("resourceVersion", ResourceVersion.ToString(CultureInfo.InvariantCulture));
        if (Continue is not null)
        {
            writer.WriteString("continue", Continue);
        }

        if (RemainingItemCount is { } remaining)
        {
            writer.WriteNumber("remainingItemCount", remaining);
        }

        writer.WriteEndObject();
    }
}
