namespace PodStatus.Api.Patching;

/// <summary>
/// The patch strategies of a kind, as its Go struct tags declare them (<c>patchStrategy:"merge"</c>,
/// <c>patchMergeKey</c>): which lists merge by which key, and which lists of strings merge as sets. Lists not
/// named here are replaced whole, as upstream replaces them.
/// </summary>
public sealed record PatchSchema(string? MergeKey = null, bool MergesAsSet = false, IReadOnlyDictionary<string, PatchSchema>? Fields = null)
{
    public static readonly PatchSchema Leaf = new();

    public PatchSchema Field(string name) => Fields?.GetValueOrDefault(name) ?? Leaf;

    /// <summary>A list merged by <paramref name="key"/>, whose items have <paramref name="items"/>' fields.</summary>
    public static PatchSchema ListBy(string key, IReadOnlyDictionary<string, PatchSchema>? items = null) => new(key, Fields: items);

    /// <summary>ObjectMeta's strategies, which every kind shares: finalizers merge as a set, ownerReferences by uid.</summary>
    public static readonly PatchSchema Metadata = new(Fields: new Dictionary<string, PatchSchema>
    {
        ["finalizers"] = new(MergesAsSet: true),
        ["ownerReferences"] = ListBy("uid"),
    });

    /// <summary>A kind whose only merging lists are its metadata's.</summary>
    public static readonly PatchSchema Object = Kind([]);

    /// <summary>A kind: its metadata's strategies, and its own fields'.</summary>
    public static PatchSchema Kind(Dictionary<string, PatchSchema> fields)
    {
        fields["metadata"] = Metadata;
        return new PatchSchema(Fields: fields);
    }
}
