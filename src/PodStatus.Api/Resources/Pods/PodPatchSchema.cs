using PodStatus.Api.Patching;

namespace PodStatus.Api.Resources.Pods;

/// <summary>The Pod type's patch strategies (<c>k8s.io/api/core/v1/types.go</c>): containers by name, conditions by type, ...</summary>
internal static class PodPatchSchema
{
    private static readonly PatchSchema Container = new(Fields: new Dictionary<string, PatchSchema>
    {
        ["ports"] = PatchSchema.ListBy("containerPort"),
        ["env"] = PatchSchema.ListBy("name"),
        ["volumeMounts"] = PatchSchema.ListBy("mountPath"),
        ["volumeDevices"] = PatchSchema.ListBy("devicePath"),
        ["resizePolicy"] = PatchSchema.ListBy("resourceName"),
    });

    public static readonly PatchSchema Pod = PatchSchema.Kind(new Dictionary<string, PatchSchema>
    {
        ["spec"] = new(Fields: new Dictionary<string, PatchSchema>
        {
            ["containers"] = PatchSchema.ListBy("name", Container.Fields),
            ["initContainers"] = PatchSchema.ListBy("name", Container.Fields),
            ["ephemeralContainers"] = PatchSchema.ListBy("name", Container.Fields),
            ["volumes"] = PatchSchema.ListBy("name"),
            ["imagePullSecrets"] = PatchSchema.ListBy("name"),
            ["hostAliases"] = PatchSchema.ListBy("ip"),
            ["resourceClaims"] = PatchSchema.ListBy("name"),
            ["schedulingGates"] = PatchSchema.ListBy("name"),
            ["topologySpreadConstraints"] = PatchSchema.ListBy("topologyKey"),
        }),
        ["status"] = new(Fields: new Dictionary<string, PatchSchema>
        {
            ["conditions"] = PatchSchema.ListBy("type"),
            ["podIPs"] = PatchSchema.ListBy("ip"),
            ["hostIPs"] = PatchSchema.ListBy("ip"),
            ["resourceClaimStatuses"] = PatchSchema.ListBy("name"),
        }),
    });
}
