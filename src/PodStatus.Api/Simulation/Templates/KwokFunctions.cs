using System.Buffers;
using System.Globalization;
using System.Text;

namespace PodStatus.Api.Simulation.Templates;

/// <summary>
/// The functions KWOK's renderer gives every stage template (pkg/utils/gotpl/funcs.go) that need nothing but the
/// clock: <c>Quote</c>, <c>Now</c>, <c>StartTime</c>, <c>YAML</c>, <c>Version</c> and <c>NodeConditions</c>.
/// </summary>
public static class KwokFunctions
{
    /// <param name="clock">The server's clock: <c>Now</c> reads it, and <c>StartTime</c> is its time when this is called.</param>
    /// <param name="version">What <c>Version</c> gives (KWOK's own version there, printed as <c>kwok-VERSION</c> by its stages).</param>
    public static Dictionary<string, GoFunction> Create(TimeProvider clock, string version)
    {
        var startTime = Rfc3339Nano(clock.GetUtcNow());
        return new()
        {
            ["Quote"] = new([GoParameter.Any], false, args => Quote(args[0])),
            ["Now"] = new([], false, _ => Rfc3339Nano(clock.GetUtcNow())),
            ["StartTime"] = new([], false, _ => startTime),
            ["YAML"] = new([GoParameter.Any, GoParameter.Int], true, args => Yaml(args[0], args.Length > 1 ? (long)args[1]! : 0)),
            ["Version"] = new([], false, _ => version),
            ["NodeConditions"] = new([], false, _ => NodeConditions()),
        };
    }

    /// <summary>json.Marshal of the value when that gives a JSON string, else that JSON quoted by strconv.Quote.</summary>
    public static string Quote(object? value)
    {
        var json = GoJsonMarshal(value);
        return json.StartsWith('"') ? json : Serialization.GoStrconv.Quote(json);
    }

