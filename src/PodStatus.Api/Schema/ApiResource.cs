namespace PodStatus.Api.Schema;

/// <summary>
/// One resource in one served version, as discovery describes it (<c>metav1.APIResource</c>) and as every path,
/// error and selfLink names it: <c>pods</c> in <c>v1</c>, <c>leases</c> in <c>coordination.k8s.io/v1</c>.
/// </summary>
/// <param name="Group">The API group; empty for the core group.</param>
/// <param name="Version">The version within the group.</param>
/// <param name="Plural">The resource's name in paths (<c>pods</c>).</param>
/// <param name="Singular">Its singular name (<c>pod</c>).</param>
/// <param name="Kind">The kind of its objects (<c>Pod</c>).</param>
/// <param name="Namespaced">Whether its objects live in namespaces.</param>
public sealed record ApiResource(string Group, string Version, string Plural, string Singular, string Kind, bool Namespaced)
{
    /// <summary>Short names for kubectl (<c>po</c>).</summary>
    public IReadOnlyList<string> ShortNames { get; init; } = [];

    /// <summary>Categories for kubectl (<c>all</c>).</summary>
    public IReadOnlyList<string> Categories { get; init; } = [];

    /// <summary>The verbs served on the resource itself (<c>deletecollection</c>: DELETE on a namespace's collection).</summary>
    public IReadOnlyList<string> Verbs { get; init; } = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];

    /// <summary>Subresources and the verbs each serves (<c>status</c>: get, patch, update).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Subresources { get; init; } = new Dictionary<string, IReadOnlyList<string>>();

    /// <summary><c>v1</c>, or <c>coordination.k8s.io/v1</c>: the objects' apiVersion.</summary>
    public string GroupVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    public GroupResource GroupResource => new(Group, Plural);

    /// <summary>The kind of a list of its objects (<c>PodList</c>).</summary>
    public string ListKind => Kind + "List";

    /// <summary>Where the group-version's paths start: <c>/api/v1</c>, or <c>/apis/coordination.k8s.io/v1</c>.</summary>
    public string Root => Group.Length == 0 ? $"/api/{Version}" : $"/apis/{Group}/{Version}";

    /// <summary>The path of the collection, in one namespace or (null) across all.</summary>
    public string CollectionPath(string? @namespace) =>
        Namespaced && !string.IsNullOrEmpty(@namespace) ? $"{Root}/namespaces/{@namespace}/{Plural}" : $"{Root}/{Plural}";

    /// <summary>The path of one object, or of its subresource (the selfLink of an answer), made as one string.</summary>
    public string ObjectPath(string @namespace, string name, string subresource = "") =>
        (Namespaced && !string.IsNullOrEmpty(@namespace), subresource.Length > 0) switch
        {
            (true, false) => $"{Root}/namespaces/{@namespace}/{Plural}/{name}",
            (true, true) => $"{Root}/namespaces/{@namespace}/{Plural}/{name}/{subresource}",
            (false, false) => $"{Root}/{Plural}/{name}",
            (false, true) => $"{Root}/{Plural}/{name}/{subresource}",
        };

    /// <summary>
    /// The start of upstream's operation ids for the group-version: <c>CoreV1</c>, <c>CoordinationV1</c>,
    /// <c>EventsV1</c> (the group's first label and the version, capitalized).
    /// </summary>
    public string OperationGroup => Capitalized(GroupLabel) + Capitalized(Version);

    /// <summary>Upstream's OpenAPI tag for the group-version: <c>core_v1</c>, <c>coordination_v1</c>.</summary>
    public string OperationTag => $"{GroupLabel}_{Version}";

    /// <summary>The OpenAPI document that describes it: <c>v1</c> for the core group, else <c>group/version</c>.</summary>
    public string DocumentName => Group.Length == 0 ? Version : GroupVersion;

    private string GroupLabel => Group.Length == 0 ? "core" : Group.Split('.')[0];

    private static string Capitalized(string word) => char.ToUpperInvariant(word[0]) + word[1..];

    public bool HasSubresource(string name) => Subresources.ContainsKey(name);
}
