using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using PodStatus.Api.Errors;
using PodStatus.Api.Storage;

namespace PodStatus.Api.Registry;

/// <summary>
/// The opaque <c>continue</c> value of a partial list, shaped as upstream's: base64 of
/// <c>{"v":"meta.k8s.io/v1","rv":N,"start":"namespace/name\u0000"}</c> (<c>name\u0000</c> for a cluster-scoped
/// resource): the key to go on after. Every page reports the first page's revision.
/// </summary>
public sealed record ContinueToken(long ResourceVersion, ObjectKey After)
{
    public string Encode()
    {
        var json = new JsonObject
        {
            ["v"] = "meta.k8s.io/v1",
            ["rv"] = ResourceVersion,
            ["start"] = $"{After}\0",
        };
        return Convert.ToBase64String(Encoding.UTF8.GetBytes(json.ToJsonString()));
    }

    public static ContinueToken Parse(string token)
    {
        try
        {
            var json = JsonNode.Parse(Convert.FromBase64String(token))!;
            var start = ((string?)json["start"] ?? "").TrimEnd('\0');
            var slash = start.IndexOf('/');
            if ((string?)json["v"] != "meta.k8s.io/v1" || slash == 0 || start.Length == 0 || (long?)json["rv"] is not { } rv)
            {
                throw new FormatException("unexpected contents");
            }

            return new ContinueToken(rv, slash < 0 ? ObjectKey.Cluster(start) : new ObjectKey(start[..slash], start[(slash + 1)..]));
        }
        catch (Exception error) when (error is FormatException or JsonException or InvalidOperationException)
        {
            throw StatusErrors.BadRequest($"continue key is not valid: {error.Message}").AsException();
        }
    }
}
