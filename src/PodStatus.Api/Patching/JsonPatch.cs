using System.Text.Json;
using System.Text.Json.Nodes;
using PodStatus.Api.Serialization;

namespace PodStatus.Api.Patching;

/// <summary>
/// RFC 6902 JSON patch as kube-apiserver applies it: gopkg.in/evanphx/json-patch.v4, with its semantics and its
/// words. They differ from the RFC, and from .NET's JSON patch library, where clients can tell: <c>replace</c> of a
/// missing object key adds it, negative array indices count from the end, a path without its leading slash names
/// a key of the document, <c>replace</c> of the whole document with an object swaps the document. Each failure is
/// a <see cref="PatchException"/> carrying evanphx's message (<c>...: missing value</c> and all), which upstream
/// sends as the cause of its 422.
/// </summary>
public static class JsonPatch
{
    private const string Missing = "missing value";
    private const string InvalidIndex = "invalid index referenced";

    /// <summary>Applies <paramref name="operations"/> (a JSON array, already decoded) to <paramref name="document"/>, in order.</summary>
    public static JsonNode Apply(JsonNode document, JsonArray operations)
    {
        foreach (var operation in operations)
        {
            var op = operation as JsonObject ?? [];
            document = Kind(op) switch
            {
                "add" => Add(document, op),
                "remove" => Remove(document, op),
                "replace" => Replace(document, op),
                "move" => Move(document, op),
                "test" => Test(document, op),
                "copy" => Copy(document, op),
                var kind => throw new PatchException($"Unexpected kind: {kind}"),
            };
        }

        return document;
    }

    private static JsonNode Add(JsonNode document, JsonObject op)
    {
        var path = Path(op, "path") ?? throw Fail("add operation failed to decode path", Missing);
        var (container, key) = FindObject(document, path);
        if (container is null)
        {
            throw Fail($"add operation does not apply: doc is missing path: \"{path}\"", Missing);
        }

        Wrap($"error in add for path: '{path}'", () => AddTo(container, key, Value(op)));
        return document;
    }

    private static JsonNode Remove(JsonNode document, JsonObject op)
    {
        var path = Path(op, "path") ?? throw Fail("remove operation failed to decode path", Missing);
        var (container, key) = FindObject(document, path);
        if (container is null)
        {
            throw Fail($"remove operation does not apply: doc is missing path: \"{path}\"", Missing);
        }

        Wrap($"error in remove for path: '{path}'", () => RemoveFrom(container, key));
        return document;
    }

    private static JsonNode Replace(JsonNode document, JsonObject op)
    {
        var path = PathOrFail(op, "path", "replace operation failed to decode path");
        if (path.Length == 0)
        {
            // The whole document: an object or array takes its place; anything else leaves it (evanphx wraps a nil error).
            var replacement = Value(op);
            return replacement is JsonObject or JsonArray ? replacement : document;
        }

        var (container, key) = FindObject(document, path);
        if (container is null)
        {
            throw Fail($"replace operation does not apply: doc is missing path: {path}", Missing);
        }

        if (!TryGet(container, key, out _, out _))
        {
            throw Fail($"replace operation does not apply: doc is missing key: {path}", Missing);
        }

        Wrap($"error in remove for path: '{path}'", () => SetIn(container, key, Value(op)));
        return document;
    }

    private static JsonNode Move(JsonNode document, JsonObject op)
    {
        var from = PathOrFail(op, "from", "move operation failed to decode from");
        var (source, fromKey) = FindObject(document, from);
        if (source is null)
        {
            throw Fail($"move operation does not apply: doc is missing from path: {from}", Missing);
        }

        var value = Wrap($"error in move for path: '{fromKey}'", () => Get(source, fromKey));
        Wrap($"error in move for path: '{fromKey}'", () => RemoveFrom(source, fromKey));
        var path = PathOrFail(op, "path", "move operation failed to decode path");
        var (target, key) = FindObject(document, path);
        if (target is null)
        {
            throw Fail($"move operation does not apply: doc is missing destination path: {path}", Missing);
        }

        Wrap($"error in move for path: '{path}'", () => AddTo(target, key, value));
        return document;
    }

    private static JsonNode Test(JsonNode document, JsonObject op)
    {
        var path = PathOrFail(op, "path", "test operation failed to decode path");
        var expected = Value(op);
        JsonNode? actual;
        if (path.Length == 0)
        {
            actual = document;
        }
        else
        {
            var (container, key) = FindObject(document, path);
            if (container is null)
            {
                throw Fail($"test operation does not apply: is missing path: {path}", Missing);
            }

            actual = Wrap($"error in test for path: '{path}'", () => Get(container, key));
        }

        return JsonNode.DeepEquals(actual, expected) ? document : throw Fail($"testing value {path} failed", "test failed");
    }

    private static JsonNode Copy(JsonNode document, JsonObject op)
    {
        var from = PathOrFail(op, "from", "copy operation failed to decode from");
        var (source, fromKey) = FindObject(document, from);
        if (source is null)
        {
            throw Fail($"copy operation does not apply: doc is missing from path: {from}", Missing);
        }

        var value = Wrap($"error in copy for from: '{from}'", () => Get(source, fromKey));
        var path = Path(op, "path") ?? throw Fail("copy operation failed to decode path", Missing);
        var (target, key) = FindObject(document, path);
        if (target is null)
        {
            throw Fail($"copy operation does not apply: doc is missing destination path: {path}", Missing);
        }

        Wrap("error while adding value during copy", () => AddTo(target, key, value?.DeepClone()));
        return document;
    }

