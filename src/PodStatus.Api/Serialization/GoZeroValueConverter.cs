using System.Diagnostics.CodeAnalysis;
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

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options)
    {
        if (typeToConvert == typeof(IDictionary<string, string>))
        {
            return new StringMapConverter();
        }

        // The models' lists of value types, each made here with its Go zero value (the nullable elements are Go's
        // []int32, []int64 and []bool, where a null element is left as the zero the slice holds): code for a value
        // type's instantiation must exist before the program runs (Native AOT).
        var element = typeToConvert.GetGenericArguments()[0];
        return element == typeof(int) ? new ListConverter<int>(() => 0)
            : element == typeof(int?) ? new ListConverter<int?>(() => 0)
            : element == typeof(long?) ? new ListConverter<long?>(() => 0L)
            : element == typeof(bool?) ? new ListConverter<bool?>(() => false)
            : ListOfReferences(element);
    }

    [UnconditionalSuppressMessage("AOT", "IL3050", Justification = "Every other element type is a reference type: instantiations over reference types share the compiled code of the generic definition named here.")]
    private static JsonConverter ListOfReferences(Type element) =>
        element.IsValueType
            ? throw new NotSupportedException($"no Go zero-value list converter for {element}")
            : (JsonConverter)Activator.CreateInstance(typeof(ListConverter<>).MakeGenericType(element))!;

    /// <param name="zero">The element's zero value; for a reference type, "" for a string or a new object for a model.</param>
    private sealed class ListConverter<T>(Func<T>? zero) : JsonConverter<IList<T>>
    {
        // The element's converter and zero, found once (one converter serves one options instance, which never
        // changes) and published together, so no thread sees one without the other.
        private Element? _element;

        public ListConverter()
            : this(null)
        {
        }

        public override IList<T>? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType != JsonTokenType.StartArray)
            {
                throw new JsonException($"cannot unmarshal {reader.TokenType} into a list");
            }

            var element = ElementOf(options);
            var list = new List<T>();
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                list.Add(reader.TokenType == JsonTokenType.Null ? element.Zero() : element.Converter.Read(ref reader, typeof(T), options)!);
            }

            return list;
        }

        public override void Write(Utf8JsonWriter writer, IList<T> value, JsonSerializerOptions options)
        {
            var element = ElementOf(options).Converter;
            writer.WriteStartArray();
            foreach (var item in value)
            {
                element.Write(writer, item, options);
            }

            writer.WriteEndArray();
        }

        private Element ElementOf(JsonSerializerOptions options)
        {
            if (Volatile.Read(ref _element) is not { } element)
            {
                var info = options.GetTypeInfo(typeof(T));
                var create = info.CreateObject;
                element = new Element((JsonConverter<T>)info.Converter, zero
                    ?? (typeof(T) == typeof(string) ? () => (T)(object)""
                        : create is not null ? () => (T)create()
                        : () => throw new JsonException($"cannot unmarshal null into {typeof(T).Name}")));
                Volatile.Write(ref _element, element);
            }

            return element;
        }

        private sealed record Element(JsonConverter<T> Converter, Func<T> Zero);
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
