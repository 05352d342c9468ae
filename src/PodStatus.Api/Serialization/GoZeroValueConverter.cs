using System.Text.Json;
using System.Text.Json.Serialization;

namespace PodStatus.Api.Serialization;

/// <summary>
/// Decodes a JSON <c>null</c> inside a list or a string map as Go does: as the element's zero value (an empty
/// object, <c>""</c>), not as a null that every later step would have to guard against. Upstream then reports
/// such an element through validation (a container without a name, say) rather than failing.
/// </summary>
public sealed class GoZeroValueConverter : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert) =>
        typeToConvert.IsGenericType &&
        (typeToConvert.GetGenericTypeDefinition() == typeof(IList<>) || typeToConvert == typeof(IDictionary<string, string>));

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        typeToConvert == typeof(IDictionary<string, string>)
            ? new StringMapConverter()
            : (JsonConverter)Activator.CreateInstance(typeof(ListConverter<>).MakeGenericType(typeToConvert.GetGenericArguments()[0]))!;

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
