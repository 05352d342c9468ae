using System.Text.RegularExpressions;

namespace PodStatus.Api.Validation;

/// <summary>
/// The name syntaxes of apimachinery's <c>util/validation/validation.go</c>, each returning upstream's messages.
/// A valid name (the common case) is checked with one regex match and no allocation.
/// </summary>
public static partial class Names
{
    private const string QualifiedNameFormat = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
    private const string QualifiedNameMessage = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
    private const string LabelValueFormat = "(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?";
    private const string LabelValueMessage = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
    private const string Dns1123LabelFormat = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
    private const string Dns1123LabelMessage = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character";
    private const string Dns1123SubdomainFormat = Dns1123LabelFormat + "(\\." + Dns1123LabelFormat + ")*";
    private const string Dns1123SubdomainMessage = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";

    public static IEnumerable<string> QualifiedName(string value) =>
        value.Length <= 63 && QualifiedNameRegex().IsMatch(value) ? [] : QualifiedNameErrors(value);

    public static IEnumerable<string> LabelValue(string value) =>
        value.Length <= 63 && LabelValueRegex().IsMatch(value) ? [] : LabelValueErrors(value);

    public static IEnumerable<string> Dns1123Label(string value) =>
        value.Length <= 63 && Dns1123LabelRegex().IsMatch(value) ? [] : Dns1123LabelErrors(value);

    public static IEnumerable<string> Dns1123Subdomain(string value) =>
        value.Length <= 253 && Dns1123SubdomainRegex().IsMatch(value) ? [] : Dns1123SubdomainErrors(value);

    /// <summary>
    /// <c>path.ValidatePathSegmentName</c>, the one rule the generic registry applies to every kind's names (a kind's
    /// strategy adds its own): not <c>.</c> or <c>..</c>, and without <c>/</c> or <c>%</c>.
    /// </summary>
    public static IEnumerable<string> PathSegmentName(string value)
    {
        if (value is "." or "..")
        {
            yield return $"may not be '{value}'";
            yield break;
        }

        foreach (var illegal in new[] { "/", "%" }.Where(value.Contains))
        {
            yield return $"may not contain '{illegal}'";
        }
    }

    private static IEnumerable<string> QualifiedNameErrors(string value)
    {
        var parts = value.Contains('/') ? value.Split('/') : [value];
        string name;
        switch (parts.Length)
        {
            case 1:
                name = parts[0];
                break;
            case 2:
                name = parts[1];
                if (parts[0].Length == 0)
                {
                    yield return "prefix part must be non-empty";
                }
                else
                {
                    foreach (var message in Dns1123Subdomain(parts[0]))
                    {
                        yield return "prefix part " + message;
                    }
                }

                break;
            default:
                yield return "a qualified name " + RegexError(QualifiedNameMessage, QualifiedNameFormat, "MyName", "my.name", "123-abc") +
                    " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')";
                yield break;
        }

        if (name.Length == 0)
        {
            yield return "name part must be non-empty";
        }
        else if (name.Length > 63)
        {
            yield return "name part " + MaxLength(63);
        }

        if (!QualifiedNameRegex().IsMatch(name))
        {
            yield return "name part " + RegexError(QualifiedNameMessage, QualifiedNameFormat, "MyName", "my.name", "123-abc");
        }
    }

    private static IEnumerable<string> LabelValueErrors(string value)
    {
        if (value.Length > 63)
        {
            yield return MaxLength(63);
        }

        if (!LabelValueRegex().IsMatch(value))
        {
            yield return RegexError(LabelValueMessage, LabelValueFormat, "MyValue", "my_value", "12345");
        }
    }

    private static IEnumerable<string> Dns1123LabelErrors(string value)
    {
        if (value.Length > 63)
        {
            yield return MaxLength(63);
        }

        if (!Dns1123LabelRegex().IsMatch(value))
        {
            yield return RegexError(Dns1123LabelMessage, Dns1123LabelFormat, "my-name", "123-abc");
        }
    }

    private static IEnumerable<string> Dns1123SubdomainErrors(string value)
    {
        if (value.Length > 253)
        {
            yield return MaxLength(253);
        }

        if (!Dns1123SubdomainRegex().IsMatch(value))
        {
            yield return RegexError(Dns1123SubdomainMessage, Dns1123SubdomainFormat, "example.com");
        }
    }

