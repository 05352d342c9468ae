using System.Net.Sockets;
using FluentValidation.Results;
using k8s.Models;
using PodStatus.Api.Validation;

namespace PodStatus.Api.Resources.Pods;

/// <summary>
/// ValidatePodStatusUpdate (<c>pkg/apis/core/validation/validation.go</c>), in upstream's order and with its
/// field paths, including the ones it gets oddly (<c>metadata.conditions[i].Type</c>). Status writes are the hot
/// path, so a valid status is checked without allocating.
/// </summary>
public static class PodStatusRules
{
    public static void Validate(PodStatusUpdate update, List<ValidationFailure> failures)
    {
        var (status, old) = (update.Status, update.OldStatus);
        Conditions(status.Conditions, failures);
        NominatedNodeName(status.NominatedNodeName, old.NominatedNodeName, failures);
        if ((status.QosClass ?? "") != (old.QosClass ?? ""))
        {
            failures.Add(FieldError.Immutable("status.qosClass", status.QosClass ?? ""));
        }

        ContainerStates(update, failures);
        ResourceClaimStatuses(status.ResourceClaimStatuses, update, failures);
        if (status.PodIPs is { Count: > 0 } podIps)
        {
            IpList("status.podIPs", podIps, static p => p.Ip, "PodIP", subField: "", failures);
        }

        if (status.HostIPs is { Count: > 0 } hostIps)
        {
            if (!string.IsNullOrEmpty(status.HostIP) && status.HostIP != hostIps[0].Ip)
            {
                failures.Add(FieldError.Invalid("status.hostIPs[0].ip", hostIps[0].Ip ?? "", "must be equal to `hostIP`"));
            }

            IpList("status.hostIPs", hostIps, static h => h.Ip, "HostIP", subField: ".ip", failures);
        }
    }

    private static void Conditions(IList<V1PodCondition>? conditions, List<ValidationFailure> failures)
    {
        for (var i = 0; i < (conditions?.Count ?? 0); i++)
        {
            var type = conditions![i].Type ?? "";
            if (type is "PodScheduled" or "Ready" or "Initialized")
            {
                continue;
            }

            foreach (var message in Names.QualifiedName(type))
            {
                failures.Add(FieldError.Invalid($"metadata.conditions[{i}].Type", type, message));
            }
        }
    }

    private static void NominatedNodeName(string? nominated, string? old, List<ValidationFailure> failures)
    {
        if (string.IsNullOrEmpty(nominated) || nominated == old)
        {
            return;
        }

        foreach (var message in Names.Dns1123Subdomain(nominated))
        {
            failures.Add(FieldError.Invalid("status.nominatedNodeName", nominated, message));
        }
    }

    /// <summary>A terminated container may not run again unless the restart policy restarts it (ValidateContainerStateTransition).</summary>
    private static void ContainerStates(PodStatusUpdate update, List<ValidationFailure> failures)
    {
        var old = update.OldStatus;
        if (!AnyTerminated(old.ContainerStatuses) && !AnyTerminated(old.InitContainerStatuses) && !AnyTerminated(old.EphemeralContainerStatuses))
        {
            return;
        }

        var spec = update.Spec;
        var policy = spec.RestartPolicy ?? "Always";
        var sidecars = (spec.InitContainers ?? []).Where(c => c.RestartPolicy == "Always").Select(c => c.Name).ToHashSet();
        var status = update.Status;
        Transitions("status.containerStatuses", status.ContainerStatuses, old.ContainerStatuses, policy, [], failures);
        Transitions("status.initContainerStatuses", status.InitContainerStatuses, old.InitContainerStatuses, policy, sidecars, failures);
        Transitions("status.ephemeralContainerStatuses", status.EphemeralContainerStatuses, old.EphemeralContainerStatuses, "Never", [], failures);
    }

    private static bool AnyTerminated(IList<V1ContainerStatus>? statuses) => statuses?.Any(s => s.State?.Terminated is not null) == true;

    private static void Transitions(
        string path, IList<V1ContainerStatus>? current, IList<V1ContainerStatus>? previous, string restartPolicy,
        HashSet<string> restartable, List<ValidationFailure> failures)
    {
        if (restartPolicy == "Always")
        {
            return;
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
                failures.Add(FieldError.Forbidden($"{path}[{i}].state", "may not be transitioned to non-terminated state"));
            }
        }
    }

    private static void ResourceClaimStatuses(IList<V1PodResourceClaimStatus>? claims, PodStatusUpdate update, List<ValidationFailure> failures)
    {
        if (claims is not { Count: > 0 })
        {
            return;
        }

        var declared = (update.Spec.ResourceClaims ?? []).Select(c => c.Name).ToHashSet();
        var seen = new HashSet<string>();
        for (var i = 0; i < claims.Count; i++)
        {
            var name = claims[i].Name ?? "";
            if (!seen.Add(name))
            {
                failures.Add(FieldError.Duplicate($"status.resourceClaimStatuses[{i}].name", name));
            }
            else if (!declared.Contains(name))
            {
                failures.Add(FieldError.Invalid($"status.resourceClaimStatuses[{i}].name", name, "must match the name of an entry in `spec.resourceClaims`"));
            }
        }
    }

    /// <summary>validatePodIPs / validateHostIPs: valid addresses, at most one per family, no repeats.</summary>
    // Over the entries themselves, not a list of their IPs: a status write checks its podIPs without allocating.
    private static void IpList<T>(string path, IList<T> entries, Func<T, string?> ipOf, string goType, string subField, List<ValidationFailure> failures)
    {
        var (v4, v6) = (0, 0);
        for (var i = 0; i < entries.Count; i++)
        {
            switch (IpAddresses.FamilyOf(ipOf(entries[i])))
            {
                case AddressFamily.InterNetwork:
                    v4++;
                    break;
                case AddressFamily.InterNetworkV6:
                    v6++;
                    break;
                default:
                    failures.Add(FieldError.Invalid($"{path}[{i}]{subField}", ipOf(entries[i]) ?? "", IpAddresses.InvalidMessage));
                    break;
            }
        }

        if (entries.Count <= 1)
        {
            return;
        }

        var ips = entries.Select(ipOf).ToList();
        if (v4 == 0 || v6 == 0 || ips.Count > 2)
        {
            var asGo = "[]core." + goType + "{" + string.Join(", ", ips.Select(ip => GoStruct(goType, ip))) + "}";
            failures.Add(FieldError.Invalid(path, new GoLiteral(asGo), "may specify no more than one IP for each IP family"));
        }

        for (var i = 1; i < ips.Count; i++)
        {
            if (ips.IndexOf(ips[i]) < i)
            {
                failures.Add(FieldError.Duplicate($"{path}[{i}]", new GoLiteral(GoStruct(goType, ips[i]))));
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
