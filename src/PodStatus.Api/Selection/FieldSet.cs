namespace PodStatus.Api.Selection;

/// <summary>
/// The field selectors one version of a resource accepts (its field label conversion) and where each reads: a
/// field of the object's <see cref="SelectableFields"/>, its name or its namespace. A label the conversion does not
/// know is the conversion's error, in its words.
/// </summary>
public sealed class FieldSet
{
    /// <summary>Where a field label reads from.</summary>
    public const int Name = -1;
    public const int Namespace = -2;

    /// <summary>Accepted by the conversion but never among the selectable fields: every object has it empty.</summary>
    public const int AlwaysEmpty = -3;

    private readonly Dictionary<string, int> _labels;
    private readonly Func<string, string> _unsupported;

    private FieldSet(Dictionary<string, int> labels, Func<string, string> unsupported)
    {
        _labels = labels;
        _unsupported = unsupported;
    }

    /// <summary>
    /// <c>metadata.name</c> and <c>metadata.namespace</c> only, as apimachinery's <c>DefaultMetaV1FieldSelectorConversion</c>
    /// serves kinds without a conversion of their own (a cluster-scoped object's namespace is empty).
    /// </summary>
    public static readonly FieldSet MetadataOnly = new(
        new Dictionary<string, int> { ["metadata.name"] = Name, ["metadata.namespace"] = Namespace },
        label => $"\"{label}\" is not a known field selector: only \"metadata.name\", \"metadata.namespace\"");

    /// <summary>
    /// A kind with a field label conversion of its own: the labels it accepts, each mapped to an index into the
    /// selectable fields (or <see cref="Name"/>, <see cref="Namespace"/>, <see cref="AlwaysEmpty"/>); any other label
    /// is its <c>field label not supported</c>.
    /// </summary>
    public static FieldSet Converted(IReadOnlyDictionary<string, int> labels) =>
        new(new Dictionary<string, int>(labels), label => $"field label not supported: {label}");

    /// <summary>Where <paramref name="label"/> reads; a <see cref="FormatException"/> with upstream's words when nowhere.</summary>
    public int IndexOf(string label) =>
        _labels.TryGetValue(label, out var index) ? index : throw new FormatException(_unsupported(label));
}
