using System.Text.Json;

namespace PodStatus.Api.Simulation;

/// <summary>
/// JSON as Go's encoding/json decodes it into interface{}: maps, slices, strings, bools and nil, with numbers as the
/// caller's reader keeps them (json.Number for templates, float64 for jq).
/// </summary>
internal static class GoJsonData
{
    // Every version of every simulated object is decoded so, to be matched and again to be played: maps and slices are
    // made at their final size, without LINQ, as this is most of what a simulated write allocates beside the write.
    public static object? From(JsonElement json, Func<JsonElement, object> number)
    {
        switch (json.ValueKind)
        {
            case JsonValueKind.Object:
                var map = new Dictionary<string, object?>(json.GetPropertyCount());
                foreach (var property in json.EnumerateObject())
                {
                    map[property.Name] = From(property.Value, number);
                }

                return map;
            case JsonValueKind.Array:
                var list = new List<object?>(json.GetArrayLength());
                foreach (var element in json.EnumerateArray())
                {
                    list.Add(From(element, number));
                }

                return list;
            case JsonValueKind.String:
                return json.GetString();
            case JsonValueKind.Number:
                return number(json);
            case JsonValueKind.True:
                return true;
            case JsonValueKind.False:
                return false;
            default:
                return null;
        }
    }
}
