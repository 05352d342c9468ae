using System.Text;

namespace PodStatus.Api.Selection;

/// <summary>
/// A field selector over the fields a resource makes selectable (its <see cref="FieldSet"/>): comma-separated
/// <c>field=value</c>, <c>field==value</c> or <c>field!=value</c>.
/// </summary>
public sealed class FieldSelector
{
    public static readonly FieldSelector Everything = new([]);

    // An array, not a list behind an interface: every watch event is matched against every watcher's selector, and
    // a foreach over an interface would allocate an enumerator each time.
    private readonly (int Field, string Value, bool Equal)[] _terms;

    private FieldSelector((int, string, bool)[] terms) => _terms = terms;

    public bool IsEmpty => _terms.Length == 0;

    /// <summary>Whether an object with this name, namespace and fields is selected.</summary>
    public bool Matches(string name, string @namespace, in SelectableFields fields)
    {
        foreach (var (field, value, equal) in _terms)
        {
            var actual = field switch
            {
                FieldSet.Name => name,
                FieldSet.Namespace => @namespace,
                FieldSet.AlwaysEmpty => "",
                _ => fields.Field(field),
            };
            if ((actual == value) != equal)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The value a term requires of <paramref name="index"/> (<c>field=value</c>), if one does.</summary>
    public string? RequiredValue(int index) => _terms.FirstOrDefault(term => term.Field == index && term.Equal).Value;

    /// <summary>Parses <paramref name="text"/> against the fields <paramref name="fields"/> accepts; an unknown field is
    /// its conversion's error, as a <see cref="FormatException"/>.</summary>
    public static FieldSelector Parse(string? text, FieldSet fields)
    {
        var terms = new List<(int, string, bool)>();
        foreach (var term in SplitTerms(text ?? ""))
        {
            var (field, value, equal) = SplitTerm(term);
            terms.Add((fields.IndexOf(field), value, equal));
        }

        return terms.Count == 0 ? Everything : new FieldSelector([.. terms]);
    }

    /// <summary>Splits on commas not escaped with a backslash.</summary>
    private static IEnumerable<string> SplitTerms(string text)
    {
        var current = new StringBuilder();
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\\' && i + 1 < text.Length)
            {
                current.Append(text[i]).Append(text[++i]);
            }
            else if (text[i] == ',')
            {
                yield return current.ToString();
                current.Clear();
            }
            else
            {
                current.Append(text[i]);
            }
        }

        if (current.Length > 0)
        {
            yield return current.ToString();
        }
    }

    private static (string Field, string Value, bool Equal) SplitTerm(string term)
    {
        foreach (var (op, equal) in new[] { ("!=", false), ("==", true), ("=", true) })
        {
            var at = term.IndexOf(op, StringComparison.Ordinal);
            if (at > 0)
            {
                return (term[..at].Trim(), Unescape(term[(at + op.Length)..]), equal);
            }
        }

        throw new FormatException($"invalid selector: '{term}'; can't understand '{term}'");
    }

    private static string Unescape(string value)
    {
        var result = new StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            result.Append(value[i] == '\\' && i + 1 < value.Length ? value[++i] : value[i]);
        }

        return result.ToString();
    }
}
