using System.Text;
using k8s.Models;

namespace PodStatus.Api.Selection;

/// <summary>
/// A field selector over the pod fields upstream makes selectable (<c>ToSelectableFields</c> and the v1
/// field-label conversions): comma-separated <c>field=value</c>, <c>field==value</c> or <c>field!=value</c>.
/// </summary>
public sealed class FieldSelector
{
    private static readonly Dictionary<string, Func<V1Pod, string>> Fields = new()
    {
        ["metadata.name"] = pod => pod.Metadata.Name ?? "",
        ["metadata.namespace"] = pod => pod.Metadata.NamespaceProperty ?? "",
        ["spec.nodeName"] = pod => pod.Spec?.NodeName ?? "",
        ["spec.restartPolicy"] = pod => pod.Spec?.RestartPolicy ?? "",
        ["spec.schedulerName"] = pod => pod.Spec?.SchedulerName ?? "",
        ["spec.serviceAccountName"] = pod => pod.Spec?.ServiceAccountName ?? "",
        ["spec.hostNetwork"] = pod => pod.Spec?.HostNetwork == true ? "true" : "false",
        ["status.phase"] = pod => pod.Status?.Phase ?? "",
        ["status.podIP"] = pod => pod.Status?.PodIPs?.FirstOrDefault()?.Ip ?? pod.Status?.PodIP ?? "",
        ["status.nominatedNodeName"] = pod => pod.Status?.NominatedNodeName ?? "",
    };

    private readonly IReadOnlyList<(Func<V1Pod, string> Field, string Value, bool Equal)> _terms;

    private FieldSelector(IReadOnlyList<(Func<V1Pod, string>, string, bool)> terms) => _terms = terms;

    public bool IsEmpty => _terms.Count == 0;

    public bool Matches(V1Pod pod) => _terms.All(term => (term.Field(pod) == term.Value) == term.Equal);

    /// <summary>Parses <paramref name="text"/>; an unknown field is upstream's <c>field label not supported</c>.</summary>
    public static FieldSelector Parse(string? text)
    {
        var terms = new List<(Func<V1Pod, string>, string, bool)>();
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
