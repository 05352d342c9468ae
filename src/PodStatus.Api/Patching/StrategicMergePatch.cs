using System.Text.Json.Nodes;

namespace PodStatus.Api.Patching;

/// <summary>
/// Kubernetes strategic merge patch (apimachinery <c>strategicpatch</c>): maps merge, <c>null</c> deletes,
/// lists merge by their key or as sets where the kind's schema says so, and the directives kubectl and the kubelet send
/// (<c>$patch: replace|delete|merge</c>, <c>$retainKeys</c>, <c>$setElementOrder/</c>, <c>$deleteFromPrimitiveList/</c>)
/// are honoured. Written here because no maintained .NET library implements it.
/// </summary>
public static class StrategicMergePatch
{
    private const string Directive = "$patch";
    private const string RetainKeys = "$retainKeys";
    private const string SetElementOrder = "$setElementOrder/";
    private const string DeleteFromPrimitiveList = "$deleteFromPrimitiveList/";

    /// <summary>Applies <paramref name="patch"/> to <paramref name="original"/>, which it changes.</summary>
    public static JsonObject? Apply(JsonObject original, JsonObject patch, PatchSchema schema)
    {
        switch ((string?)patch[Directive])
        {
            case "replace":
                return WithoutDirectives(patch);
            case "delete":
                return null;
            case null or "merge":
                break;
            default:
                throw new PatchException($"unknown patch type: {patch[Directive]}");
        }

        if (patch[RetainKeys] is JsonArray retain)
        {
            var kept = retain.Select(k => (string?)k).ToHashSet();
            foreach (var key in original.Select(p => p.Key).Where(k => !kept.Contains(k)).ToList())
            {
                original.Remove(key);
            }
        }

        var orders = new List<(string Field, JsonArray Order)>();
        foreach (var (key, value) in patch.ToList())
        {
            if (key.StartsWith(SetElementOrder, StringComparison.Ordinal))
            {
                orders.Add((key[SetElementOrder.Length..], value as JsonArray ?? throw new PatchException($"{key} must be a list")));
            }
            else if (key.StartsWith(DeleteFromPrimitiveList, StringComparison.Ordinal))
            {
                var field = key[DeleteFromPrimitiveList.Length..];
                if (original[field] is JsonArray values && value is JsonArray removed)
                {
                    foreach (var item in values.Where(v => removed.Any(r => JsonNode.DeepEquals(r, v))).ToList())
                    {
                        values.Remove(item);
                    }
                }
            }
            else if (key is not (Directive or RetainKeys))
            {
                MergeField(original, key, value, schema.Field(key));
            }
        }

        foreach (var (field, order) in orders)
        {
            if (original[field] is JsonArray list)
            {
                original[field] = Ordered(list, order, schema.Field(field).MergeKey);
            }
        }

        return original;
    }

    private static void MergeField(JsonObject original, string key, JsonNode? value, PatchSchema schema)
    {
        if (value is null)
        {
            original.Remove(key);
            return;
        }

        var current = original[key];
        JsonNode? merged = (value, current) switch
        {
            (JsonObject patchMap, JsonObject currentMap) => Apply(currentMap, patchMap, schema),
            (JsonArray patchList, JsonArray currentList) when schema.MergeKey is not null => MergeList(currentList, patchList, schema),
            (JsonArray patchList, JsonArray currentList) when schema.MergesAsSet => Union(currentList, patchList),
            (JsonObject patchMap, _) => Apply(new JsonObject(), patchMap, schema),
            (JsonArray patchList, _) when schema.MergeKey is not null => MergeList(new JsonArray(), patchList, schema),
            _ => value.DeepClone(),
        };
        if (merged is null)
        {
            original.Remove(key);
        }
        else if (!ReferenceEquals(merged, current))
        {
            original[key] = merged;
        }
    }

    /// <summary>Lists with a merge key: elements with the same key merge, <c>$patch: delete</c> removes, new ones append.</summary>
    private static JsonArray MergeList(JsonArray original, JsonArray patch, PatchSchema schema)
    {
        var key = schema.MergeKey!;
        if (patch.OfType<JsonObject>().Any(e => (string?)e[Directive] == "replace"))
        {
            return new JsonArray(patch.OfType<JsonObject>().Where(e => (string?)e[Directive] != "replace").Select(e => (JsonNode?)WithoutDirectives(e)).ToArray());
        }

        var itemSchema = new PatchSchema(Fields: schema.Fields);
        foreach (var element in patch)
        {
            if (element is not JsonObject patchItem)
            {
                throw new PatchException($"a list merged by {key} holds objects, not {element?.GetValueKind().ToString() ?? "null"}");
            }

            var match = original.OfType<JsonObject>().FirstOrDefault(o => JsonNode.DeepEquals(o[key], patchItem[key]));
            if ((string?)patchItem[Directive] == "delete")
            {
                if (match is not null)
                {
                    original.Remove(match);
                }
            }
            else if (match is not null)
            {
                Apply(match, patchItem, itemSchema);
            }
            else
            {
                original.Add((JsonNode)WithoutDirectives(patchItem));
            }
        }

        return original;
    }

    private static JsonArray Union(JsonArray original, JsonArray patch)
    {
        foreach (var value in patch.Where(p => !original.Any(o => JsonNode.DeepEquals(o, p))))
        {
            original.Add(value?.DeepClone());
        }

        return original;
    }

    /// <summary><c>$setElementOrder</c>: the listed elements in the given order, then any others as they were.</summary>
    private static JsonArray Ordered(JsonArray list, JsonArray order, string? mergeKey)
    {
        bool Same(JsonNode? item, JsonNode? entry) => mergeKey is not null && item is JsonObject o && entry is JsonObject e
            ? JsonNode.DeepEquals(o[mergeKey], e[mergeKey])
            : JsonNode.DeepEquals(item, entry);

        var items = list.ToList();
        var sorted = order.Select(entry => items.FirstOrDefault(item => Same(item, entry))).Where(item => item is not null).ToList();
        sorted.AddRange(items.Where(item => !sorted.Contains(item)));
        return new JsonArray(sorted.Select(item => item!.DeepClone()).ToArray());
    }

    private static JsonObject WithoutDirectives(JsonObject map)
    {
        var copy = map.DeepClone().AsObject();
        foreach (var key in copy.Select(p => p.Key).Where(k => k.StartsWith('$')).ToList())
        {
            copy.Remove(key);
        }

        return copy;
    }
}

/// <summary>A patch that cannot be applied to the object.</summary>
public sealed class PatchException(string message) : Exception(message);
