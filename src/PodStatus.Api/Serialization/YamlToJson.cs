using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace PodStatus.Api.Serialization;

/// <summary>
/// Turns a YAML document into JSON, as kube-apiserver does before decoding a YAML body (sigs.k8s.io/yaml):
/// plain scalars take their YAML type (null, bool, number), quoted and tagged-string scalars stay strings.
/// YamlDotNet parses; only the mapping from its node tree to JSON is written here.
/// </summary>
public static class YamlToJson
{
    /// <summary>The JSON decoder's limit on nesting; go-yaml's is 10,000 (<c>max_flow_level</c>), with the same message.</summary>
    private static readonly int MaxDepth = KubeJson.Options.MaxDepth;

    private static readonly SearchValues<char> NumericCharacters = SearchValues.Create("0123456789.eE+-");

    /// <summary>The general reader alone, without the fast path for plain documents (for tests that hold them to it).</summary>
    internal static byte[] ConvertGeneral(ReadOnlySpan<byte> yaml) =>
        Stream(yaml, firstOnly: true) is [var first, ..] ? first : Load(yaml).Documents is { Count: > 0 } documents ? ToJson(documents[0].RootNode, yaml.Length) : "null"u8.ToArray();

    public static byte[] Convert(ReadOnlySpan<byte> yaml)
    {
        // go-yaml's Unmarshal reads the first document and ignores the rest; none at all is null.
        return IsValidText(yaml) && BlockYaml.TryConvert(yaml, WritePlainOrQuoted) is { } plain ? plain : ConvertGeneral(yaml);
    }

    /// <summary>
    /// A document that is already text (a rendered stage template): when it is printable ASCII, which the bytes would
    /// pass as they are, it is read without a round trip through UTF-8.
    /// </summary>
    public static byte[] Convert(string yaml) =>
        IsPrintableAscii(yaml) && BlockYaml.TryConvert(yaml, WritePlainOrQuoted) is { } plain
            ? plain
            : Convert(Encoding.UTF8.GetBytes(yaml));

    /// <summary>Every document of a <c>---</c>-separated stream, as kubectl reads a file of several objects.</summary>
    public static IReadOnlyList<byte[]> ConvertAll(ReadOnlySpan<byte> yaml)
    {
        if (Stream(yaml, firstOnly: false) is { } documents)
        {
            return documents;
        }

        var length = yaml.Length;
        return Load(yaml).Documents.Select(document => ToJson(document.RootNode, length)).ToArray();
    }

    /// <summary>
    /// The documents written as JSON straight from the parser's events, in one pass: what nearly every document takes
    /// (a stage's rendered template, a request body). Null for one the node tree must read: an alias, a key that is
    /// not a scalar or comes twice, or no document at all; its errors then come from that reading.
    /// </summary>
    private static List<byte[]>? Stream(ReadOnlySpan<byte> yaml, bool firstOnly)
    {
        CheckCharacters(yaml);
        var parser = new Parser(new StringReader(Encoding.UTF8.GetString(yaml)));
        var documents = new List<byte[]>();
        var buffer = new ArrayBufferWriter<byte>(yaml.Length + 256);
        // The open mappings and sequences: a mapping's keys so far, and whether its next scalar is a key.
        var open = new Stack<Frame>();
        try
        {
            using var writer = new Utf8JsonWriter(buffer, KubeJson.WriterOptions);
            while (parser.MoveNext())
            {
                var current = parser.Current!;
                var inMapping = open.TryPeek(out var frame) && frame.Keys is not null;
                switch (current)
                {
                    case AnchorAlias:
                        return null;
                    case MappingStart or SequenceStart when inMapping && frame!.AwaitingKey:
                        // A key that is a mapping or a sequence.
                        return null;
                    case MappingStart or SequenceStart:
                        if (open.Count == MaxDepth)
                        {
                            throw new YamlException($"yaml: line {current.Start.Line}: exceeded max depth of {MaxDepth}");
                        }

                        if (current is MappingStart)
                        {
                            writer.WriteStartObject();
                        }
                        else
                        {
                            writer.WriteStartArray();
                        }

                        open.Push(new Frame(current is MappingStart ? [] : null));
                        break;
                    case MappingEnd or SequenceEnd:
                        if (current is MappingEnd)
                        {
                            writer.WriteEndObject();
                        }
                        else
                        {
                            writer.WriteEndArray();
                        }

                        open.Pop();
                        ValueWritten(open);
                        break;
                    case Scalar scalar when inMapping && frame!.AwaitingKey:
                        if (!frame.Keys!.Add(scalar.Value))
                        {
                            return null;
                        }

                        writer.WritePropertyName(scalar.Value);
                        frame.AwaitingKey = false;
                        break;
                    case Scalar scalar:
                        WriteScalar(writer, scalar.Value, scalar.Style, scalar.Tag.IsEmpty ? null : scalar.Tag.Value);
                        ValueWritten(open);
                        break;
                    case DocumentEnd:
                        writer.Flush();
                        documents.Add(buffer.WrittenSpan.ToArray());
                        if (firstOnly)
                        {
                            return documents;
                        }

                        buffer.ResetWrittenCount();
                        writer.Reset();
                        break;
                }
            }
        }
        catch (YamlException error) when (!error.Message.StartsWith("yaml: ", StringComparison.Ordinal))
        {
            throw new YamlException(GoYamlMessage(error));
        }
        catch (ArgumentException)
        {
            // A "\ud800" escape in a double-quoted scalar leaves a lone surrogate, which go-yaml's scanner rejects.
            throw new YamlException("yaml: found invalid Unicode character escape code");
        }

        return documents.Count == 0 ? null : documents;
    }

