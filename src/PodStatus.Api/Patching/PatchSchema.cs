namespace PodStatus.Api.Patching;

/// <summary>
/// The patch strategies of the Pod type, as its Go struct tags declare them (<c>patchStrategy:"merge"</c>,
/// <c>patchMergeKey</c>): which lists merge by which key, and which lists of strings merge as sets. Lists not
/// named here are replaced whole, as upstream replaces them.
/// </summary>
public sealed record PatchSchema(string? MergeKey = null, bool MergesAsSet = false, IReadOnlyDictionary<string, PatchSchema>? Fields = null)
{
    public static readonly PatchSchema Leaf = new();

    public PatchSchema Field(string name) => Fields?.GetValueOrDefault(name) ?? Leaf;

    private static PatchSchema ListBy(string key, IReadOnlyDictionary<string, PatchSchema>? items = null) => new(key, Fields: items);

    private static readonly PatchSchema Container = new(Fields: new Dictionary<string, PatchSchema>
    {
        ["ports"] = ListBy("containerPort"),
        ["env"] = ListBy("name"),
        ["volumeMounts"] = ListBy("mountPath"),
        ["volumeDevices"] = ListBy("devicePath"),
        ["resizePolicy"] = ListBy("resourceName"),
    });

    public static readonly PatchSchema Pod = new(Fields: new Dictionary<string, PatchSchema>
    {
        ["metadata"] = new(Fields: new Dictionary<string, PatchSchema>
        {
            ["finalizers"] = new(MergesAsSet: true),
            ["ownerReferences"] = ListBy("uid"),
        }),
        ["spec"] = new(Fields: new Dictionary<string, PatchSchema>
        {
            ["containers"] = ListBy("name", Container.Fields),
            ["initContainers"] = ListBy("name", Container.Fields),
            ["ephemeralContainers"] = ListBy("name", Container.Fields),
            ["volumes"] = ListBy("name"),
            ["imagePullSecrets"] = ListBy("name"),
            ["hostAliases"] = ListBy("ip"),
            ["resourceClaims"] = ListBy("name"),
            ["schedulingGates"] = ListBy("name"),
            ["topologySpreadConstraints"] = ListBy("topologyKey"),
        }),
        ["status"] = new(Fields: new Dictionary<string, PatchSchema>
        {
            ["conditions"] = ListBy("type"),
            ["podIPs"] = ListBy("ip"),
            ["hostIPs"] = ListBy("ip"),
            ["resourceClaimStatuses"] = ListBy("name"),
        }),
    });
}
