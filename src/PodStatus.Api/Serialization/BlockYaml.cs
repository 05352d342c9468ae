using System.Buffers;
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
    /// <summary>Writes one scalar as JSON: a quoted one as a string, a plain one as YAML resolves it.</summary>
    public delegate void ScalarWriter(Utf8JsonWriter writer, ReadOnlySpan<char> value, bool quoted);

    /// <summary>The document as JSON, or null when it is not of the plain kind this reads.</summary>
    public static byte[]? TryConvert(ReadOnlySpan<byte> yaml, ScalarWriter writeScalar) =>
        yaml.IndexOfAny((byte)'\t', (byte)'\r') >= 0 ? null : TryConvert(Encoding.UTF8.GetString(yaml), writeScalar);

    /// <summary>The document, already text, as JSON; or null.</summary>
    public static byte[]? TryConvert(string yaml, ScalarWriter writeScalar)
    {
        if (yaml.AsSpan().IndexOfAny('\t', '\r') >= 0)
        {
            return null;
        }

        // One reader per thread, its key sets and buffer reused: a conversion never awaits, and never starts another.
        var reader = (_reader ??= new Reader()).Start(yaml);
        using var scratch = ScratchJson.Rent();
        var (buffer, writer) = scratch;
        try
        {
            if (!reader.Next())
            {
                return null;
            }

            if (reader.Text is "---")
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
        finally
        {
            reader.Finish();
        }

        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    [ThreadStatic]
    private static Reader? _reader;

    // Lines, keys and values are read as windows of the document's one string: no string is made for them, only for
    // a quoted scalar's unescaped text.
    private sealed class Reader
    {
        /// <summary>Deeper documents are left to the general parser, which words the limit's error.</summary>
        private const int MaxDepth = 100;

        private string _document = "";
        private int _position;
        private bool _pending;
        private int _start;
        private int _length;
        private readonly ArrayBufferWriter<char> _unquoted = new();

        // The keys seen in the mapping open at each depth, reused from one mapping to the next.
        private readonly List<HashSet<ReadOnlyMemory<char>>> _keys = [];

        public Reader Start(string document)
        {
            (_document, _position, _pending, _start, _length, Indent) = (document, 0, false, 0, 0, 0);
            return this;
        }

        /// <summary>Lets go of the document: the key sets would otherwise hold windows of it until the next one.</summary>
        public void Finish()
        {
            _document = "";
            foreach (var keys in _keys)
            {
                keys.Clear();
            }
        }

        /// <summary>The current line's indentation and content (comments and trailing spaces kept; see <see cref="Value"/>).</summary>
        public int Indent { get; private set; }

        public ReadOnlySpan<char> Text => _document.AsSpan(_start, _length);

        /// <summary>Makes the current line the rest of it from <paramref name="start"/> (an offset in it), at <paramref name="indent"/>.</summary>
        private void Narrow(int start, int indent) => (_start, _length, Indent) = (_start + start, _length - start, indent);

        /// <summary>Moves to the next line with content, unless the current one is not consumed yet; false at the end.</summary>
        public bool Next()
        {
            if (_pending)
            {
                return true;
            }

            while (_position < _document.Length)
            {
                var end = _document.IndexOf('\n', _position);
                end = end < 0 ? _document.Length : end;
                var line = _document.AsSpan(_position, end - _position);
                var indent = line.Length - line.TrimStart(' ').Length;
                var content = line[indent..].TrimEnd(' ');
                if (content.Length == 0 || content[0] == '#')
                {
                    _position = end + 1;
                    continue;
                }

                (Indent, _start, _length, _pending) = (indent, _position + indent, content.Length, true);
                _position = end + 1;
                return true;
            }

            return false;
        }

        public void Consume() => _pending = false;

        /// <summary>The node that starts on the current line at <paramref name="indent"/>: a sequence, a mapping or a scalar.</summary>
        public bool Block(Utf8JsonWriter writer, int indent, ScalarWriter scalar, int depth)
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
            Consume();
            return Value(writer, Text, scalar);
        }

        private bool Sequence(Utf8JsonWriter writer, int indent, ScalarWriter scalar, int depth)
        {
            writer.WriteStartArray();
            while (Next() && Indent == indent && IsItem(Text))
            {
                var line = Text;
                var rest = line.Length == 1 ? [] : line[2..];
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
                    Narrow(line.Length - rest.Length, indent + 2 + offset);
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

        private bool Mapping(Utf8JsonWriter writer, int indent, ScalarWriter scalar, int depth)
        {
            writer.WriteStartObject();
            while (_keys.Count <= depth)
            {
                _keys.Add(new HashSet<ReadOnlyMemory<char>>(SameText.Instance));
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
                writer.WritePropertyName(key.Span);
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
        private bool Nested(Utf8JsonWriter writer, int indent, ScalarWriter scalar, int depth, bool sequenceValue)
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

        private static bool IsItem(ReadOnlySpan<char> line) => line is "-" || line.StartsWith("- ", StringComparison.Ordinal);

        /// <summary>A <c>key: rest</c> line, with a plain or quoted key (a window of the document when it is plain).</summary>
        private bool Key(ReadOnlySpan<char> line, out ReadOnlyMemory<char> key, out ReadOnlySpan<char> rest)
        {
            key = default;
            rest = default;
            int end;
            if (line[0] is '"' or '\'')
            {
                if (!Quoted(line, out var unquoted, out end) || end >= line.Length || line[end] != ':')
                {
                    return false;
                }

                key = unquoted.ToArray(); // the buffer is reused
            }
            else
            {
                end = line.IndexOf(':');
                while (end >= 0 && end + 1 < line.Length && line[end + 1] != ' ')
                {
                    var next = line[(end + 1)..].IndexOf(':');
                    end = next < 0 ? -1 : end + 1 + next;
                }

                if (end <= 0)
                {
                    return false;
                }

                if (!IsPlain(line[..end]) || line[..end].Contains(" #", StringComparison.Ordinal))
                {
                    return false;
                }

                // The line is a window of the document, so the key is one too.
                _document.AsSpan().Overlaps(line, out var offset);
                key = _document.AsMemory(offset, end);
            }

            rest = line[(end + 1)..].TrimStart(' ');
            return end + 1 == line.Length || line[end + 1] == ' ';
        }

        /// <summary>A scalar written as JSON: quoted ones as strings, plain ones resolved as YAML resolves them.</summary>
        private bool Value(Utf8JsonWriter writer, ReadOnlySpan<char> value, ScalarWriter scalar)
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
        private static bool IsPlain(ReadOnlySpan<char> text) =>
            text.Length > 0 && "[]{},#&*!|>'\"%@`".IndexOf(text[0]) < 0 && !(text[0] is '-' or '?' or ':' && (text.Length == 1 || text[1] == ' ')) &&
            text is not ("---" or "...");

        private static bool IsCommentOrEnd(ReadOnlySpan<char> line, int end) =>
            end == line.Length || (line[end] == ' ' && line[end..].TrimStart(' ') is var after && (after.Length == 0 || after[0] == '#'));

        /// <summary>
        /// A single- or double-quoted scalar on one line; <paramref name="end"/> is just past its closing quote. The value
        /// is a window of the line when it has no escapes, else of a buffer the next quoted scalar reuses.
        /// </summary>
        private bool Quoted(ReadOnlySpan<char> line, out ReadOnlySpan<char> value, out int end)
        {
            var quote = line[0];
            var special = line[1..].IndexOfAny(quote, '\\');
            if (special >= 0 && line[1 + special] == quote && (quote == '"' || 2 + special == line.Length || line[2 + special] != '\''))
            {
                value = line.Slice(1, special);
                end = special + 2;
                return true;
            }

            _unquoted.ResetWrittenCount();
            for (var i = 1; i < line.Length; i++)
            {
                var c = line[i];
                if (quote == '\'')
                {
                    if (c == '\'')
                    {
                        if (i + 1 < line.Length && line[i + 1] == '\'')
                        {
                            Append('\'');
                            i++;
                            continue;
                        }

                        value = _unquoted.WrittenSpan;
                        end = i + 1;
                        return true;
                    }

                    Append(c);
                    continue;
                }

                if (c == '"')
                {
                    value = _unquoted.WrittenSpan;
                    end = i + 1;
                    return true;
                }

                if (c != '\\')
                {
                    Append(c);
                    continue;
                }

                if (++i >= line.Length || !Escape(line, ref i))
                {
                    break;
                }
            }

            value = default;
            end = 0;
            return false;
        }

        private void Append(char c)
        {
            _unquoted.GetSpan(1)[0] = c;
            _unquoted.Advance(1);
        }

        /// <summary>YAML's double-quoted escapes; <paramref name="i"/> is on the character after the backslash.</summary>
        private bool Escape(ReadOnlySpan<char> line, ref int i)
        {
            var simple = line[i] switch
            {
                '0' => '\0', 'a' => '\a', 'b' => '\b', 't' => '\t', 'n' => '\n', 'v' => '\v', 'f' => '\f', 'r' => '\r', 'e' => '\u001b',
                ' ' => ' ', '"' => '"', '/' => '/', '\\' => '\\', 'N' => '\u0085', '_' => '\u00a0', 'L' => '\u2028', 'P' => '\u2029',
                _ => (char?)null,
            };
            if (simple is { } known)
            {
                Append(known);
                return true;
            }

            var digits = line[i] switch { 'x' => 2, 'u' => 4, 'U' => 8, _ => 0 };
            if (digits == 0 || i + digits >= line.Length ||
                !int.TryParse(line.Slice(i + 1, digits), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code) ||
                !Rune.IsValid(code))
            {
                return false;
            }

            _unquoted.Advance(new Rune(code).EncodeToUtf16(_unquoted.GetSpan(2)));
            i += digits;
            return true;
        }
    }

    /// <summary>Keys compared by their text, wherever it is held.</summary>
    private sealed class SameText : IEqualityComparer<ReadOnlyMemory<char>>
    {
        public static readonly SameText Instance = new();

        public bool Equals(ReadOnlyMemory<char> x, ReadOnlyMemory<char> y) => x.Span.SequenceEqual(y.Span);

        public int GetHashCode(ReadOnlyMemory<char> text) => string.GetHashCode(text.Span);
    }
}
