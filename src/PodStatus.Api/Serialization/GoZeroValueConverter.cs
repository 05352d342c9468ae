using System.Collections;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace PodStatus.Api.Serialization;

/// <summary>
/// Decodes a JSON <c>null</c> inside a list or a string map as Go does: as the element's zero value (an empty
/// object, <c>""</c>), not as a null that every later step would have to guard against. Upstream then reports
/// such an element through validation (a container without a name, say) rather than failing.
/// </summary>
public sealed class GoZeroValueConverter : JsonConverterFactory
{
    // Lists of objects are not converted here: a converter around the serializer's own for each element makes it start
    // a new read (or write) stack per element, an allocation each, so the serializer reads them on its own stack and
    // ZeroNullElements fixes the rare null when the list is set.
    public override bool CanConvert(Type typeToConvert) =>
        typeToConvert.IsGenericType &&
        ((typeToConvert.GetGenericTypeDefinition() == typeof(IList<>) && ObjectListElement(typeToConvert) is null) ||
         typeToConvert == typeof(IDictionary<string, string>));

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        typeToConvert == typeof(IDictionary<string, string>)
            ? new StringMapConverter()
            : (JsonConverter)Activator.CreateInstance(typeof(ListConverter<>).MakeGenericType(typeToConvert.GetGenericArguments()[0]))!;

    /// <summary>For a property holding a list of objects: its null elements become empty objects as the list is set.</summary>
    public static void ZeroNullElements(JsonPropertyInfo property)
    {
        if (ObjectListElement(property.PropertyType) is not { } element || property.Set is not { } set)
        {
            return;
        }

        property.Set = (owner, value) =>
        {
            if (value is IList list)
            {
                for (var i = 0; i < list.Count; i++)
                {
                    list[i] ??= Activator.CreateInstance(element);
                }
            }

            set(owner, value);
        };
    }

    /// <summary>The element type of an <c>IList&lt;T&gt;</c> of objects (not strings), else null.</summary>
    private static Type? ObjectListElement(Type type) =>
        type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IList<>) &&
        type.GetGenericArguments()[0] is { IsClass: true } element && element != typeof(string)
            ? element
            : null;

    private sealed class ListConverter<T> : JsonConverter<IList<T>>
    {
        // The element's converter, found once: one converter serves one options instance, which never changes.
        private JsonConverter<T>? _element;

        public override IList<T>? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType != JsonTokenType.StartArray)
            {
                throw new JsonException($"cannot unmarshal {reader.TokenType} into a list");
            }

            var element = Element(options);
            var list = new List<T>();
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                list.Add(reader.TokenType == JsonTokenType.Null ? ZeroValue() : element.Read(ref reader, typeof(T), options)!);
            }

            return list;
        }

        public override void Write(Utf8JsonWriter writer, IList<T> value, JsonSerializerOptions options)
        {
            var element = Element(options);
            writer.WriteStartArray();
            foreach (var item in value)
            {
                element.Write(writer, item, options);
            }

            writer.WriteEndArray();
        }

        private JsonConverter<T> Element(JsonSerializerOptions options) => _element ??= (JsonConverter<T>)options.GetConverter(typeof(T));

        private static T ZeroValue() => typeof(T) == typeof(string) ? (T)(object)"" : Activator.CreateInstance<T>();
    }

    private sealed class StringMapConverter : JsonConverter<IDictionary<string, string>>
    {
        public override IDictionary<string, string>? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                throw new JsonException($"cannot unmarshal {reader.TokenType} into a map of strings");
            }

            var map = new Dictionary<string, string>();
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var key = reader.GetString()!;
                reader.Read();
                map[key] = reader.TokenType switch
                {
                    JsonTokenType.String => reader.GetString()!,
                    JsonTokenType.Null => "",
                    _ => throw new JsonException($"cannot unmarshal {reader.TokenType} into a string"),
                };
            }

            return map;
        }

        public override void Write(Utf8JsonWriter writer, IDictionary<string, string> value, JsonSerializerOptions options)
        {
            // Keys sorted, as Go writes maps, so equal maps encode to equal bytes.
            writer.WriteStartObject();
            if (value.Count == 1 && value is Dictionary<string, string> one)
            {
                // The usual single label, without a boxed enumerator or a sort.
                foreach (var (key, item) in one)
                {
                    writer.WriteString(key, item);
                }
            }
            else
            {
                foreach (var (key, item) in value.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    writer.WriteString(key, item);
                }
            }

            writer.WriteEndObject();
        }
    }
}
