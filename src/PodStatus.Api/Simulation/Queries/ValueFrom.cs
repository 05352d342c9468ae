using System.Globalization;
using PodStatus.Api.Serialization;

namespace PodStatus.Api.Simulation.Queries;

/// <summary>
/// A stage's delay or jitter (KWOK's newDurationFrom): a fixed duration, or a jq expression over the object whose
/// first result is an RFC 3339 time (the delay lasts until then) or a Go duration; when the expression gives nothing
/// else, the fixed duration if there is one.
/// </summary>
public sealed class DurationFrom
{
    private readonly TimeSpan? _value;
    private readonly JqQuery? _query;

    private DurationFrom(TimeSpan? value, JqQuery? query)
    {
        _value = value;
        _query = query;
    }

    /// <summary>Null when neither is given (KWOK's durationNoop: no delay is known).</summary>
    public static DurationFrom? Create(long? milliseconds, string? expression) =>
        milliseconds is null && expression is null
            ? null
            : new DurationFrom(milliseconds is { } ms ? TimeSpan.FromMilliseconds(ms) : null, expression is null ? null : JqQuery.Parse(expression));

    public bool TryGet(object? data, DateTimeOffset now, out TimeSpan duration)
    {
        duration = _value ?? TimeSpan.Zero;
        if (_query is null)
        {
            return true;
        }

        // As KWOK v0.7's durationFrom.Get: an expression that fails, or gives an empty string, is no delay; one that
        // gives a time or a duration is that; anything else (null, a number, other text) is the fixed duration.
        var results = _query.Execute(data);
        if (results is null || results is [""])
        {
            duration = TimeSpan.Zero;
            return false;
        }

        if (results is [string text, ..])
        {
            if (GoTime.TryParseRfc3339(text, out var time, out _))
            {
                duration = time - now.UtcDateTime;
                return true;
            }

            if (GoDuration.TryParse(text, out var parsed, out _))
            {
                duration = parsed;
                return true;
            }
        }

        return _value is not null;
    }
}

/// <summary>
/// A stage's weight (KWOK's expression.NewIntFrom): a fixed number, or a jq expression whose first result is a
/// number (truncated) or a string Go's strconv.ParseInt reads with base 0 (<c>10</c>, <c>0x1f</c>); when it gives
/// nothing, or something else, the fixed number if there is one.
/// </summary>
public sealed class IntFrom
{
    private readonly long? _value;
    private readonly JqQuery? _query;

    private IntFrom(long? value, JqQuery? query)
    {
        _value = value;
        _query = query;
    }

    public static IntFrom? Create(long? value, string? expression) =>
        value is null && expression is null ? null : new IntFrom(value, expression is null ? null : JqQuery.Parse(expression));

    public bool TryGet(object? data, out long value)
    {
        value = _value ?? 0;
        if (_query is null)
        {
            return true;
        }

        var results = _query.Execute(data);
        switch (results is { Count: > 0 } ? results[0] : null)
        {
            case null when results is not { Count: > 0 }:
                return _value is not null;
            case string text:
                var parsed = text.Length > 0 && TryParseBase0(text, out value);
                value = parsed ? value : 0;
                return parsed;
            case double number:
                value = (long)number;
                return true;
            default:
                return _value is not null;
        }
    }

    /// <summary>strconv.ParseInt(s, 0, 64): a sign, then 0x, 0o, 0b or a leading 0 (octal) chooses the base, and
    /// underscores may separate digits after a prefix.</summary>
    private static bool TryParseBase0(string text, out long value)
    {
        value = 0;
        var s = text;
        var negative = s[0] == '-';
        if (s[0] is '-' or '+')
        {
            s = s[1..];
        }

        var (radix, digits) = s.Length > 1 && s[0] == '0'
            ? char.ToLowerInvariant(s[1]) switch
            {
                'x' => (16, s[2..]),
                'o' => (8, s[2..]),
                'b' => (2, s[2..]),
                _ => (8, s[1..]),
            }
            : (10, s);
        var clean = radix == 10 ? digits : digits.Replace("_", "");
        if (clean.Length == 0 || (radix == 10 && clean.Contains('_')))
        {
            return false;
        }

        try
        {
            var magnitude = radix == 10
                ? ulong.Parse(clean, NumberStyles.None, CultureInfo.InvariantCulture)
                : Convert.ToUInt64(clean, radix);
            if (magnitude > (negative ? 1UL << 63 : long.MaxValue))
            {
                return false;
            }

            value = negative ? (long)(0 - magnitude) : (long)magnitude;
            return true;
        }
        catch (Exception error) when (error is FormatException or OverflowException or ArgumentException)
        {
            return false;
        }
    }
}
