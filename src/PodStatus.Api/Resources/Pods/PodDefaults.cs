using k8s.Models;

namespace PodStatus.Api.Resources.Pods;

/// <summary>The v1 defaults kube-apiserver applies to a pod it decodes (<c>pkg/apis/core/v1/defaults.go</c>).</summary>
public static class PodDefaults
{
    public static void Apply(V1PodSpec spec)
    {
        spec.RestartPolicy ??= "Always";
        spec.DnsPolicy ??= "ClusterFirst";
        spec.SchedulerName ??= "default-scheduler";
        spec.TerminationGracePeriodSeconds ??= 30;
        spec.SecurityContext ??= new V1PodSecurityContext();
        spec.EnableServiceLinks ??= true;
        spec.Priority ??= 0;
        spec.PreemptionPolicy ??= "PreemptLowerPriority";
        foreach (var container in (spec.InitContainers ?? []).Concat(spec.Containers ?? []))
        {
            Apply(container);
        }

        foreach (var volume in spec.Volumes ?? [])
        {
            if (volume.Secret is { } secret)
            {
                secret.DefaultMode ??= 420;
            }

            if (volume.ConfigMap is { } configMap)
            {
                configMap.DefaultMode ??= 420;
            }
        }
    }

    private static void Apply(V1Container container)
    {
        container.TerminationMessagePath ??= "/dev/termination-log";
        container.TerminationMessagePolicy ??= "File";
        container.ImagePullPolicy ??= HasLatestTag(container.Image) ? "Always" : "IfNotPresent";
        container.Resources ??= new V1ResourceRequirements();
        // Requests default to limits (SetDefaults_Pod).
        if (container.Resources.Limits is { Count: > 0 } limits)
        {
            container.Resources.Requests ??= new Dictionary<string, ResourceQuantity>();
            foreach (var (name, quantity) in limits)
            {
                container.Resources.Requests.TryAdd(name, quantity);
            }
        }

        foreach (var port in container.Ports ?? [])
        {
            port.Protocol ??= "TCP";
        }
    }

    /// <summary>An image with no tag, or the tag <c>latest</c>, is pulled every time.</summary>
    private static bool HasLatestTag(string? image)
    {
        if (string.IsNullOrEmpty(image) || image.Contains('@'))
        {
            return false;
        }

        var name = image[(image.LastIndexOf('/') + 1)..];
        var colon = name.LastIndexOf(':');
        return colon < 0 || name[(colon + 1)..] == "latest";
    }

    /// <summary>GetPodQOS: BestEffort without requests or limits, Guaranteed when every container's cpu and
    /// memory limits equal its requests, Burstable otherwise.</summary>
    public static string QosClass(V1PodSpec spec)
    {
        var containers = (spec.InitContainers ?? []).Concat(spec.Containers ?? []).ToList();
        string[] compute = ["cpu", "memory"];
        var any = containers.Any(c => compute.Any(r =>
            IsNonZero(c.Resources?.Requests, r) || IsNonZero(c.Resources?.Limits, r)));
        if (!any)
        {
            return "BestEffort";
        }

        var guaranteed = containers.All(c => compute.All(r =>
            c.Resources?.Limits?.TryGetValue(r, out var limit) == true &&
            c.Resources.Requests?.TryGetValue(r, out var request) == true &&
            limit.ToDecimal() == request.ToDecimal()));
        return guaranteed ? "Guaranteed" : "Burstable";
    }

    private static bool IsNonZero(IDictionary<string, ResourceQuantity>? quantities, string resource) =>
        quantities?.TryGetValue(resource, out var quantity) == true && quantity.ToDecimal() != 0;
}
