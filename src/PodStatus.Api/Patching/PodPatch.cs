using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.JsonPatch.SystemTextJson;
using Microsoft.AspNetCore.JsonPatch.SystemTextJson.Exceptions;
using Microsoft.AspNetCore.JsonPatch.SystemTextJson.Operations;
using Microsoft.Net.Http.Headers;
using PodStatus.Api.Errors;

namespace PodStatus.Api.Patching;

/// <summary>The patch formats kube-apiserver accepts for pods, chosen by Content-Type.</summary>
public enum PatchType
{
    /// <summary>RFC 6902, <c>application/json-patch+json</c>.</summary>
    Json,

    /// <summary>RFC 7386, <c>application/merge-patch+json</c>.</summary>
    Merge,

    /// <summary>Kubernetes' own, <c>application/strategic-merge-patch+json</c> (kubectl's default).</summary>
    StrategicMerge,
}

/// <summary>Applies a PATCH body to the JSON of the current pod.</summary>
public static class PodPatch
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

    /// <summary>A JSON patch is a list of operations; anything else fails to decode as upstream's does (<c>jsonpatch.DecodePatch</c>).</summary>
    private static void CheckIsList(byte[] patch)
    {
        var reader = new Utf8JsonReader(patch);
        var kind = reader.Read() ? reader.TokenType : JsonTokenType.None;
        var value = kind switch
        {
            JsonTokenType.StartObject => "object",
            JsonTokenType.String => "string",
            JsonTokenType.Number => "number",
            JsonTokenType.True or JsonTokenType.False => "bool",
            _ => null,
        };
        if (value is not null)
        {
            throw StatusErrors.BadRequest($"json: cannot unmarshal {value} into Go value of type jsonpatch.Patch").AsException();
        }
    }

    /// <summary>
    /// Returns the patched pod. A body that is not a patch of its type is 400; a JSON patch that cannot be applied
    /// (a failed test, a missing path) is 422, as upstream answers.
    /// </summary>
    public static JsonObject Apply(JsonObject pod, byte[] patch, PatchType type)
    {
        try
        {
            switch (type)
            {
                case PatchType.Json:
                    CheckIsList(patch);
                    var operations = JsonSerializer.Deserialize<JsonPatchDocument>(patch) ?? new JsonPatchDocument();
                    CheckOperations(operations.Operations);
                    operations.ApplyTo(pod);
                    return pod;
                case PatchType.Merge:
                    return MergePatch(pod, ParseObject(patch)) as JsonObject ?? new JsonObject();
                default:
                    return StrategicMergePatch.Apply(pod, ParseObject(patch), PatchSchema.Pod) ?? new JsonObject();
            }
        }
        catch (JsonException error)
        {
            throw StatusErrors.BadRequest($"error decoding patch: {error.Message}").AsException();
        }
        catch (Exception error) when (error is JsonPatchException or PatchException or InvalidOperationException)
        {
            throw StatusErrors.UnprocessableEntity(error.Message).AsException();
        }
    }

    /// <summary>
    /// The checks the library leaves out: it skips an unknown or missing <c>op</c> silently and fails with a null
    /// reference on a missing or root <c>path</c>, where upstream (evanphx/json-patch) refuses the patch.
    /// </summary>
    private static void CheckOperations(List<Operation> operations)
    {
        if (operations.Count > MaxJsonPatchOperations)
        {
            throw StatusErrors.RequestEntityTooLarge(
                $"The allowed maximum operations in a JSON patch is {MaxJsonPatchOperations}, got {operations.Count}").AsException();
        }

        foreach (var operation in operations)
        {
            var problem = operation.OperationType switch
            {
                _ when operation.op is null => "Unexpected kind: unknown",
                OperationType.Invalid => $"Unexpected kind: {operation.op}",
                _ when operation.path is null => $"{operation.op} operation failed to decode path: missing value",
                _ when IsRoot(operation.path) => $"{operation.op} operation does not apply: doc is missing path: \"{operation.path}\"",
                OperationType.Move or OperationType.Copy when operation.from is null =>
                    $"{operation.op} operation failed to decode from: missing value",
                OperationType.Move or OperationType.Copy when IsRoot(operation.from) =>
                    $"{operation.op} operation does not apply: doc is missing from path: {operation.from}",
                _ => null,
            };
            if (problem is not null)
            {
                throw new PatchException(problem);
            }
        }
    }

    /// <summary>The whole document, which a pod patch may not replace (the library cannot address it).</summary>
    private static bool IsRoot(string pointer) => pointer is "" or "/";

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

    private static JsonObject ParseObject(byte[] patch) =>
        JsonNode.Parse(patch) as JsonObject ?? throw new JsonException("the patch must be a JSON object");
}
