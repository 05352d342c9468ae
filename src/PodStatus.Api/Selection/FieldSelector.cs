using System.Text;
using PodStatus.Api.Storage;

namespace PodStatus.Api.Selection;

/// <summary>
/// A field selector over the pod fields upstream makes selectable (<c>ToSelectableFields</c> and the v1
/// field-label conversions): comma-separated <c>field=value</c>, <c>field==value</c> or <c>field!=value</c>.
/// </summary>
public sealed class FieldSelector
{
    private static readonly Dictionary<string, Func<EncodedPod, string>> Fields = new()
    {
        ["metadata.name"] = pod => pod.Key.Name,
        ["metadata.namespace"] = pod => pod.Key.Namespace,
        ["spec.nodeName"] = pod => pod.Fields.NodeName,
        ["spec.restartPolicy"] = pod => pod.Fields.RestartPolicy,
        ["spec.schedulerName"] = pod => pod.Fields.SchedulerName,
        ["spec.serviceAccountName"] = pod => pod.Fields.ServiceAccountName,
        ["spec.hostNetwork"] = pod => pod.Fields.HostNetwork,
        ["status.phase"] = pod => pod.Fields.Phase,
        ["status.podIP"] = pod => pod.Fields.PodIP,
        // Accepted by the v1 field-label conversion but never among the selectable fields: always empty upstream.
        ["status.podIPs"] = _ => "",
        ["status.nominatedNodeName"] = pod => pod.Fields.NominatedNodeName,
    };

    private readonly IReadOnlyList<(Func<EncodedPod, string> Field, string Value, bool Equal)> _terms;

    private FieldSelector(IReadOnlyList<(Func<EncodedPod, string>, string, bool)> terms) => _terms = terms;

    public bool IsEmpty => _terms.Count == 0;

    public bool Matches(EncodedPod pod)
    {
        foreach (var (field, value, equal) in _terms)
        {
            if ((field(pod) == value) != equal)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Parses <paramref name="text"/>; an unknown field is upstream's <c>field label not supported</c>.</summary>
    public static FieldSelector Parse(string? text)
    {
        var terms = new List<(Func<EncodedPod, string>, string, bool)>();
        foreach (var term in SplitTerms(text ?? ""))
        {
            var (field, value, equal) = SplitTerm(term);
            // spec.host is the legacy name of spec.nodeName.
            field = field == "spec.host" ? "spec.nodeName" : field;
            if (!Fields.TryGetValue(field, out var read))
            {
                throw new FormatException($"field label not supported: {field}");
            }

            terms.Add((read, value, equal));
        }

        return new FieldSelector(terms);
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
