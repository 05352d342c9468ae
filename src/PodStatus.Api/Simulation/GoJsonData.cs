using System.Text.Json;

namespace PodStatus.Api.Simulation;

/// <summary>
/// JSON as Go's encoding/json decodes it into interface{}: maps, slices, strings, bools and nil, with numbers as the
/// caller's reader keeps them (json.Number for templates, float64 for jq).
/// </summary>
internal static class GoJsonData
{
    public static object? From(JsonElement json, Func<JsonElement, object> number) => json.ValueKind switch
    {
        JsonValueKind.Object => json.EnumerateObject().Aggregate(new Dictionary<string, object?>(), (map, property) =>
        {
            map[property.Name] = From(property.Value, number);
            return map;
        }),
        JsonValueKind.Array => json.EnumerateArray().Select(element => From(element, number)).ToList(),
        JsonValueKind.String => json.GetString(),
        JsonValueKind.Number => number(json),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => null,
    };
}