    /// <summary><c>IsValidPortNum</c>: a port number, 1 to 65535.</summary>
    public static IEnumerable<string> PortNumber(long port) =>
        port is >= 1 and <= 65535 ? [] : ["must be between 1 and 65535, inclusive"];

    /// <summary><c>IsValidPortName</c>: an IANA service name, as named container ports and probe ports are.</summary>
    public static IEnumerable<string> PortName(string port)
    {
        if (port.Length > 15)
        {
            yield return MaxLength(15);
        }

        if (!PortNameCharsetRegex().IsMatch(port))
        {
            yield return "must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)";
        }

        if (!port.Any(char.IsAsciiLetterLower))
        {
            yield return "must contain at least one letter (a-z)";
        }

        if (port.Contains("--", StringComparison.Ordinal))
        {
            yield return "must not contain consecutive hyphens";
        }

        if (port.Length > 0 && (port[0] == '-' || port[^1] == '-'))
        {
            yield return "must not begin or end with a hyphen";
        }
    }

    /// <summary>
    /// <c>IsRelaxedEnvVarName</c>, which v1.33 applies (its RelaxedEnvironmentVariableValidation gate is on by default
    /// there): any printable ASCII character but <c>=</c>.
    /// </summary>
    public static IEnumerable<string> EnvironmentVariableName(string value)
    {
        if (value.Length == 0)
        {
            yield return "environment variable name must be non-empty";
        }

        if (value.Any(c => c is < ' ' or > '~' or '='))
        {
            yield return "a valid environment variable name must consist only of printable ASCII characters other than '='";
        }
    }

    /// <summary><c>IsConfigMapKey</c>, for the keys a container reads from a config map or a secret.</summary>
    public static IEnumerable<string> ConfigMapKey(string value)
    {
        if (value.Length > 253)
        {
            yield return MaxLength(253);
        }

        if (!ConfigMapKeyRegex().IsMatch(value))
        {
            yield return RegexError("a valid config key must consist of alphanumeric characters, '-', '_' or '.'", "[-._a-zA-Z0-9]+", "key.name", "KEY_NAME", "key-name");
        }

        if (value is "." or "..")
        {
            yield return $"must not be '{value}'";
        }
        else if (value.StartsWith("..", StringComparison.Ordinal))
        {
            yield return "must not start with '..'";
        }
    }

    /// <summary><c>IsHTTPHeaderName</c>, for the headers an HTTP probe sends.</summary>
    public static IEnumerable<string> HttpHeaderName(string value) =>
        HttpHeaderNameRegex().IsMatch(value) ? [] : [RegexError("a valid HTTP header must consist of alphanumeric characters or '-'", "[-A-Za-z0-9]+", "X-Header-Name")];

    /// <summary>generateName is checked as a name once its trailing dash is masked (<c>NameIsDNSSubdomain(name, true)</c>).</summary>
    public static string MaskTrailingDash(string prefix) => prefix.EndsWith('-') ? prefix[..^1] + "a" : prefix;

    private static string MaxLength(int length) => $"must be no more than {length} characters";

    private static string RegexError(string message, string format, params string[] examples) =>
        message + " (e.g. " + string.Concat(examples.Select((e, i) => (i > 0 ? " or " : "") + "'" + e + "', ")) +
        "regex used for validation is '" + format + "')";

    [GeneratedRegex("^" + QualifiedNameFormat + "\\z")]
    private static partial Regex QualifiedNameRegex();

    [GeneratedRegex("^" + LabelValueFormat + "\\z")]
    private static partial Regex LabelValueRegex();

    [GeneratedRegex("^" + Dns1123LabelFormat + "\\z")]
    private static partial Regex Dns1123LabelRegex();

    [GeneratedRegex("^" + Dns1123SubdomainFormat + "\\z")]
    private static partial Regex Dns1123SubdomainRegex();

    [GeneratedRegex("^[-a-z0-9]+\\z")]
    private static partial Regex PortNameCharsetRegex();

    [GeneratedRegex("^[-._a-zA-Z0-9]+\\z")]
    private static partial Regex ConfigMapKeyRegex();

    [GeneratedRegex("^[-A-Za-z0-9]+\\z")]
    private static partial Regex HttpHeaderNameRegex();
}
