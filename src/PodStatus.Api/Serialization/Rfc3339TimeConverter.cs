using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace PodStatus.Api.Serialization;

/// <summary>
/// metav1.Time on the wire: RFC 3339 in UTC with whole seconds, which is how kube-apiserver writes every pod
/// timestamp (fractions are dropped, as upstream drops them). Reading accepts what Go's <c>time.Parse(RFC3339)</c>
/// accepts, no more (System.Text.Json would also take a date alone), and fails with Go's message.
/// </summary>
public sealed class Rfc3339TimeConverter : JsonConverter<DateTime>
{
    public override DateTime Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException($"a time must be a string, not {reader.TokenType}");
        }

        return GoTime.TryParseRfc3339(Text(in reader, stackalloc char[64]), out var utc, out var error) ? utc : throw new JsonException(error);
    }

    /// <summary>The string's text, in <paramref name="buffer"/> when it fits unescaped (every timestamp): no string made.</summary>
    internal static ReadOnlySpan<char> Text(in Utf8JsonReader reader, Span<char> buffer) =>
        !reader.ValueIsEscaped && !reader.HasValueSequence && reader.ValueSpan.Length <= buffer.Length
            ? buffer[..Encoding.UTF8.GetChars(reader.ValueSpan, buffer)]
            : reader.GetString();

    public override void Write(Utf8JsonWriter writer, DateTime value, JsonSerializerOptions options)
    {
        // The sortable format "s" is yyyy-MM-ddTHH:mm:ss, without fractions; UTC is marked with Z.
        Span<byte> text = stackalloc byte[20];
        var utc = value.Kind == DateTimeKind.Local ? value.ToUniversalTime() : value;
        utc.TryFormat(text, out var written, "s", CultureInfo.InvariantCulture);
        text[written++] = (byte)'Z';
        writer.WriteStringValue(text[..written]);
    }
}

/// <summary>metav1.MicroTime on the wire: RFC 3339 in UTC with exactly six fraction digits, read and written.</summary>
public sealed class MicroTimeConverter : JsonConverter<DateTime>
{
    public override DateTime Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException($"a time must be a string, not {reader.TokenType}");
        }

        return GoTime.TryParseRfc3339Micro(Rfc3339TimeConverter.Text(in reader, stackalloc char[64]), out var utc, out var error) ? utc : throw new JsonException(error);
    }

    public override void Write(Utf8JsonWriter writer, DateTime value, JsonSerializerOptions options) =>
        writer.WriteStringValue(GoTime.FormatMicro(value));

    /// <summary>The same for the optional fields (most of them); null stays null.</summary>
    public sealed class Optional : JsonConverter<DateTime?>
    {
        private readonly MicroTimeConverter _inner = new();

        public override DateTime? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.TokenType == JsonTokenType.Null ? null : _inner.Read(ref reader, typeof(DateTime), options);

        public override void Write(Utf8JsonWriter writer, DateTime? value, JsonSerializerOptions options) =>
            _inner.Write(writer, value!.Value, options);
    }
}
