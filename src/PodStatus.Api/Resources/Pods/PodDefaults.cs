using k8s.Models;

namespace PodStatus.Api.Resources.Pods;

/// <summary>
/// The v1 defaults kube-apiserver applies to a pod it decodes (<c>pkg/apis/core/v1/defaults.go</c>). Go's defaulting
/// takes an empty string for an unset one.
/// </summary>
public static class PodDefaults
{
    public static void Apply(V1PodSpec spec)
    {
        spec.RestartPolicy = Or(spec.RestartPolicy, "Always");
        spec.DnsPolicy = Or(spec.DnsPolicy, "ClusterFirst");
        spec.SchedulerName = Or(spec.SchedulerName, "default-scheduler");
        spec.TerminationGracePeriodSeconds ??= 30;
        spec.SecurityContext ??= new V1PodSecurityContext();
        spec.EnableServiceLinks ??= true;
        spec.Priority ??= 0;
        spec.PreemptionPolicy ??= "PreemptLowerPriority";
        foreach (var container in (spec.InitContainers ?? []).Concat(spec.Containers ?? []))
        {
            // With the host's network, a container's ports are the host's.
            Apply(container, spec.HostNetwork == true);
        }

        foreach (var volume in spec.Volumes ?? [])
        {
            // SetDefaults_Volume: a volume that names no source is an emptyDir.
            if (VolumeRules.Sources(volume).All(source => source.Source is null))
            {
                volume.EmptyDir = new V1EmptyDirVolumeSource();
            }

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

    private static void Apply(V1Container container, bool hostNetwork)
    {
        container.TerminationMessagePath = Or(container.TerminationMessagePath, "/dev/termination-log");
        container.TerminationMessagePolicy = Or(container.TerminationMessagePolicy, "File");
        container.ImagePullPolicy = Or(container.ImagePullPolicy, HasLatestTag(container.Image) ? "Always" : "IfNotPresent");
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
            port.Protocol = Or(port.Protocol, "TCP");
            if (hostNetwork && port.HostPort is null or 0)
            {
                port.HostPort = port.ContainerPort;
            }
        }

        foreach (var variable in container.Env ?? [])
        {
            if (variable.ValueFrom?.FieldRef is { } fieldRef)
            {
                fieldRef.ApiVersion = Or(fieldRef.ApiVersion, "v1");
            }
        }

        foreach (var probe in new[] { container.LivenessProbe, container.ReadinessProbe, container.StartupProbe }.OfType<V1Probe>())
        {
            probe.TimeoutSeconds = probe.TimeoutSeconds is null or 0 ? 1 : probe.TimeoutSeconds;
            probe.PeriodSeconds = probe.PeriodSeconds is null or 0 ? 10 : probe.PeriodSeconds;
            probe.SuccessThreshold = probe.SuccessThreshold is null or 0 ? 1 : probe.SuccessThreshold;
            probe.FailureThreshold = probe.FailureThreshold is null or 0 ? 3 : probe.FailureThreshold;
            Apply(probe.HttpGet);
        }

        Apply(container.Lifecycle?.PostStart?.HttpGet);
        Apply(container.Lifecycle?.PreStop?.HttpGet);
    }

    private static void Apply(V1HTTPGetAction? httpGet)
    {
        if (httpGet is not null)
        {
            httpGet.Path = Or(httpGet.Path, "/");
            httpGet.Scheme = Or(httpGet.Scheme, "HTTP");
        }
    }

    private static string Or(string? value, string fallback) => string.IsNullOrEmpty(value) ? fallback : value;

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
