using System.Net.Sockets;
using FluentValidation.Results;
using k8s.Models;

namespace PodStatus.Api.Validation;

/// <summary>
/// ValidatePodStatusUpdate (<c>pkg/apis/core/validation/validation.go</c>), in upstream's order and with its
/// field paths, including the ones it gets oddly (<c>metadata.conditions[i].Type</c>).
/// </summary>
public static class PodStatusRules
{
    private static readonly HashSet<string> BuiltInConditionTypes = ["PodScheduled", "Ready", "Initialized"];

    public static IEnumerable<ValidationFailure> Validate(PodStatusUpdate update)
    {
        var (status, old) = (update.Status, update.OldStatus);
        return Conditions(status.Conditions)
            .Concat(NominatedNodeName(status.NominatedNodeName, old.NominatedNodeName))
            .Concat(QosClass(status.QosClass, old.QosClass))
            .Concat(ContainerStates(update))
            .Concat(ResourceClaimStatuses(status.ResourceClaimStatuses, update.Spec))
            .Concat(IpList("status.podIPs", status.PodIPs?.Select(p => p.Ip).ToList(), "PodIP", subField: null))
            .Concat(HostIps(status));
    }

    private static IEnumerable<ValidationFailure> Conditions(IList<V1PodCondition>? conditions)
    {
        for (var i = 0; i < (conditions?.Count ?? 0); i++)
        {
            var type = conditions![i].Type ?? "";
            if (BuiltInConditionTypes.Contains(type))
            {
                continue;
            }

            foreach (var message in Names.QualifiedName(type))
            {
                yield return FieldError.Invalid($"metadata.conditions[{i}].Type", type, message);
            }
        }
    }

    private static IEnumerable<ValidationFailure> NominatedNodeName(string? nominated, string? old)
    {
        if (string.IsNullOrEmpty(nominated) || nominated == old)
        {
            yield break;
        }

        foreach (var message in Names.Dns1123Subdomain(nominated))
        {
            yield return FieldError.Invalid("status.nominatedNodeName", nominated, message);
        }
    }

    private static IEnumerable<ValidationFailure> QosClass(string? qosClass, string? old)
    {
        if ((qosClass ?? "") != (old ?? ""))
        {
            yield return FieldError.Immutable("status.qosClass", qosClass ?? "");
        }
    }

    /// <summary>A terminated container may not run again unless the restart policy restarts it (ValidateContainerStateTransition).</summary>
    private static IEnumerable<ValidationFailure> ContainerStates(PodStatusUpdate update)
    {
        var (status, old) = (update.Status, update.OldStatus);
        var anyTerminated = (old.ContainerStatuses ?? []).Concat(old.InitContainerStatuses ?? []).Concat(old.EphemeralContainerStatuses ?? [])
            .Any(s => s.State?.Terminated is not null);
        if (!anyTerminated)
        {
            yield break;
        }

        var spec = update.Spec.Value;
        var policy = spec.RestartPolicy ?? "Always";
        var sidecars = (spec.InitContainers ?? []).Where(c => c.RestartPolicy == "Always").Select(c => c.Name).ToHashSet();
        var lists = new[]
        {
            ("status.containerStatuses", status.ContainerStatuses, old.ContainerStatuses, policy, (ISet<string>)new HashSet<string>()),
            ("status.initContainerStatuses", status.InitContainerStatuses, old.InitContainerStatuses, policy, sidecars),
            ("status.ephemeralContainerStatuses", status.EphemeralContainerStatuses, old.EphemeralContainerStatuses, "Never", new HashSet<string>()),
        };
        foreach (var (path, current, previous, restartPolicy, restartable) in lists)
        {
            if (restartPolicy == "Always")
            {
                continue;
            }

            for (var i = 0; i < (previous?.Count ?? 0); i++)
            {
                var before = previous![i];
                var terminated = before.State?.Terminated;
                if (terminated is null || restartable.Contains(before.Name) || (terminated.ExitCode != 0 && restartPolicy == "OnFailure"))
                {
                    continue;
                }

                if ((current ?? []).Any(s => s.Name == before.Name && s.State?.Terminated is null))
                {
                    yield return FieldError.Forbidden($"{path}[{i}].state", "may not be transitioned to non-terminated state");
                }
            }
        }
    }

    private static IEnumerable<ValidationFailure> ResourceClaimStatuses(IList<V1PodResourceClaimStatus>? claims, Lazy<V1PodSpec> spec)
    {
        if (claims is not { Count: > 0 })
        {
            yield break;
        }

        var declared = (spec.Value.ResourceClaims ?? []).Select(c => c.Name).ToHashSet();
        var seen = new HashSet<string>();
        for (var i = 0; i < claims.Count; i++)
        {
            var name = claims[i].Name ?? "";
            if (!seen.Add(name))
            {
                yield return FieldError.Duplicate($"status.resourceClaimStatuses[{i}].name", name);
            }
            else if (!declared.Contains(name))
            {
                yield return FieldError.Invalid($"status.resourceClaimStatuses[{i}].name", name, "must match the name of an entry in `spec.resourceClaims`");
            }
        }
    }

    private static IEnumerable<ValidationFailure> HostIps(V1PodStatus status)
    {
        var hostIps = status.HostIPs?.Select(h => h.Ip).ToList();
        if (hostIps is { Count: > 0 } && !string.IsNullOrEmpty(status.HostIP) && status.HostIP != hostIps[0])
        {
            yield return FieldError.Invalid("status.hostIPs[0].ip", hostIps[0], "must be equal to `hostIP`");
        }

        foreach (var failure in IpList("status.hostIPs", hostIps, "HostIP", subField: ".ip"))
        {
            yield return failure;
        }
    }

    /// <summary>validatePodIPs / validateHostIPs: valid addresses, at most one per family, no repeats.</summary>
    private static IEnumerable<ValidationFailure> IpList(string path, IList<string>? ips, string goType, string? subField)
    {
        if (ips is not { Count: > 0 })
        {
            yield break;
        }

        var families = new List<AddressFamily?>();
        for (var i = 0; i < ips.Count; i++)
        {
            var family = IpAddresses.FamilyOf(ips[i]);
            families.Add(family);
            if (family is null)
            {
                yield return FieldError.Invalid($"{path}[{i}]{subField}", ips[i] ?? "", IpAddresses.InvalidMessage);
            }
        }

        if (ips.Count <= 1)
        {
            yield break;
        }

        var isDualStack = families.Contains(AddressFamily.InterNetwork) && families.Contains(AddressFamily.InterNetworkV6);
        if (!isDualStack || ips.Count > 2)
        {
            var asGo = "[]core." + goType + "{" + string.Join(", ", ips.Select(ip => GoStruct(goType, ip))) + "}";
            yield return FieldError.Invalid(path, new GoLiteral(asGo), "may specify no more than one IP for each IP family");
        }

        var seen = new HashSet<string>();
        for (var i = 0; i < ips.Count; i++)
        {
            if (!seen.Add(ips[i] ?? ""))
            {
                yield return FieldError.Duplicate($"{path}[{i}]", new GoLiteral(GoStruct(goType, ips[i])));
            }
        }
    }

    private static string GoStruct(string goType, string? ip) => $"core.{goType}{{IP:{FieldError.Quote(ip ?? "")}}}";

    /// <summary>A value printed as Go's <c>%#v</c> prints a struct.</summary>
    private sealed record GoLiteral(string Text)
    {
        public override string ToString() => Text;
    }
}
