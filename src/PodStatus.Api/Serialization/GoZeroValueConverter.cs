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

        // The models' lists of value types, each made here: code for a value type's instantiation must exist before
        // the program runs (Native AOT).
        var element = typeToConvert.GetGenericArguments()[0];
        return element == typeof(int) ? new ListConverter<int>()
            : element == typeof(int?) ? new ListConverter<int?>()
            : element == typeof(long?) ? new ListConverter<long?>()
            : element == typeof(bool?) ? new ListConverter<bool?>()
            : ListOfReferences(element);
    }

    [UnconditionalSuppressMessage("AOT", "IL3050", Justification = "Every other element type is a reference type: instantiations over reference types share the compiled code of the generic definition named here.")]
    private static JsonConverter ListOfReferences(Type element) =>
        element.IsValueType
            ? throw new NotSupportedException($"no Go zero-value list converter for {element}")
            : (JsonConverter)Activator.CreateInstance(typeof(ListConverter<>).MakeGenericType(element))!;

    private sealed class ListConverter<T> : JsonConverter<IList<T>>
    {
        // The element's converter and maker, found once (one converter serves one options instance, which never
        // changes) and published together, so no thread sees one without the other.
        private Element? _element;

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
                list.Add(reader.TokenType == JsonTokenType.Null ? element.ZeroValue() : element.Converter.Read(ref reader, typeof(T), options)!);
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
                element = new Element((JsonConverter<T>)info.Converter, info.CreateObject);
                Volatile.Write(ref _element, element);
            }

            return element;
        }

        private sealed record Element(JsonConverter<T> Converter, Func<object>? Create)
        {
            /// <summary>
            /// Go's zero value: "" for a string, 0 or false for a number or a flag (the models' nullable elements are
            /// Go's <c>[]int64</c>, <c>[]int32</c>, <c>[]bool</c>: a null element is left as the zero the slice holds),
            /// a new object for a model.
            /// </summary>
            public T ZeroValue() =>
                typeof(T) == typeof(string) ? (T)(object)""
                : typeof(T) == typeof(long?) ? (T)(object)0L
                : typeof(T) == typeof(int?) ? (T)(object)0
                : typeof(T) == typeof(bool?) ? (T)(object)false
                : typeof(T).IsValueType ? default!
                : (T)(Create ?? throw new JsonException($"cannot unmarshal null into {typeof(T).Name}"))();
        }
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
