namespace PodStatus.Api.Serialization;

/// <summary>
/// Go's <c>time.ParseDuration</c>: a sign, then decimal numbers each with a unit (<c>ns</c>, <c>us</c>/<c>µs</c>,
/// <c>ms</c>, <c>s</c>, <c>m</c>, <c>h</c>), as <c>1h30m</c>, <c>-1.5s</c>, <c>.5ms</c>; <c>0</c> alone needs no
/// unit. Its errors are Go's (<c>time: missing unit in duration "5"</c>). Durations are kept to .NET's 100 ns.
/// </summary>
public static class GoDuration
{
    private static readonly Dictionary<string, ulong> Units = new()
    {
        ["ns"] = 1,
        ["us"] = 1_000,
        ["µs"] = 1_000, // U+00B5, the micro sign
        ["μs"] = 1_000, // U+03BC, Greek mu
        ["ms"] = 1_000_000,
        ["s"] = 1_000_000_000,
        ["m"] = 60_000_000_000,
        ["h"] = 3_600_000_000_000,
    };

    public static bool TryParse(string text, out TimeSpan duration, out string error)
    {
        duration = default;
        error = $"time: invalid duration {GoStrconv.Quote(text)}";
        var s = text.AsSpan();
        var negative = false;
        if (s.Length > 0 && s[0] is '-' or '+')
        {
            negative = s[0] == '-';
            s = s[1..];
        }

        if (s is "0")
        {
            error = "";
            return true;
        }

        if (s.IsEmpty)
        {
            return false;
        }

        ulong total = 0;
        while (!s.IsEmpty)
        {
            if (!(s[0] == '.' || char.IsAsciiDigit(s[0])))
            {
                return false;
            }

            // The integer part, then the fraction (digits past what fits are dropped, as Go's leadingFraction).
            var before = s.Length;
            ulong whole = 0;
            while (!s.IsEmpty && char.IsAsciiDigit(s[0]))
            {
                if (whole > (ulong.MaxValue - 9) / 10 || whole * 10 + (ulong)(s[0] - '0') > 1UL << 63)
                {
                    return false;
                }

                whole = whole * 10 + (ulong)(s[0] - '0');
                s = s[1..];
            }

            var hasWhole = before != s.Length;
            ulong fraction = 0;
            var scale = 1.0;
            var hasFraction = false;
            if (!s.IsEmpty && s[0] == '.')
            {
                s = s[1..];
                var overflow = false;
                while (!s.IsEmpty && char.IsAsciiDigit(s[0]))
                {
                    hasFraction = true;
                    if (!overflow && fraction <= (ulong.MaxValue - 9) / 10 && fraction * 10 + (ulong)(s[0] - '0') <= 1UL << 63)
                    {
                        fraction = fraction * 10 + (ulong)(s[0] - '0');
                        scale *= 10;
                    }
                    else
                    {
                        overflow = true;
                    }

                    s = s[1..];
                }
            }

            if (!hasWhole && !hasFraction)
            {
                return false;
            }

            var unitLength = 0;
            while (unitLength < s.Length && s[unitLength] != '.' && !char.IsAsciiDigit(s[unitLength]))
            {
                unitLength++;
            }

            if (unitLength == 0)
            {
                error = $"time: missing unit in duration {GoStrconv.Quote(text)}";
                return false;
            }

            var unitText = s[..unitLength].ToString();
            s = s[unitLength..];
            if (!Units.TryGetValue(unitText, out var unit))
            {
                error = $"time: unknown unit {GoStrconv.Quote(unitText)} in duration {GoStrconv.Quote(text)}";
                return false;
            }

            if (whole > (1UL << 63) / unit)
            {
                return false;
            }

            whole *= unit;
            if (fraction > 0)
            {
                whole += (ulong)(fraction * (unit / scale));
                if (whole > 1UL << 63)
                {
                    return false;
                }
            }

            total += whole;
            if (total > 1UL << 63)
            {
                return false;
            }
        }

        if (!negative && total > long.MaxValue)
        {
            return false;
        }

        var nanoseconds = negative ? -(long)(total - 1) - 1 : (long)total;
        duration = TimeSpan.FromTicks(nanoseconds / 100);
        error = "";
        return true;
    }
}
