using System.Buffers;
using System.Text;
using System.Text.Unicode;

namespace PodStatus.Api.Serialization;

/// <summary>
/// JSON text as Go's decoder reads it (kube-apiserver decodes with a fork of <c>encoding/json</c>): every byte that
/// is not part of valid UTF-8 becomes U+FFFD (<c>utf8.DecodeRune</c> consumes one byte of an invalid sequence), and
/// so does a <c>\u</c> escape of a lone surrogate. System.Text.Json would reject the first and throw on the second;
/// repaired, such a body meets the usual checks (an invalid name is a 422, an unknown field a warning).
/// </summary>
public static class GoJsonText
{
    private static readonly byte[] Replacement = "\uFFFD"u8.ToArray();

    /// <summary>The body unchanged when it needs no repair (the usual case, checked without copying), else a repaired copy.</summary>
    public static ReadOnlySequence<byte> Repair(ReadOnlySequence<byte> json)
    {
        if (json.IsSingleSegment)
        {
            return NeedsRepair(json.FirstSpan) ? new ReadOnlySequence<byte>(Repair(json.FirstSpan)) : json;
        }

        var bytes = json.ToArray();
        return new ReadOnlySequence<byte>(NeedsRepair(bytes) ? Repair(bytes) : bytes);
    }

    public static byte[] Repair(byte[] json) => NeedsRepair(json) ? Repair(json.AsSpan()) : json;

    private static bool NeedsRepair(ReadOnlySpan<byte> json) =>
        !Utf8.IsValid(json) || (json.Contains((byte)'\\') && FindLoneSurrogateEscape(json, 0) >= 0);

    private static byte[] Repair(ReadOnlySpan<byte> json)
    {
        var output = new ArrayBufferWriter<byte>(json.Length + 16);
        while (!json.IsEmpty)
        {
            var status = Rune.DecodeFromUtf8(json, out _, out var consumed);
            if (status == OperationStatus.Done)
            {
                output.Write(json[..consumed]);
                json = json[consumed..];
            }
            else
            {
                output.Write(Replacement);
                json = json[1..];
            }
        }

        var repaired = output.WrittenSpan.ToArray();
        ReplaceLoneSurrogateEscapes(repaired);
        return repaired;
    }

    /// <summary><c>\uD800</c> without a low surrogate escape after it, or a low one alone, becomes <c>\uFFFD</c> (same length).</summary>
    private static void ReplaceLoneSurrogateEscapes(Span<byte> json)
    {
        for (var at = FindLoneSurrogateEscape(json, 0); at >= 0; at = FindLoneSurrogateEscape(json, at + 6))
        {
            "\\uFFFD"u8.CopyTo(json[at..]);
        }
    }

    /// <summary>Where the next lone surrogate escape starts, from <paramref name="start"/>; -1 when there is none.</summary>
    private static int FindLoneSurrogateEscape(ReadOnlySpan<byte> json, int start)
    {
        for (var i = start; i < json.Length - 1; i++)
        {
            if (json[i] != '\\')
            {
                continue;
            }

            if (json[i + 1] != 'u' || !TryReadHex(json, i + 2, out var unit))
            {
                i++; // An escaped character (\\, \" ...): skip it, so "\\u" is not read as an escape.
                continue;
            }

            if (char.IsHighSurrogate(unit) && json.Length >= i + 12 && json[i + 6] == '\\' && json[i + 7] == 'u' &&
                TryReadHex(json, i + 8, out var low) && char.IsLowSurrogate(low))
            {
                i += 11; // A valid pair.
            }
            else if (char.IsSurrogate(unit))
            {
                return i;
            }
            else
            {
                i += 5;
            }
        }

        return -1;
    }

    private static bool TryReadHex(ReadOnlySpan<byte> json, int at, out char unit)
    {
        unit = '\0';
        if (json.Length < at + 4)
        {
            return false;
        }

        var value = 0;
        foreach (var b in json.Slice(at, 4))
        {
            var digit = HexConverter(b);
            if (digit < 0)
            {
                return false;
            }

            value = value * 16 + digit;
        }

        unit = (char)value;
        return true;
    }

    private static int HexConverter(byte b) => b switch
    {
        >= (byte)'0' and <= (byte)'9' => b - '0',
        >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
        >= (byte)'A' and <= (byte)'F' => b - 'A' + 10,
        _ => -1,
    };
}
