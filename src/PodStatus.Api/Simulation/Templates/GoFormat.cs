using System.Globalization;
using System.Text;

namespace PodStatus.Api.Simulation.Templates;

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

    /// <summary>fmt.Sprintf for the verbs templates use: %v %s %d %q (strconv.Quote) %t %%.</summary>
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
                ('q', string s) => Serialization.GoStrconv.Quote(s),
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
