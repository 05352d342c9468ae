using System.Globalization;

namespace PodStatus.Api.Simulation.Templates;

/// <summary>
/// The sprig functions (github.com/Masterminds/sprig, which KWOK's renderer adds to every template) that KWOK's
/// published stages call, with sprig's meaning: <c>dict</c> and <c>list</c> build values, <c>add</c>, <c>add1</c> and
/// <c>sub</c> count in int64 after cast's conversions, <c>default</c>, <c>empty</c> and <c>hasKey</c> test values. Any
/// other sprig function is not defined here, so a stage that calls one fails when it is loaded.
/// </summary>
public static class SprigFunctions
{
    public static Dictionary<string, GoFunction> Create() => new()
    {
        ["dict"] = new([GoParameter.Any], true, args => Dict(args)),
        ["list"] = new([GoParameter.Any], true, args => args.ToList()),
        ["add1"] = new([GoParameter.Any], false, args => ToInt64(args[0]) + 1),
        ["add"] = new([GoParameter.Any], true, args => args.Sum(ToInt64)),
        ["sub"] = new([GoParameter.Any, GoParameter.Any], false, args => ToInt64(args[0]) - ToInt64(args[1])),
        ["default"] = new([GoParameter.Any, GoParameter.Any], true, args => args.Length < 2 || IsEmpty(args[1]) ? args[0] : args[1]),
        ["empty"] = new([GoParameter.Any], false, args => IsEmpty(args[0])),
        ["hasKey"] = new([GoParameter.Any, GoParameter.String], false, args =>
            args[0] is IReadOnlyDictionary<string, object?> map && map.ContainsKey((string)args[1]!)),
    };

    /// <summary>sprig's dict: pairs of key and value (a key printed as fmt's %v); a key without a value gets "".</summary>
    private static Dictionary<string, object?> Dict(object?[] args)
    {
        var map = new Dictionary<string, object?>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i += 2)
        {
            map[GoFormat.Print(args[i])] = i + 1 < args.Length ? args[i + 1] : "";
        }

        return map;
    }

    /// <summary>cast.ToInt64 as sprig calls it: numbers truncated, strings read as integers (a trailing ".0" dropped), anything
    /// it cannot read as 0.</summary>
    public static long ToInt64(object? value) => value switch
    {
        long number => number,
        double number => (long)number,
        bool flag => flag ? 1 : 0,
        GoNumber number => long.TryParse(number.Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed) ? parsed : 0,
        string text => long.TryParse(text.EndsWith(".0", StringComparison.Ordinal) ? text[..^2] : text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed) ? parsed : 0,
        _ => 0,
    };

    /// <summary>sprig's empty: nil, false, 0, and an empty string, list or map.</summary>
    public static bool IsEmpty(object? value) => value switch
    {
        null => true,
        bool flag => !flag,
        long number => number == 0,
        double number => number == 0,
        string text => text.Length == 0,
        GoNumber number => number.Text.Length == 0,
        IReadOnlyDictionary<string, object?> map => map.Count == 0,
        IReadOnlyList<object?> list => list.Count == 0,
        _ => ReferenceEquals(value, GoTemplate.NoValue),
    };
}
