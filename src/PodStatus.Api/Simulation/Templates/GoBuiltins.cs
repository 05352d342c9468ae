using System.Text;

namespace PodStatus.Api.Simulation.Templates;

/// <summary>text/template's predefined functions (funcs.go), with Go's rules for truth and comparison.</summary>
internal static class GoBuiltins
{
    private const string BadComparison = "incompatible types for comparison";
    private const string BadComparisonType = "invalid type for comparison";

    private static readonly GoParameter[] OneValue = [GoParameter.Value];
    private static readonly GoParameter[] Values = [GoParameter.Value, GoParameter.Value];

    public static readonly IReadOnlyDictionary<string, GoFunction> Functions = new Dictionary<string, GoFunction>
    {
        ["and"] = new(Values, true, _ => throw new InvalidOperationException("and is evaluated by the executor")),
        ["or"] = new(Values, true, _ => throw new InvalidOperationException("or is evaluated by the executor")),
        ["not"] = new(OneValue, false, args => !IsTrue(args[0])),
        ["eq"] = new(Values, true, args => Equal(args[0], args.AsSpan(1))),
        ["ne"] = new(Values, false, args => !Equal(args[0], args.AsSpan(1))),
        ["lt"] = new(Values, false, args => Less(args[0], args[1])),
        ["le"] = new(Values, false, args => Less(args[0], args[1]) || Equal(args[0], args.AsSpan(1))),
        ["gt"] = new(Values, false, args => !Less(args[0], args[1]) && !Equal(args[0], args.AsSpan(1))),
        ["ge"] = new(Values, false, args => !Less(args[0], args[1])),
        ["len"] = new(OneValue, false, args => Length(args[0])),
        ["index"] = new(Values, true, args => Index(args[0], args.AsSpan(1))),
        ["print"] = new([GoParameter.Any], true, args => GoFormat.Sprint(args)),
        ["println"] = new([GoParameter.Any], true, args => string.Join(" ", args.Select(GoFormat.Print)) + "\n"),
        ["printf"] = new([GoParameter.String, GoParameter.Any], true, args => GoFormat.Sprintf((string)args[0]!, args.AsSpan(1))),
    };

    /// <summary>exec.go's isTrue: empty strings, maps and slices, zero numbers, false, nil and no value are false.</summary>
    public static bool IsTrue(object? value) => value switch
    {
        null => false,
        bool b => b,
        string s => s.Length > 0,
        GoNumber n => n.Text.Length > 0,
        long l => l != 0,
        double d => d != 0,
        IReadOnlyDictionary<string, object?> map => map.Count > 0,
        IReadOnlyList<object?> list => list.Count > 0,
        _ => false,
    };

    private enum BasicKind { Invalid, Bool, Int, Float, String }

    private static BasicKind KindOf(object? value) => value switch
    {
        bool => BasicKind.Bool,
        long => BasicKind.Int,
        double => BasicKind.Float,
        string or GoNumber => BasicKind.String,
        _ => BasicKind.Invalid,
    };

    private static bool IsNil(object? value) => value is null || ReferenceEquals(value, GoTemplate.NoValue);

    private static bool Equal(object? first, ReadOnlySpan<object?> others)
    {
        var kind = KindOf(first);
        foreach (var other in others)
        {
            var otherKind = KindOf(other);
            bool truth;
            if (kind != otherKind)
            {
                if (!IsNil(first) && !IsNil(other))
                {
                    throw new GoTemplateException(BadComparison);
                }

                truth = false;
            }
            else
            {
                truth = kind switch
                {
                    BasicKind.Bool => (bool)first! == (bool)other!,
                    BasicKind.Int => (long)first! == (long)other!,
                    BasicKind.Float => (double)first! == (double)other!,
                    BasicKind.String => first!.ToString() == other!.ToString(),
                    _ when IsNil(first) || IsNil(other) => IsNil(first) == IsNil(other),
                    _ => throw new GoTemplateException($"non-comparable types {GoFormat.Print(first)}: {GoFormat.TypeName(first)}, {GoFormat.TypeName(other)}: {GoFormat.Print(other)}"),
                };
            }

            if (truth)
            {
                return true;
            }
        }

        return false;
    }

    private static bool Less(object? first, object? second)
    {
        var kind = KindOf(first);
        if (kind != KindOf(second))
        {
            throw new GoTemplateException(BadComparison);
        }

        return kind switch
        {
            BasicKind.Int => (long)first! < (long)second!,
            BasicKind.Float => (double)first! < (double)second!,
            BasicKind.String => string.CompareOrdinal(first!.ToString(), second!.ToString()) < 0,
            _ => throw new GoTemplateException(BadComparisonType),
        };
    }

    private static long Length(object? value) => value switch
    {
        string s => Encoding.UTF8.GetByteCount(s),
        GoNumber n => n.Text.Length,
        IReadOnlyDictionary<string, object?> map => map.Count,
        IReadOnlyList<object?> list => list.Count,
        null => throw new GoTemplateException("len of nil pointer"),
        _ => throw new GoTemplateException($"len of type {GoFormat.TypeName(value)}"),
    };

    /// <summary>funcs.go's index: a missing map key is the element type's zero value (nil), not no value.</summary>
    private static object? Index(object? item, ReadOnlySpan<object?> indexes)
    {
        if (ReferenceEquals(item, GoTemplate.NoValue))
        {
            throw new GoTemplateException("index of untyped nil");
        }

        foreach (var index in indexes)
        {
            item = item switch
            {
                null => throw new GoTemplateException("index of nil pointer"),
                IReadOnlyDictionary<string, object?> map => index is string key
                    ? map.GetValueOrDefault(key)
                    : throw new GoTemplateException(IsNil(index) ? "value is nil; should be of type string" : $"value has type {GoFormat.TypeName(index)}; should be string"),
                IReadOnlyList<object?> list => index is long i
                    ? i >= 0 && i < list.Count ? list[(int)i] : throw new GoTemplateException($"index out of range: {i}")
                    : throw new GoTemplateException(IsNil(index) ? "cannot index slice/array with nil" : $"cannot index slice/array with type {GoFormat.TypeName(index)}"),
                _ => throw new GoTemplateException($"can't index item of type {GoFormat.TypeName(item)}"),
            };
        }

        return item;
    }
}
