using System.Globalization;
using System.Text;
using System.Text.Json;

namespace PodStatus.Api.Serialization;

/// <summary>
/// A one-pass reader for the plainest YAML, written straight to JSON: block mappings and sequences of one document,
/// indented with spaces, with plain, single- and double-quoted scalars on one line each, <c>{}</c> and <c>[]</c>,
/// comments and blank lines. That is what a rendered stage template is, and most bodies; it costs a fraction of a
/// general parser. Anything else (tabs, flow collections with content, block scalars, anchors, tags, multi-line or
/// ambiguous scalars, several documents, a key given twice) makes it give up (null), and the general parser reads the
/// document: this reader never decides what YAML means where the general one might decide otherwise.
/// </summary>
internal static class BlockYaml
{
    /// <summary>The document as JSON, or null when it is not of the plain kind this reads.</summary>
    public static byte[]? TryConvert(ReadOnlySpan<byte> yaml, Action<Utf8JsonWriter, string, bool> writeScalar)
    {
        if (yaml.IndexOfAny((byte)'\t', (byte)'\r') >= 0)
        {
            return null;
        }

        var reader = new Reader(Encoding.UTF8.GetString(yaml));
        var (buffer, writer) = ScratchJson.Rent();
        try
        {
            if (!reader.Next())
            {
                return null;
            }

            if (reader.Text == "---")
            {
                reader.Consume();
                if (!reader.Next())
                {
                    return null;
                }
            }

            if (!reader.Block(writer, reader.Indent, writeScalar, 0) || reader.Next())
            {
                return null;
            }
        }
        catch (FormatException)
        {
            return null;
        }

        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    private sealed class Reader(string text)
    {
        /// <summary>Deeper documents are left to the general parser, which words the limit's error.</summary>
        private const int MaxDepth = 100;

        private int _position;
        private bool _pending;

        // The keys seen in the mapping open at each depth, reused from one mapping to the next.
        private readonly List<HashSet<string>> _keys = [];

        /// <summary>The current line's indentation and content (comments and trailing spaces kept; see <see cref="Value"/>).</summary>
        public int Indent { get; private set; }

        public string Text { get; private set; } = "";

        /// <summary>Moves to the next line with content, unless the current one is not consumed yet; false at the end.</summary>
        public bool Next()
        {
            if (_pending)
            {
                return true;
            }

            while (_position < text.Length)
            {
                var end = text.IndexOf('\n', _position);
                end = end < 0 ? text.Length : end;
                var line = text.AsSpan(_position, end - _position);
                _position = end + 1;
                var indent = line.Length - line.TrimStart(' ').Length;
                var content = line[indent..].TrimEnd(' ');
                if (content.Length == 0 || content[0] == '#')
                {
                    continue;
                }

                (Indent, Text, _pending) = (indent, content.ToString(), true);
                return true;
            }

            return false;
        }

        public void Consume() => _pending = false;

        /// <summary>The node that starts on the current line at <paramref name="indent"/>: a sequence, a mapping or a scalar.</summary>
        public bool Block(Utf8JsonWriter writer, int indent, Action<Utf8JsonWriter, string, bool> scalar, int depth)
        {
            if (depth > MaxDepth)
            {
                return false;
            }

            if (IsItem(Text))
            {
                return Sequence(writer, indent, scalar, depth);
            }

            if (Key(Text, out _, out _))
            {
                return Mapping(writer, indent, scalar, depth);
            }

            // A lone scalar as the whole node.
            var value = Text;
            Consume();
            return Value(writer, value, scalar);
        }

        private bool Sequence(Utf8JsonWriter writer, int indent, Action<Utf8JsonWriter, string, bool> scalar, int depth)
        {
            writer.WriteStartArray();
            while (Next() && Indent == indent && IsItem(Text))
            {
                var rest = Text.Length == 1 ? "" : Text[2..];
                var offset = rest.Length - rest.TrimStart(' ').Length;
                rest = rest.TrimStart(' ');
                if (rest.Length == 0)
                {
                    Consume();
                    if (!Nested(writer, indent, scalar, depth, sequenceValue: false))
                    {
                        return false;
                    }
                }
                else if (IsItem(rest))
                {
                    return false;
                }
                else if (Key(rest, out _, out _))
                {
                    // "- key: value": a mapping whose keys line up with this one.
                    (Indent, Text) = (indent + 2 + offset, rest);
                    if (!Mapping(writer, Indent, scalar, depth + 1))
                    {
                        return false;
                    }
                }
                else
                {
                    Consume();
                    if (!Value(writer, rest, scalar) || Deeper(indent))
                    {
                        return false;
                    }
                }
            }

            writer.WriteEndArray();
            return !Next() || Indent <= indent;
        }

        private bool Mapping(Utf8JsonWriter writer, int indent, Action<Utf8JsonWriter, string, bool> scalar, int depth)
        {
            writer.WriteStartObject();
            while (_keys.Count <= depth)
            {
                _keys.Add(new HashSet<string>(StringComparer.Ordinal));
            }

            var keys = _keys[depth];
            keys.Clear();
            while (Next() && Indent == indent && !IsItem(Text))
            {
                if (!Key(Text, out var key, out var rest) || !keys.Add(key))
                {
                    return false;
                }

                Consume();
                writer.WritePropertyName(key);
                if (rest.Length == 0)
                {
                    if (!Nested(writer, indent, scalar, depth, sequenceValue: true))
                    {
                        return false;
                    }
                }
                else if (!Value(writer, rest, scalar) || Deeper(indent))
                {
                    return false;
                }
            }

            writer.WriteEndObject();
            return !Next() || Indent < indent || (Indent == indent && IsItem(Text));
        }

        /// <summary>A value on the lines below a key or a dash: deeper, or (for a key) a sequence at the key's own
        /// indentation; nothing is null.</summary>
        private bool Nested(Utf8JsonWriter writer, int indent, Action<Utf8JsonWriter, string, bool> scalar, int depth, bool sequenceValue)
        {
            if (Next() && (Indent > indent || (sequenceValue && Indent == indent && IsItem(Text))))
            {
                return Block(writer, Indent, scalar, depth + 1);
            }

            writer.WriteNullValue();
            return true;
        }

        /// <summary>Whether the next line is indented under a scalar value (a multi-line scalar, which the general parser reads).</summary>
        private bool Deeper(int indent) => Next() && Indent > indent;

        private static bool IsItem(string line) => line == "-" || line.StartsWith("- ", StringComparison.Ordinal);

        /// <summary>A <c>key: rest</c> line, with a plain or quoted key.</summary>
        private static bool Key(string line, out string key, out string rest)
        {
            (key, rest) = ("", "");
            int end;
            if (line[0] is '"' or '\'')
            {
                if (!Quoted(line, out key, out end) || end >= line.Length || line[end] != ':')
                {
                    return false;
                }
            }
            else
            {
                end = line.IndexOf(':');
                while (end >= 0 && end + 1 < line.Length && line[end + 1] != ' ')
                {
                    end = line.IndexOf(':', end + 1);
                }

                if (end <= 0)
                {
                    return false;
                }

                key = line[..end];
                if (!IsPlain(key) || key.Contains(" #", StringComparison.Ordinal))
                {
                    return false;
                }
            }

            rest = line[(end + 1)..].TrimStart(' ');
            return end + 1 == line.Length || line[end + 1] == ' ';
        }

        /// <summary>A scalar written as JSON: quoted ones as strings, plain ones resolved as YAML resolves them.</summary>
        private static bool Value(Utf8JsonWriter writer, string value, Action<Utf8JsonWriter, string, bool> scalar)
        {
            if (value[0] is '"' or '\'')
            {
                if (!Quoted(value, out var text, out var end) || !IsCommentOrEnd(value, end))
                {
                    return false;
                }

                scalar(writer, text, true);
                return true;
            }

            switch (value)
            {
                case "{}":
                    writer.WriteStartObject();
                    writer.WriteEndObject();
                    return true;
                case "[]":
                    writer.WriteStartArray();
                    writer.WriteEndArray();
                    return true;
            }

            var comment = value.IndexOf(" #", StringComparison.Ordinal);
            var plain = comment >= 0 ? value[..comment].TrimEnd(' ') : value;
            if (!IsPlain(plain) || plain.Contains(": ", StringComparison.Ordinal) || plain.EndsWith(':'))
            {
                return false;
            }

            scalar(writer, plain, false);
            return true;
        }

        /// <summary>A plain scalar that starts as one must: not with an indicator (a flow collection, an anchor, an alias, a
        /// tag, a block scalar, a quote, a directive), nor as a sequence entry, a complex key or a document marker.</summary>
        private static bool IsPlain(string text) =>
            text.Length > 0 && "[]{},#&*!|>'\"%@`".IndexOf(text[0]) < 0 && !(text[0] is '-' or '?' or ':' && (text.Length == 1 || text[1] == ' ')) &&
            text != "---" && text != "...";

        private static bool IsCommentOrEnd(string line, int end) =>
            end == line.Length || (line[end] == ' ' && line.AsSpan(end).TrimStart(' ') is var after && (after.Length == 0 || after[0] == '#'));

        /// <summary>A single- or double-quoted scalar on one line; <paramref name="end"/> is just past its closing quote.</summary>
        private static bool Quoted(string line, out string value, out int end)
        {
            var quote = line[0];
            var text = new StringBuilder();
            for (var i = 1; i < line.Length; i++)
            {
                var c = line[i];
                if (quote == '\'')
                {
                    if (c == '\'')
                    {
                        if (i + 1 < line.Length && line[i + 1] == '\'')
                        {
                            text.Append('\'');
                            i++;
                            continue;
                        }

                        (value, end) = (text.ToString(), i + 1);
                        return true;
                    }

                    text.Append(c);
                    continue;
                }

                if (c == '"')
                {
                    (value, end) = (text.ToString(), i + 1);
                    return true;
                }

                if (c != '\\')
                {
                    text.Append(c);
                    continue;
                }

                if (++i >= line.Length || !Escape(line, ref i, text))
                {
                    break;
                }
            }

            (value, end) = ("", 0);
            return false;
        }

        /// <summary>YAML's double-quoted escapes; <paramref name="i"/> is on the character after the backslash.</summary>
        private static bool Escape(string line, ref int i, StringBuilder text)
        {
            var simple = line[i] switch
            {
                '0' => "\0", 'a' => "\a", 'b' => "\b", 't' => "\t", 'n' => "\n", 'v' => "\v", 'f' => "\f", 'r' => "\r", 'e' => "\u001b",
                ' ' => " ", '"' => "\"", '/' => "/", '\\' => "\\", 'N' => "\u0085", '_' => "\u00a0", 'L' => "\u2028", 'P' => "\u2029",
                _ => null,
            };
            if (simple is not null)
            {
                text.Append(simple);
                return true;
            }

            var digits = line[i] switch { 'x' => 2, 'u' => 4, 'U' => 8, _ => 0 };
            if (digits == 0 || i + digits >= line.Length ||
                !int.TryParse(line.AsSpan(i + 1, digits), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code) ||
                code is >= 0xD800 and <= 0xDFFF or > 0x10FFFF)
            {
                return false;
            }

            text.Append(char.ConvertFromUtf32(code));
            i += digits;
            return true;
        }
    }
}
