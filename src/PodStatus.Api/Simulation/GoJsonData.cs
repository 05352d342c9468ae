using System.Collections;
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

    /// <summary>
    /// The same data for a query that reads a few paths of a large object: each object and array is decoded when a
    /// query first reaches it, so matching a pod against stages that read its metadata and status leaves its spec
    /// undecoded. Valid only while the document <paramref name="json"/> belongs to is.
    /// </summary>
    public static object? Lazily(JsonElement json, Func<JsonElement, object> number) => json.ValueKind switch
    {
        JsonValueKind.Object => new LazyMap(json, number),
        JsonValueKind.Array => new LazyList(json, number),
        _ => From(json, number),
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
                map[property.Name] = Lazily(property.Value, number);
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
                list.Add(Lazily(element, number));
            }

            return list;
        }
    }
}
