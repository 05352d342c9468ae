using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Net.Http.Headers;
using PodStatus.Api.Errors;
using PodStatus.Api.Serialization;

namespace PodStatus.Api.Patching;

/// <summary>The patch formats kube-apiserver accepts, chosen by Content-Type.</summary>
public enum PatchType
{
    /// <summary>RFC 6902, <c>application/json-patch+json</c>.</summary>
    Json,

    /// <summary>RFC 7386, <c>application/merge-patch+json</c>.</summary>
    Merge,

    /// <summary>Kubernetes' own, <c>application/strategic-merge-patch+json</c> (kubectl's default).</summary>
    StrategicMerge,
}

/// <summary>Applies a PATCH body to the JSON of the current object.</summary>
public static class Patches
{
    /// <summary>Upstream's cap on the operations of one JSON patch (<c>maxJSONPatchOperations</c>).</summary>
    public const int MaxJsonPatchOperations = 10000;

    public static readonly string[] AcceptedMediaTypes =
        ["application/json-patch+json", "application/merge-patch+json", "application/strategic-merge-patch+json"];

    /// <summary>The patch type a Content-Type names (parameters such as charset ignored); 415 otherwise.</summary>
    public static PatchType TypeOf(string? contentType)
    {
        var mediaType = MediaTypeHeaderValue.TryParse(contentType, out var parsed) ? parsed.MediaType.Value : null;
        return mediaType?.ToLowerInvariant() switch
        {
            "application/json-patch+json" => PatchType.Json,
            "application/merge-patch+json" => PatchType.Merge,
            "application/strategic-merge-patch+json" => PatchType.StrategicMerge,
            _ => throw StatusErrors.UnsupportedMediaType(AcceptedMediaTypes).AsException(),
        };
    }

    /// <summary>
    /// A JSON patch is a list of operation objects; anything else fails to decode as upstream's does
    /// (<c>jsonpatch.DecodePatch</c>, a <c>[]map[string]*json.RawMessage</c>), with Go's message. Upstream allows
    /// at most 10,000 operations (413).
    /// </summary>
    private static JsonArray ParseOperations(byte[] patch)
    {
        var root = JsonNode.Parse(patch, documentOptions: KubeJson.DocumentOptions);
        var operations = root switch
        {
            null => [],
            JsonArray list => list,
            _ => throw StatusErrors.BadRequest($"json: cannot unmarshal {KindOf(root)} into Go value of type jsonpatch.Patch").AsException(),
        };
        if (operations.FirstOrDefault(op => op is not (JsonObject or null)) is { } wrong)
        {
            throw StatusErrors.BadRequest($"json: cannot unmarshal {KindOf(wrong)} into Go value of type jsonpatch.Operation").AsException();
        }

        if (operations.Count > MaxJsonPatchOperations)
        {
            throw StatusErrors.RequestEntityTooLarge(
                $"The allowed maximum operations in a JSON patch is {MaxJsonPatchOperations}, got {operations.Count}").AsException();
        }

        return operations;
    }

    /// <summary>
    /// Returns the patched object; a strategic merge follows <paramref name="schema"/>, the kind's patch strategies. A
    /// body that is not a patch of its type is 400; a JSON patch that cannot be applied (a failed test, a missing
    /// path) is 422, as upstream answers.
    /// </summary>
    public static JsonNode Apply(JsonObject current, byte[] patch, PatchType type, PatchSchema schema)
    {
        try
        {
            return type switch
            {
                PatchType.Json => JsonPatch.Apply(current, ParseOperations(patch)),
                PatchType.Merge => MergePatch(current, ParseObject(patch, type)) ?? new JsonObject(),
                _ => StrategicMergePatch.Apply(current, ParseObject(patch, type), schema) ?? new JsonObject(),
            };
        }
        catch (JsonException error)
        {
            throw StatusErrors.BadRequest(DecodeFailure(patch, type, error)).AsException();
        }
        catch (PatchException error)
        {
            throw StatusErrors.UnprocessableEntity(error.Message).AsException();
        }
    }

    /// <summary>RFC 7386: objects merge, <c>null</c> removes, anything else replaces.</summary>
    private static JsonNode? MergePatch(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject patchMap)
        {
            return patch?.DeepClone();
        }

        var result = target as JsonObject ?? new JsonObject();
        foreach (var (key, value) in patchMap)
        {
            if (value is null)
            {
                result.Remove(key);
                continue;
            }

            var merged = MergePatch(result[key], value);
            if (!ReferenceEquals(merged, result[key]))
            {
                result[key] = merged;
            }
        }

        return result;
    }

    /// <summary>
    /// Why a patch does not decode, in upstream's words: Go's syntax error for JSON and strategic merge patches
    /// (decoded with <c>json.Unmarshal</c>), evanphx's <c>Invalid JSON Patch</c> for a merge patch.
    /// </summary>
    private static string DecodeFailure(byte[] patch, PatchType type, JsonException error) =>
        GoJsonSyntax.FindError(patch, KubeJson.Options.MaxDepth) is { } syntax
            ? type == PatchType.Merge ? "Invalid JSON Patch" : syntax
            : error.Message;

    /// <summary>
    /// A strategic merge patch must be an object (Go's message when not); a merge patch of <c>null</c> is evanphx's
    /// <c>Invalid JSON Patch</c>. A merge patch of another value is refused here; upstream puts it in the object's
    /// place, which then fails to decode.
    /// </summary>
    private static JsonObject ParseObject(byte[] patch, PatchType type) => JsonNode.Parse(patch, documentOptions: KubeJson.DocumentOptions) switch
    {
        JsonObject map => map,
        null when type == PatchType.Merge => throw new JsonException("Invalid JSON Patch"),
        { } other when type == PatchType.StrategicMerge =>
            throw new JsonException($"json: cannot unmarshal {KindOf(other)} into Go value of type map[string]interface {{}}"),
        _ => throw new JsonException("the patch must be a JSON object"),
    };

    private static string KindOf(JsonNode node) => GoJsonTypes.KindOf(node.GetValueKind());
}