    /// <summary>A value is complete: in a mapping, a key comes next.</summary>
    private static void ValueWritten(Stack<Frame> open)
    {
        if (open.TryPeek(out var frame) && frame.Keys is not null)
        {
            frame.AwaitingKey = true;
        }
    }

    private sealed class Frame(HashSet<string>? keys)
    {
        public HashSet<string>? Keys { get; } = keys;

        public bool AwaitingKey { get; set; } = keys is not null;
    }

    private static YamlStream Load(ReadOnlySpan<byte> yaml)
    {
        CheckCharacters(yaml);
        var text = Encoding.UTF8.GetString(yaml);
        var stream = new YamlStream();
        try
        {
            CheckDepth(text);
            stream.Load(new StringReader(text));
        }
        catch (YamlException error) when (!error.Message.StartsWith("yaml: ", StringComparison.Ordinal))
        {
            throw new YamlException(GoYamlMessage(error));
        }

        return stream;
    }

    private static byte[] ToJson(YamlNode root, int sizeHint)
    {
        var buffer = new ArrayBufferWriter<byte>(sizeHint + 256);
        try
        {
            using var writer = new Utf8JsonWriter(buffer, KubeJson.WriterOptions);
            Write(writer, root);
        }
        catch (ArgumentException)
        {
            // A "\ud800" escape in a double-quoted scalar leaves a lone surrogate, which go-yaml's scanner rejects.
            throw new YamlException("yaml: found invalid Unicode character escape code");
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// YamlDotNet is a port of LibYAML, as go-yaml is, and words its errors as "Context, problem."; go-yaml reports
    /// <c>yaml: line N: problem</c>, which is what upstream's 400 carries.
    /// </summary>
    private static string GoYamlMessage(YamlException error)
    {
        var message = error.Message.TrimEnd('.');
        var comma = message.IndexOf(", ", StringComparison.Ordinal);
        var problem = message.StartsWith("While ", StringComparison.Ordinal) && comma > 0 ? message[(comma + 2)..] : message;
        problem = problem.Length > 0 ? char.ToLowerInvariant(problem[0]) + problem[1..] : "unknown problem parsing YAML content";
        return error.Start.Line > 0 ? $"yaml: line {error.Start.Line}: {problem}" : $"yaml: {problem}";
    }

    /// <summary>
    /// Reads the parser's events, which builds nothing, and fails when the document nests too deep: YamlDotNet
    /// builds its node tree recursively, so this check keeps any body from overflowing the stack.
    /// </summary>
    private static void CheckDepth(string text)
    {
        var parser = new Parser(new StringReader(text));
        var depth = 0;
        while (parser.MoveNext())
        {
            switch (parser.Current)
            {
                case MappingStart or SequenceStart:
                    if (++depth > MaxDepth)
                    {
                        throw new YamlException($"yaml: line {parser.Current.Start.Line}: exceeded max depth of {MaxDepth}");
                    }

                    break;
                case MappingEnd or SequenceEnd:
                    depth--;
                    break;
            }
        }
    }

    /// <summary>
    /// go-yaml's reader (<c>yaml_parser_update_buffer</c>) takes only UTF-8 and printable characters: unlike a JSON
    /// body, a YAML body with a byte that is not UTF-8 is refused, with go-yaml's message.
    /// </summary>
    private static void CheckCharacters(ReadOnlySpan<byte> yaml)
    {
        if (CharacterProblem(yaml) is { } problem)
        {
            throw new YamlException(problem);
        }
    }

    /// <summary>What go-yaml's reader says of the bytes, or null when it takes them.</summary>
    private static string? CharacterProblem(ReadOnlySpan<byte> yaml)
    {
        for (var i = 0; i < yaml.Length;)
        {
            var octet = yaml[i];
            var width = (octet & 0x80) == 0 ? 1 : (octet & 0xE0) == 0xC0 ? 2 : (octet & 0xF0) == 0xE0 ? 3 : (octet & 0xF8) == 0xF0 ? 4 : 0;
            if (width == 0)
            {
                return "yaml: invalid leading UTF-8 octet";
            }

            if (i + width > yaml.Length)
            {
                return "yaml: incomplete UTF-8 octet sequence";
            }

            var value = octet & (width switch { 1 => 0x7F, 2 => 0x1F, 3 => 0x0F, _ => 0x07 });
            foreach (var trailing in yaml.Slice(i + 1, width - 1))
            {
                if ((trailing & 0xC0) != 0x80)
                {
                    return "yaml: invalid trailing UTF-8 octet";
                }

                value = (value << 6) + (trailing & 0x3F);
            }

            if (value < width switch { 1 => 0, 2 => 0x80, 3 => 0x800, _ => 0x10000 })
            {
                return "yaml: invalid length of a UTF-8 sequence";
            }

            if (value is >= 0xD800 and <= 0xDFFF or > 0x10FFFF)
            {
                return "yaml: invalid Unicode character";
            }

            if (value is not (0x09 or 0x0A or 0x0D or >= 0x20 and <= 0x7E or 0x85 or >= 0xA0 and <= 0xD7FF or >= 0xE000 and <= 0xFFFD or >= 0x10000))
            {
                return "yaml: control characters are not allowed";
            }

            i += width;
        }

        return null;
    }

    private static void Write(Utf8JsonWriter writer, YamlNode node)
    {
        switch (node)
        {
            case YamlMappingNode mapping:
                writer.WriteStartObject();
                foreach (var (key, value) in mapping.Children)
                {
                    writer.WritePropertyName(key is YamlScalarNode scalarKey ? scalarKey.Value ?? "null" : key.ToString());
                    Write(writer, value);
                }

                writer.WriteEndObject();
                break;
            case YamlSequenceNode sequence:
                writer.WriteStartArray();
                foreach (var item in sequence.Children)
                {
                    Write(writer, item);
                }

                writer.WriteEndArray();
                break;
            case YamlScalarNode scalar:
                WriteScalar(writer, scalar.Value, scalar.Style, scalar.Tag.IsEmpty ? null : scalar.Tag.Value);
                break;
            default:
                throw new YamlException(node.Start, node.End, "unsupported YAML node");
        }
    }

    private static void WritePlainOrQuoted(Utf8JsonWriter writer, ReadOnlySpan<char> value, bool quoted) =>
        WriteScalar(writer, value, quoted ? ScalarStyle.DoubleQuoted : ScalarStyle.Plain, null);

    private static bool IsPrintableAscii(string text)
    {
        foreach (var c in text)
        {
            if (c is not ('\n' or >= ' ' and <= '~'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Whether the bytes are text go-yaml reads (what <see cref="CheckCharacters"/> passes).</summary>
    private static bool IsValidText(ReadOnlySpan<byte> yaml) => CharacterProblem(yaml) is null;

    private static void WriteScalar(Utf8JsonWriter writer, ReadOnlySpan<char> text, ScalarStyle style, string? tag)
    {
        if (style != ScalarStyle.Plain || tag == "tag:yaml.org,2002:str")
        {
            writer.WriteStringValue(text);
            return;
        }

        switch (text)
        {
            case "" or "~" or "null" or "Null" or "NULL":
                writer.WriteNullValue();
                return;
            case "true" or "True" or "TRUE":
                writer.WriteBooleanValue(true);
                return;
            case "false" or "False" or "FALSE":
                writer.WriteBooleanValue(false);
                return;
        }

        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
        {
            writer.WriteNumberValue(integer);
        }
        else if (LooksNumeric(text) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var real))
        {
            writer.WriteNumberValue(real);
        }
        else
        {
            writer.WriteStringValue(text);
        }
    }

    // YAML's core schema float: digits with a point or exponent ("1.5", "-2e3"), not words .NET also parses ("Infinity").
    private static bool LooksNumeric(ReadOnlySpan<char> text) =>
        text.IndexOfAnyExcept(NumericCharacters) < 0 && text.IndexOfAnyInRange('0', '9') >= 0;
}
