using System.Text;

namespace PodStatus.Api.Serialization;

/// <summary>
/// Go's <c>time.Parse(time.RFC3339, s)</c>, which <c>metav1.Time</c> decodes with: what it accepts (a one-digit
/// hour, a comma before the fraction, offsets up to 24:00) and its errors, word for word
/// (<c>parsing time "x" as "2006-01-02T15:04:05Z07:00": cannot parse "x" as "2006"</c>, <c>month out of range</c>);
/// and <c>time.Parse(RFC3339Micro, s)</c>, which <c>metav1.MicroTime</c> decodes with: exactly six fraction digits.
/// </summary>
public static class GoTime
{
    private const string Layout = "2006-01-02T15:04:05Z07:00";
    private const string MicroLayout = "2006-01-02T15:04:05.000000Z07:00";

    /// <summary>The layout's elements as Go's parser walks them: the literal before each, and the element.</summary>
    private static readonly (string Prefix, string Element)[] Elements =
    [
        ("", "2006"), ("-", "01"), ("-", "02"), ("T", "15"), (":", "04"), (":", "05"), ("", "Z07:00"),
    ];

    private static readonly (string Prefix, string Element)[] MicroElements =
    [
        ("", "2006"), ("-", "01"), ("-", "02"), ("T", "15"), (":", "04"), (":", "05"), ("", ".000000"), ("", "Z07:00"),
    ];

    public static bool TryParseRfc3339(ReadOnlySpan<char> value, out DateTime utc, out string error) => TryParse(value, micro: false, out utc, out error);

    /// <summary>A MicroTime: the fraction is part of the layout, so it must be there, with six digits.</summary>
    public static bool TryParseRfc3339Micro(ReadOnlySpan<char> value, out DateTime utc, out string error) => TryParse(value, micro: true, out utc, out error);

    private static bool TryParse(ReadOnlySpan<char> value, bool micro, out DateTime utc, out string error)
    {
        var layout = micro ? MicroLayout : Layout;
        utc = default;
        var rest = value;
        int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0, offsetSeconds = 0;
        long ticks = 0;
        foreach (var (prefix, element) in micro ? MicroElements : Elements)
        {
            if (!rest.StartsWith(prefix, StringComparison.Ordinal))
            {
                error = CannotParse(value, layout, rest, prefix);
                return false;
            }

            rest = rest[prefix.Length..];
            var hold = rest;
            string? range = null;
            var ok = element switch
            {
                "2006" => rest.Length >= 4 && char.IsAsciiDigit(rest[0]) && TryAtoi(rest[..4], out year) && Advance(ref rest, 4),
                "01" => GetNum(ref rest, fixedWidth: true, out month) && InRange(month is >= 1 and <= 12, "month", ref range),
                "02" => GetNum(ref rest, fixedWidth: true, out day),
                "15" => GetNum(ref rest, fixedWidth: false, out hour) && InRange(hour < 24, "hour", ref range),
                "04" => GetNum(ref rest, fixedWidth: true, out minute) && InRange(minute < 60, "minute", ref range),
                // A fraction the layout does not name is taken after the seconds, as Go takes it.
                "05" => GetNum(ref rest, fixedWidth: true, out second) && InRange(second < 60, "second", ref range) && (micro || Fraction(ref rest, out ticks)),
                ".000000" => SixDigitFraction(ref rest, out ticks),
                _ => Zone(ref rest, out offsetSeconds, ref range),
            };
            if (!ok)
            {
                error = CannotParse(value, layout, hold, element);
                return false;
            }

            if (range is not null)
            {
                error = $"parsing time {Quote(value.ToString())}: {range} out of range";
                return false;
            }
        }

        if (!rest.IsEmpty)
        {
            error = $"parsing time {Quote(value.ToString())}: extra text: {Quote(rest.ToString())}";
            return false;
        }

        if (day < 1 || day > DateTime.DaysInMonth(Math.Max(year, 1), month))
        {
            error = $"parsing time {Quote(value.ToString())}: day out of range";
            return false;
        }

        // Go's times reach back before year 1; a pod timestamp never does, and DateTime cannot hold one.
        var local = year >= 1 ? new DateTime(year, month, day, hour, minute, second, DateTimeKind.Utc).AddTicks(ticks) : DateTime.MinValue;
        utc = local.AddSeconds(-offsetSeconds);
        error = "";
        return true;
    }

    /// <summary>Go parses on past a value out of range and reports it once the element is read.</summary>
    private static bool InRange(bool inRange, string name, ref string? range)
    {
        range = inRange ? range : name;
        return true;
    }

    private static bool Advance(ref ReadOnlySpan<char> rest, int count)
    {
        rest = rest[count..];
        return true;
    }