    /// <summary>time.Time.Format(time.RFC3339Nano) in UTC: the fraction without its trailing zeros.</summary>
    public static string Rfc3339Nano(DateTimeOffset time)
    {
        var utc = time.UtcDateTime;
        var fraction = (utc.Ticks % TimeSpan.TicksPerSecond).ToString("0000000", CultureInfo.InvariantCulture).TrimEnd('0');
        return utc.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture) + (fraction.Length > 0 ? "." + fraction : "") + "Z";
    }

    /// <summary>
    /// sigs.k8s.io/yaml's Marshal (keys sorted, block style, a list's items at its key's indentation); with an
    /// indent, every line is pushed right by two spaces per level and the text starts on a new line, as KWOK's YAML.
    /// </summary>
    public static string Yaml(object? value, long indent)
    {
        var text = new StringBuilder();
        WriteYaml(text, value, 0, inList: false);
        var yaml = text.ToString();
        if (indent > 0)
        {
            var pad = new string(' ', (int)indent * 2);
            yaml = ("\n" + yaml).Replace("\n", "\n" + pad);
        }

        return yaml;
    }

    private static void WriteYaml(StringBuilder text, object? value, int indent, bool inList)
    {
        var pad = new string(' ', indent);
        switch (value)
        {
            case IReadOnlyDictionary<string, object?> { Count: > 0 } map:
                var first = true;
                foreach (var (key, item) in map.OrderBy(pair => pair.Key, StringComparer.Ordinal))
                {
                    // The first key of a map in a list shares the line of its "- ".
                    text.Append(first && inList ? "" : pad).Append(Scalar(key)).Append(':');
                    first = false;
                    WriteValue(text, item, indent);
                }

                break;
            case IReadOnlyList<object?> { Count: > 0 } list:
                foreach (var item in list)
                {
                    text.Append(pad).Append("- ");
                    if (item is IReadOnlyDictionary<string, object?> { Count: > 0 } or IReadOnlyList<object?> { Count: > 0 })
                    {
                        var nested = new StringBuilder();
                        WriteYaml(nested, item, indent + 2, inList: true);
                        text.Append(item is IReadOnlyList<object?> ? nested.ToString().TrimStart() : nested.ToString());
                    }
                    else
                    {
                        text.Append(Scalar(item)).Append('\n');
                    }
                }

                break;
            default:
                text.Append(Scalar(value)).Append('\n');
                break;
        }
    }

    private static void WriteValue(StringBuilder text, object? item, int indent)
    {
        switch (item)
        {
            case IReadOnlyDictionary<string, object?> { Count: > 0 }:
                text.Append('\n');
                WriteYaml(text, item, indent + 2, inList: false);
                break;
            case IReadOnlyList<object?> { Count: > 0 }:
                // go-yaml puts a list's items at the indentation of the key that holds it.
                text.Append('\n');
                WriteYaml(text, item, indent, inList: false);
                break;
            default:
                text.Append(' ').Append(Scalar(item)).Append('\n');
                break;
        }
    }

    /// <summary>
    /// A scalar as YAML reads it back to the same JSON: a string plain when it is a word YAML 1.1 reads as nothing
    /// else (not y, no, on, null...), else double-quoted as JSON writes it. go-yaml leaves a few more plain
    /// (<c>10.0.0.1</c>): the text can differ from KWOK's, never what it reads back as.
    /// </summary>
    private static string Scalar(object? value) => value switch
    {
        IReadOnlyDictionary<string, object?> => "{}",
        IReadOnlyList<object?> => "[]",
        string text when IsPlain(text) => text,
        _ => GoJsonMarshal(value),
    };

    private static readonly HashSet<string> Yaml11Words = new(StringComparer.OrdinalIgnoreCase)
    {
        "y", "yes", "n", "no", "true", "false", "on", "off", "null",
    };

    private static bool IsPlain(string text) =>
        text.Length > 0 && (char.IsAsciiLetter(text[0]) || text[0] is '_' or '/') && !Yaml11Words.Contains(text) &&
        text.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '/' or '-');

    private static List<object?> NodeConditions() =>
    [
        Condition("Ready", "True", "KubeletReady", "kubelet is posting ready status"),
        Condition("MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available"),
        Condition("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
        Condition("PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available"),
        Condition("NetworkUnavailable", "False", "RouteCreated", "RouteController created a route"),
    ];

    // As corev1.NodeCondition marshals with its times unset.
    private static Dictionary<string, object?> Condition(string type, string status, string reason, string message) => new()
    {
        ["type"] = type,
        ["status"] = status,
        ["lastHeartbeatTime"] = null,
        ["lastTransitionTime"] = null,
        ["reason"] = reason,
        ["message"] = message,
    };

    /// <summary>encoding/json's Marshal of template data: HTML characters escaped, map keys sorted.</summary>
    private static string GoJsonMarshal(object? value)
    {
        switch (value)
        {
            case null:
                return "null";
            case string s:
                return GoJsonString(s);
            case bool b:
                return b ? "true" : "false";
            case GoNumber n:
                return n.Text;
            case long l:
                return l.ToString(CultureInfo.InvariantCulture);
            case double d:
                var abs = Math.Abs(d);
                return abs != 0 && (abs < 1e-6 || abs >= 1e21)
                    ? d.ToString("0.################e+00", CultureInfo.InvariantCulture).Replace("e+0", "e+").Replace("e-0", "e-")
                    : d.ToString("R", CultureInfo.InvariantCulture);
            case IReadOnlyDictionary<string, object?> map:
                return "{" + string.Join(",", map.OrderBy(pair => pair.Key, StringComparer.Ordinal).Select(pair => GoJsonString(pair.Key) + ":" + GoJsonMarshal(pair.Value))) + "}";
            case IReadOnlyList<object?> list:
                return "[" + string.Join(",", list.Select(GoJsonMarshal)) + "]";
            default:
                return GoJsonString(value.ToString() ?? "");
        }
    }

    // What Go's encoder escapes (HTML characters included), and surrogates, which it takes for invalid text.
    private static readonly SearchValues<char> Escaped = SearchValues.Create(
        "\"\\<>&\u2028\u2029" + new string([.. Enumerable.Range(0, 0x20).Select(c => (char)c)]));

    private static string GoJsonString(string value)
    {
        // Most strings a stage quotes (names, images, times) need nothing escaped.
        var chars = value.AsSpan();
        if (!chars.ContainsAny(Escaped) && !chars.ContainsAnyInRange('\ud800', '\udfff'))
        {
            return string.Concat("\"", value, "\"");
        }

        var text = new StringBuilder(value.Length + 8).Append('"');
        foreach (var rune in value.EnumerateRunes())
        {
            text.Append(rune.Value switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                '<' or '>' or '&' or 0x2028 or 0x2029 or < 0x20 => $"\\u{rune.Value:x4}",
                _ => rune.ToString(),
            });
        }

        return text.Append('"').ToString();
    }
}
