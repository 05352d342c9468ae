using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using k8s;

namespace PodStatus.Api.Serialization;

/// <summary>
/// metav1.Time on the wire: RFC 3339 in UTC with whole seconds, which is how kube-apiserver writes every pod
/// timestamp (fractions are dropped, as upstream drops them). Reading takes the fast ISO 8601 path of
/// <see cref="Utf8JsonReader"/> and falls back to the client library's lenient parser for other forms.
/// </summary>
public sealed class Rfc3339TimeConverter : JsonConverter<DateTime>
{
    private static readonly KubernetesJson.KubernetesDateTimeConverter Lenient = new();

    public override DateTime Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TryGetDateTimeOffset(out var value) ? value.UtcDateTime : Lenient.Read(ref reader, typeToConvert, options);

    public override void Write(Utf8JsonWriter writer, DateTime value, JsonSerializerOptions options)
    {
        // The sortable format "s" is yyyy-MM-ddTHH:mm:ss, without fractions; UTC is marked with Z.
        Span<byte> text = stackalloc byte[20];
        var utc = value.Kind == DateTimeKind.Local ? value.ToUniversalTime() : value;
        utc.TryFormat(text, out var written, "s", CultureInfo.InvariantCulture);
        text[written++] = (byte)'Z';
        writer.WriteStringValue(text[..written]);
    }
}
