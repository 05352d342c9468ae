using System.Text.Json;
using k8s.Models;
using PodStatus.Api.Errors;
using PodStatus.Api.Serialization;

namespace PodStatus.Api.Endpoints;

/// <summary>DeleteOptions come from the body when there is one, otherwise from the query, as upstream reads them.</summary>
internal static class DeleteOptionsReader
{
    public static async ValueTask<V1DeleteOptions> ReadAsync(HttpRequest request, long? gracePeriodSeconds, CancellationToken cancellationToken)
    {
        var options = await RequestBody.ReadAsync(request, json =>
        {
            if (json.IsEmpty)
            {
                return null;
            }

            try
            {
                var reader = new Utf8JsonReader(json);
                return JsonSerializer.Deserialize(ref reader, KubeJson.DeleteOptions);
            }
            catch (JsonException error)
            {
                throw StatusErrors.BadRequest($"DeleteOptions in version \"v1\" cannot be handled as a DeleteOptions: {error.Message}").AsException();
            }
        }, cancellationToken);

        return options ?? new V1DeleteOptions { GracePeriodSeconds = gracePeriodSeconds };
    }
}
