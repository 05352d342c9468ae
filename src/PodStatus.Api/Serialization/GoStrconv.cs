using System.Globalization;
using System.Text;

namespace PodStatus.Api.Serialization;

/// <summary>
/// Go's <c>strconv</c> rules and messages, which kube-apiserver applies to query parameters and quotes in its
/// errors: .NET's parsers accept other spellings (spaces, thousands separators, "True" for ParseBool ...).
/// </summary>
public static class GoStrconv
{
    /// <summary><c>strconv.ParseInt(s, 10, 64)</c>: an optional sign, then decimal digits only.</summary>
    public static bool TryParseInt64(string text, out long value, out string error) => TryParseSigned(text, "ParseInt", out value, out error);

    /// <summary><c>strconv.Atoi</c>, on a 64-bit platform: the same rules as ParseInt, under its own name.</summary>
    public static bool TryAtoi(string text, out long value, out string error) => TryParseSigned(text, "Atoi", out value, out error);

    private static bool TryParseSigned(string text, string function, out long value, out string error)
    {
        value = 0;
        var negative = text.StartsWith('-');
        var digits = text.Length > 0 && text[0] is '+' or '-' ? text[1..] : text;
        if (!TryParseDigits(digits, out var magnitude, out var failure))
        {
            error = NumError(function, text, failure!);
            return false;
        }

        if (magnitude > (negative ? 1UL << 63 : long.MaxValue))
        {
            error = NumError(function, text, "value out of range");
            return false;
        }

        value = negative ? (long)(0 - magnitude) : (long)magnitude;
        error = "";
        return true;
    }

    /// <summary><c>strconv.ParseUint(s, 10, 64)</c>: decimal digits only, no sign.</summary>
    public static bool TryParseUInt64(string text, out ulong value, out string error)
    {
        var parsed = TryParseDigits(text, out value, out var failure);
        error = parsed ? "" : NumError("ParseUint", text, failure!);
        return parsed;
    }

    /// <summary><c>strconv.ParseBool</c>; null for anything else.</summary>
    public static bool? ParseBool(string text) => text switch
    {
        "1" or "t" or "T" or "TRUE" or "true" or "True" => true,
        "0" or "f" or "F" or "FALSE" or "false" or "False" => false,
        _ => null,
    };

    /// <summary>
    /// <c>strconv.Quote</c>: printable characters as they are; quotes, backslashes and control characters
    /// escaped; other unprintable characters as <c>\u</c> escapes.
    /// </summary>
    public static string Quote(string value) => QuoteRunes(value, asciiOnly: false);

    /// <summary><c>strconv.QuoteToASCII</c>: as <c>Quote</c>, with every non-ASCII character escaped.</summary>
    public static string QuoteToAscii(string value) => QuoteRunes(value, asciiOnly: true);

    private static string QuoteRunes(string value, bool asciiOnly)
    {
        var builder = new StringBuilder(value.Length + 2).Append('"');
        foreach (var rune in value.EnumerateRunes())
        {
            _ = rune.Value switch
            {
                '"' => builder.Append("\\\""),
                '\\' => builder.Append("\\\\"),
                '\a' => builder.Append("\\a"),
                '\b' => builder.Append("\\b"),
                '\f' => builder.Append("\\f"),
                '\n' => builder.Append("\\n"),
                '\r' => builder.Append("\\r"),
                '\t' => builder.Append("\\t"),
                '\v' => builder.Append("\\v"),
                < ' ' or 0x7f => builder.Append(CultureInfo.InvariantCulture, $"\\x{rune.Value:x2}"),
                _ when IsPrint(rune) && (rune.IsAscii || !asciiOnly) => builder.Append(rune.ToString()),
                < 0x10000 => builder.Append(CultureInfo.InvariantCulture, $"\\u{rune.Value:x4}"),
                _ => builder.Append(CultureInfo.InvariantCulture, $"\\U{rune.Value:x8}"),
            };
        }

        return builder.Append('"').ToString();
    }

    /// <summary><c>unicode.IsPrint</c>: letters, marks, numbers, punctuation, symbols and the ASCII space.</summary>
    public static bool IsPrint(Rune rune) => rune.Value == ' ' || Rune.GetUnicodeCategory(rune) switch
    {
        UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse or
            UnicodeCategory.OtherNotAssigned or UnicodeCategory.SpaceSeparator or UnicodeCategory.LineSeparator or
            UnicodeCategory.ParagraphSeparator => false,
        _ => true,
    };

    private static bool TryParseDigits(string digits, out ulong value, out string? failure)
    {
        value = 0;
        failure = digits.Length == 0 ? "invalid syntax" : null;
        foreach (var c in digits)
        {
            if (!char.IsAsciiDigit(c))
            {
                failure = "invalid syntax";
                break;
            }

            // Go stops at the first overflow, so "99999999999999999999x" is out of range, not invalid.
            if (value > (ulong.MaxValue - (ulong)(c - '0')) / 10)
            {
                failure = "value out of range";
                break;
            }

            value = value * 10 + (ulong)(c - '0');
        }

        return failure is null;
    }

    private static string NumError(string function, string text, string failure) =>
        $"strconv.{function}: parsing {Quote(text)}: {failure}";
}