    /// <summary>Go's <c>atoi</c> as the year uses it: an optional sign, then digits only.</summary>
    private static bool TryAtoi(ReadOnlySpan<char> text, out int value)
    {
        var negative = text[0] == '-';
        var digits = text[0] is '-' or '+' ? text[1..] : text;
        value = 0;
        if (digits.IsEmpty)
        {
            return false;
        }

        foreach (var c in digits)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }

            value = value * 10 + (c - '0');
        }

        value = negative ? -value : value;
        return true;
    }

    /// <summary>Go's <c>getnum</c>: two digits, or one when the width is not fixed.</summary>
    private static bool GetNum(ref ReadOnlySpan<char> rest, bool fixedWidth, out int value)
    {
        value = 0;
        if (rest.IsEmpty || !char.IsAsciiDigit(rest[0]))
        {
            return false;
        }

        if (rest.Length < 2 || !char.IsAsciiDigit(rest[1]))
        {
            if (fixedWidth)
            {
                return false;
            }

            value = rest[0] - '0';
            rest = rest[1..];
            return true;
        }

        value = (rest[0] - '0') * 10 + (rest[1] - '0');
        rest = rest[2..];
        return true;
    }

    /// <summary>A fraction after the seconds, which the layout does not name but Go takes: a point or comma, then digits.</summary>
    private static bool Fraction(ref ReadOnlySpan<char> rest, out long ticks)
    {
        ticks = 0;
        if (rest.Length < 2 || rest[0] is not ('.' or ',') || !char.IsAsciiDigit(rest[1]))
        {
            return true;
        }

        var n = 1;
        while (n < rest.Length && char.IsAsciiDigit(rest[n]))
        {
            n++;
        }

        // Nanoseconds from at most nine digits; ticks are 100 ns.
        var digits = rest[1..Math.Min(n, 10)];
        var nanoseconds = long.Parse(digits, provider: System.Globalization.CultureInfo.InvariantCulture);
        for (var i = digits.Length; i < 9; i++)
        {
            nanoseconds *= 10;
        }

        ticks = nanoseconds / 100;
        rest = rest[n..];
        return true;
    }

    /// <summary>Go's <c>stdFracSecond0</c>: a point or comma and exactly the layout's six digits.</summary>
    private static bool SixDigitFraction(ref ReadOnlySpan<char> rest, out long ticks)
    {
        ticks = 0;
        if (rest.Length < 7 || rest[0] is not ('.' or ',') || rest[1..7].ContainsAnyExceptInRange('0', '9'))
        {
            return false;
        }

        ticks = long.Parse(rest[1..7], provider: System.Globalization.CultureInfo.InvariantCulture) * 10;
        rest = rest[7..];
        return true;
    }

    /// <summary>Writes a MicroTime as upstream does: UTC, six fraction digits.</summary>
    public static string FormatMicro(DateTime value) =>
        (value.Kind == DateTimeKind.Local ? value.ToUniversalTime() : value).ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary><c>Z</c>, or <c>±hh:mm</c>; Go allows offsets up to 24 hours and 60 minutes.</summary>
    private static bool Zone(ref ReadOnlySpan<char> rest, out int offsetSeconds, ref string? range)
    {
        offsetSeconds = 0;
        if (!rest.IsEmpty && rest[0] == 'Z')
        {
            rest = rest[1..];
            return true;
        }

        if (rest.Length < 6 || rest[3] != ':')
        {
            return false;
        }

        var hours = rest[1..3];
        var minutes = rest[4..6];
        var sign = rest[0];
        if (!GetNum(ref hours, fixedWidth: true, out var hh) || !GetNum(ref minutes, fixedWidth: true, out var mm) || sign is not ('+' or '-'))
        {
            return false;
        }

        InRange(hh <= 24, "time zone offset hour", ref range);
        InRange(mm <= 60, "time zone offset minute", ref range);
        offsetSeconds = (sign == '-' ? -1 : 1) * (hh * 60 + mm) * 60;
        rest = rest[6..];
        return true;
    }

    private static string CannotParse(ReadOnlySpan<char> value, string layout, ReadOnlySpan<char> rest, string element) =>
        $"parsing time {Quote(value.ToString())} as {Quote(layout)}: cannot parse {Quote(rest.ToString())} as {Quote(element)}";

    /// <summary>The time package's own <c>quote</c>: non-ASCII and control characters as <c>\x</c> bytes.</summary>
    private static string Quote(string text)
    {
        var builder = new StringBuilder(text.Length + 2).Append('"');
        Span<byte> bytes = stackalloc byte[4];
        foreach (var rune in text.EnumerateRunes())
        {
            if (rune.Value is >= 0x80 or < ' ')
            {
                var length = rune.EncodeToUtf8(bytes);
                foreach (var b in bytes[..length])
                {
                    builder.Append("\\x").Append(b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
                }
            }
            else
            {
                if (rune.Value is '"' or '\\')
                {
                    builder.Append('\\');
                }

                builder.Append((char)rune.Value);
            }
        }

        return builder.Append('"').ToString();
    }
}
