using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace PodStatus.Api.Serialization;

/// <summary>
/// Finds the fields of a body that its type does not have, with upstream's paths
/// (<c>spec.containers[0].foo</c>). Only run once a strict decode has failed, so the common, clean body pays nothing.
/// </summary>
public static class UnknownFields
{
    public static List<string> Find(JsonElement body, JsonTypeInfo type)
    {
        var found = new List<string>();
        Walk(body, type, "", found);
        return found;
    }

    private static void Walk(JsonElement element, JsonTypeInfo type, string path, List<string> found)
    {
        if (element.ValueKind == JsonValueKind.Array && ModelShape.ListItemType(type) is { } item)
        {
            var index = 0;
            foreach (var entry in element.EnumerateArray())
            {
                Walk(entry, type.Options.GetTypeInfo(item), $"{path}[{index++}]", found);
            }
        }
        else if (element.ValueKind == JsonValueKind.Object && ModelShape.MapValueType(type) is { } value)
        {
            foreach (var entry in element.EnumerateObject())
            {
                Walk(entry.Value, type.Options.GetTypeInfo(value), $"{path}[{entry.Name}]", found);
            }
        }
        else if (element.ValueKind == JsonValueKind.Object && type.Kind == JsonTypeInfoKind.Object)
        {
            foreach (var property in element.EnumerateObject())
            {
                var field = path.Length == 0 ? property.Name : $"{path}.{property.Name}";
                var known = type.Properties.FirstOrDefault(p => p.Name == property.Name);
                if (known is null)
                {
                    found.Add(field);
                }
                else
                {
                    Walk(property.Value, type.Options.GetTypeInfo(known.PropertyType), field, found);
                }
            }
        }
    }
}
