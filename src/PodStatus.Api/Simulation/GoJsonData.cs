using System.Collections;
using System.Text.Json;

namespace PodStatus.Api.Simulation;

/// <summary>
/// JSON as Go's encoding/json decodes it into interface{}: maps, slices, strings, bools and nil, with numbers as the
/// caller's reader keeps them (json.Number for templates, float64 for jq).
/// </summary>
internal static class GoJsonData
{
    /// <summary>
    /// The data of <paramref name="json"/>, each object and array decoded when a query or template first reaches it:
    /// every version of every simulated object is read so, to be matched and again to be played, and the stages read
    /// a pod's metadata and status, seldom its spec. Valid only while the document <paramref name="json"/> belongs to is.
    /// </summary>
    public static object? From(JsonElement json, Func<JsonElement, object> number) => json.ValueKind switch
    {
        JsonValueKind.Object => new LazyMap(json, number),
        JsonValueKind.Array => new LazyList(json, number),
        JsonValueKind.String => json.GetString(),
        JsonValueKind.Number => number(json),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => null,
    };

    private sealed class LazyMap(JsonElement json, Func<JsonElement, object> number) : IReadOnlyDictionary<string, object?>
    {
        private Dictionary<string, object?>? _members;

        private Dictionary<string, object?> Members => _members ??= Decode();

        public object? this[string key] => Members[key];

        public IEnumerable<string> Keys => Members.Keys;

        public IEnumerable<object?> Values => Members.Values;

        public int Count => Members.Count;

        public bool ContainsKey(string key) => Members.ContainsKey(key);

        public bool TryGetValue(string key, out object? value) => Members.TryGetValue(key, out value);

        public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => Members.GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        private Dictionary<string, object?> Decode()
        {
            var map = new Dictionary<string, object?>(json.GetPropertyCount());
            foreach (var property in json.EnumerateObject())
            {
                map[property.Name] = From(property.Value, number);
            }

            return map;
        }
    }

    private sealed class LazyList(JsonElement json, Func<JsonElement, object> number) : IReadOnlyList<object?>
    {
        private List<object?>? _items;

        private List<object?> Items => _items ??= Decode();

        public object? this[int index] => Items[index];

        public int Count => Items.Count;

        public IEnumerator<object?> GetEnumerator() => Items.GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        private List<object?> Decode()
        {
            var list = new List<object?>(json.GetArrayLength());
            foreach (var element in json.EnumerateArray())
            {
                list.Add(From(element, number));
            }

            return list;
        }
    }
}