    /// <summary>The <c>op</c> of an operation, or "unknown" when it is missing or not a string.</summary>
    private static string Kind(JsonObject op) =>
        op.TryGetPropertyValue("op", out var kind) && kind?.GetValueKind() == JsonValueKind.String ? kind.GetValue<string>() : "unknown";

    /// <summary>A path field; null when it is missing or not a string (every operation checks it before use).</summary>
    private static string? Path(JsonObject op, string field) =>
        op.TryGetPropertyValue(field, out var value) && value?.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;

    /// <summary>A path field for the operations that report why it does not decode.</summary>
    private static string PathOrFail(JsonObject op, string field, string context)
    {
        if (!op.TryGetPropertyValue(field, out var value) || value is null)
        {
            throw Fail(context, field == "from" ? $"operation, missing from field: {Missing}" : $"operation missing path field: {Missing}");
        }

        return value.GetValueKind() == JsonValueKind.String
            ? value.GetValue<string>()
            : throw Fail(context, $"json: cannot unmarshal {GoJsonTypes.KindOf(value.GetValueKind())} into Go value of type string");
    }

    /// <summary>The operation's value, copied so the patch can be applied without sharing nodes with it.</summary>
    private static JsonNode? Value(JsonObject op) => op.TryGetPropertyValue("value", out var value) ? value?.DeepClone() : null;

    /// <summary>
    /// evanphx's <c>findObject</c>: the container of the last segment of <paramref name="path"/>, walking every
    /// segment before it (split on "/", the first one dropped, so the leading slash is assumed); null when a
    /// segment is missing or not a container.
    /// </summary>
    private static (JsonNode? Container, string Key) FindObject(JsonNode document, string path)
    {
        var segments = path.Split('/');
        if (segments.Length < 2)
        {
            return (null, "");
        }

        var container = document;
        foreach (var segment in segments[1..^1])
        {
            if (!TryGet(container, Unescape(segment), out var next, out _) || next is not (JsonObject or JsonArray))
            {
                return (null, "");
            }

            container = next;
        }

        return (container, Unescape(segments[^1]));
    }

    private static string Unescape(string segment) => segment.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);

    /// <summary>Reads a key: an object's (a missing key reads as null, without error) or an array's index.</summary>
    private static bool TryGet(JsonNode container, string key, out JsonNode? value, out string error)
    {
        value = null;
        error = "";
        if (container is JsonObject map)
        {
            map.TryGetPropertyValue(key, out value);
            return true;
        }

        var list = (JsonArray)container;
        if (!TryIndex(key, list.Count, out var index, out error) || index >= list.Count)
        {
            error = error.Length > 0 ? error : IndexError(index);
            return false;
        }

        value = list[(int)index];
        return true;
    }

    private static JsonNode? Get(JsonNode container, string key) =>
        TryGet(container, key, out var value, out var error) ? value : throw new PatchException(error);

    private static void AddTo(JsonNode container, string key, JsonNode? value)
    {
        if (container is JsonObject map)
        {
            map[key] = value;
            return;
        }

        var list = (JsonArray)container;
        if (key == "-")
        {
            list.Add(value);
            return;
        }

        if (!GoStrconv.TryAtoi(key, out var index, out var error))
        {
            throw new PatchException($"value was not a proper array index: '{key}': {error}");
        }

        // The list as it will be, one longer: an index past its end, or before its start, is invalid.
        if (index >= list.Count + 1 || index < -(list.Count + 1))
        {
            throw new PatchException(IndexError(index));
        }

        list.Insert((int)(index < 0 ? index + list.Count + 1 : index), value);
    }

    private static void SetIn(JsonNode container, string key, JsonNode? value)
    {
        if (container is JsonObject map)
        {
            map[key] = value;
            return;
        }

        var list = (JsonArray)container;
        if (!TryIndex(key, list.Count, out var index, out var error))
        {
            throw new PatchException(error);
        }

        list[(int)index] = value;
    }

    private static void RemoveFrom(JsonNode container, string key)
    {
        if (container is JsonObject map)
        {
            if (!map.Remove(key))
            {
                throw new PatchException($"Unable to remove nonexistent key: {key}: {Missing}");
            }

            return;
        }

        var list = (JsonArray)container;
        if (!TryIndex(key, list.Count, out var index, out var error) || index >= list.Count)
        {
            throw new PatchException(error.Length > 0 ? error : IndexError(index));
        }

        list.RemoveAt((int)index);
    }

    /// <summary>An array index by <c>strconv.Atoi</c>; a negative one counts from the end (evanphx's default).</summary>
    private static bool TryIndex(string key, int count, out long index, out string error)
    {
        if (!GoStrconv.TryAtoi(key, out index, out error))
        {
            return false;
        }

        if (index < 0)
        {
            if (index < -count)
            {
                error = IndexError(index);
                return false;
            }

            index += count;
        }

        return true;
    }

    private static string IndexError(long index) => $"Unable to access invalid index: {index}: {InvalidIndex}";

    /// <summary><c>errors.Wrapf</c>: the context, then the cause.</summary>
    private static PatchException Fail(string context, string cause) => new($"{context}: {cause}");

    private static void Wrap(string context, Action action) => Wrap(context, () =>
    {
        action();
        return 0;
    });

    private static T Wrap<T>(string context, Func<T> action)
    {
        try
        {
            return action();
        }
        catch (PatchException error)
        {
            throw Fail(context, error.Message);
        }
    }
}
