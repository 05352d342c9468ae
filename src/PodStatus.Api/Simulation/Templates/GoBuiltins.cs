using System.Globalization;
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

/// <summary>fmt's <c>%v</c> for the values a template over JSON holds.</summary>
internal static class GoFormat
{
    public static string Print(object? value) => value switch
    {
        _ when ReferenceEquals(value, GoTemplate.NoValue) => "<no value>",
        null => "<nil>",
        string s => s,
        bool b => b ? "true" : "false",
        long l => l.ToString(CultureInfo.InvariantCulture),
        double d => Float(d),
        IReadOnlyDictionary<string, object?> map =>
            "map[" + string.Join(" ", map.OrderBy(pair => pair.Key, StringComparer.Ordinal).Select(pair => pair.Key + ":" + Print(pair.Value))) + "]",
        IReadOnlyList<object?> list => "[" + string.Join(" ", list.Select(Print)) + "]",
        _ => value.ToString() ?? "",
    };

    /// <summary>fmt.Sprint: a space between operands when neither is a string.</summary>
    public static string Sprint(object?[] values)
    {
        var text = new StringBuilder();
        for (var i = 0; i < values.Length; i++)
        {
            if (i > 0 && !IsString(values[i - 1]) && !IsString(values[i]))
            {
                text.Append(' ');
            }

            text.Append(Print(values[i]));
        }

        return text.ToString();

        static bool IsString(object? value) => value is string or GoNumber;
    }

    /// <summary>fmt.Sprintf for the verbs templates use: %v %s %d %q %t %%.</summary>
    public static string Sprintf(string format, ReadOnlySpan<object?> args)
    {
        var text = new StringBuilder();
        var next = 0;
        for (var i = 0; i < format.Length; i++)
        {
            if (format[i] != '%' || i + 1 == format.Length)
            {
                text.Append(format[i]);
                continue;
            }

            var verb = format[++i];
            if (verb == '%')
            {
                text.Append('%');
                continue;
            }

            if (next >= args.Length)
            {
                text.Append($"%!{verb}(MISSING)");
                continue;
            }

            var arg = args[next++];
            text.Append((verb, arg) switch
            {
                ('v' or 's', _) => Print(arg),
                ('d', long l) => l.ToString(CultureInfo.InvariantCulture),
                ('t', bool b) => b ? "true" : "false",
                ('q', string s) => System.Text.Json.JsonSerializer.Serialize(s),
                _ => $"%!{verb}({TypeName(arg)}={Print(arg)})",
            });
        }

        if (next < args.Length)
        {
            text.Append("%!(EXTRA ").Append(string.Join(", ", args[next..].ToArray().Select(arg => $"{TypeName(arg)}={Print(arg)}"))).Append(')');
        }

        return text.ToString();
    }

    /// <summary>strconv.FormatFloat(f, 'g', -1, 64), as %v prints a float64: exponent form from 1e+06 and below 1e-04.</summary>
    private static string Float(double value)
    {
        if (double.IsNaN(value))
        {
            return "NaN";
        }

        if (double.IsInfinity(value))
        {
            return value > 0 ? "+Inf" : "-Inf";
        }

        // The shortest digits that read back as the value, as Go's shortest formatting finds them.
        var precision = 0;
        while (precision < 17 && double.Parse(value.ToString("E" + precision, CultureInfo.InvariantCulture), CultureInfo.InvariantCulture) != value)
        {
            precision++;
        }

        var scientific = value.ToString("E" + precision, CultureInfo.InvariantCulture);
        var exponent = int.Parse(scientific[(scientific.IndexOf('E') + 1)..], CultureInfo.InvariantCulture);
        if (exponent < -4 || exponent >= 6)
        {
            return $"{scientific[..scientific.IndexOf('E')]}e{(exponent < 0 ? '-' : '+')}{Math.Abs(exponent):00}";
        }

        return value.ToString("R", CultureInfo.InvariantCulture);
    }

    public static string TypeName(object? value) => value switch
    {
        null => "<nil>",
        string => "string",
        GoNumber => "json.Number",
        bool => "bool",
        long => "int",
        double => "float64",
        IReadOnlyDictionary<string, object?> => "map[string]interface {}",
        IReadOnlyList<object?> => "[]interface {}",
        _ => value.GetType().Name,
    };

    public static string ParameterName(GoParameter parameter) => parameter switch
    {
        GoParameter.String => "string",
        GoParameter.Int => "int",
        GoParameter.Bool => "bool",
        GoParameter.Value => "reflect.Value",
        _ => "interface {}",
    };
}
