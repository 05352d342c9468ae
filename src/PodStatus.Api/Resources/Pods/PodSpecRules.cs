using System.Text.Json;
using FluentValidation.Results;
using k8s.Models;
using PodStatus.Api.Validation;
using PodStatus.Api.Serialization;

namespace PodStatus.Api.Resources.Pods;

/// <summary>
/// The pod spec rules PodStatus enforces from upstream's ValidatePodSpec, in its order (volumes through
/// <see cref="VolumeRules"/>, containers through <see cref="ContainerRules"/>, then the pod's own fields,
/// <see cref="SecurityContextRules"/> and <see cref="SchedulingRules"/>; not yet the Linux- and Windows-only rules of
/// <c>spec.os</c>) and ValidatePodUpdate's rule that a pod's spec is fixed but for images, activeDeadlineSeconds, tolerations and
/// scheduling gates.
/// </summary>
public static class PodSpecRules
{
    public const string UpdatableFields =
        "`spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)";

    // In the order validateRestartPolicy and validateDNSPolicy list them in their messages.
    private static readonly string[] RestartPolicies = ["Always", "OnFailure", "Never"];
    private static readonly string[] DnsPolicies = ["ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"];
    private static readonly string[] PreemptionPolicies = ["PreemptLowerPriority", "Never"];
    private static readonly string[] TaintEffects = ["NoSchedule", "PreferNoSchedule", "NoExecute"];

    public static void Validate(V1PodSpec? spec, List<ValidationFailure> failures)
    {
        spec ??= new V1PodSpec();
        ContainerRules.Validate(spec, VolumeRules.Validate(spec.Volumes, failures), failures);
        failures.RequireOneOf("spec.restartPolicy", spec.RestartPolicy, RestartPolicies);
        failures.RequireOneOf("spec.dnsPolicy", spec.DnsPolicy, DnsPolicies);
        ObjectMetaRules.Labels(spec.NodeSelector, "spec.nodeSelector", failures);
        SecurityContextRules.ForPod(spec, failures);
        SchedulingRules.Affinity(spec.Affinity, failures);
        DnsConfig(spec.DnsConfig, spec.DnsPolicy, failures);
        for (var i = 0; i < (spec.ReadinessGates?.Count ?? 0); i++)
        {
            var conditionType = spec.ReadinessGates![i]?.ConditionType ?? "";
            failures.AddRange(Names.QualifiedName(conditionType).Select(m => FieldError.Invalid($"spec.readinessGates[{i}].conditionType", conditionType, m)));
        }

        var gates = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < (spec.SchedulingGates?.Count ?? 0); i++)
        {
            var gate = spec.SchedulingGates![i]?.Name ?? "";
            failures.AddRange(Names.QualifiedName(gate).Select(m => FieldError.Invalid($"spec.schedulingGates[{i}]", gate, m)));
            if (!gates.Add(gate))
            {
                failures.Add(FieldError.Duplicate($"spec.schedulingGates[{i}]", gate));
            }
        }

        SchedulingRules.TopologySpreadConstraints(spec.TopologySpreadConstraints, failures);
        Subdomain("spec.serviceAccountName", spec.ServiceAccountName, failures);
        Subdomain("spec.nodeName", spec.NodeName, failures);
        if (spec.ActiveDeadlineSeconds is <= 0 or > int.MaxValue)
        {
            failures.Add(FieldError.Invalid("spec.activeDeadlineSeconds", spec.ActiveDeadlineSeconds, "must be between 1 and 2147483647, inclusive"));
        }

        Label("spec.hostname", spec.Hostname, failures);
        Label("spec.subdomain", spec.Subdomain, failures);
        Tolerations(spec.Tolerations, failures);
        for (var i = 0; i < (spec.HostAliases?.Count ?? 0); i++)
        {
            var alias = spec.HostAliases![i] ?? new V1HostAlias();
            if (IpAddresses.FamilyOf(alias.Ip) is null)
            {
                failures.Add(FieldError.Invalid($"spec.hostAliases[{i}].ip", alias.Ip ?? "", IpAddresses.InvalidMessage));
            }

            for (var j = 0; j < (alias.Hostnames?.Count ?? 0); j++)
            {
                var hostname = alias.Hostnames![j] ?? "";
                failures.AddRange(Names.Dns1123Subdomain(hostname).Select(m => FieldError.Invalid($"spec.hostAliases[{i}].hostnames[{j}]", hostname, m)));
            }
        }

        Subdomain("spec.priorityClassName", spec.PriorityClassName, failures);
        if (spec.RuntimeClassName is not null)
        {
            failures.AddRange(Names.Dns1123Subdomain(spec.RuntimeClassName).Select(m => FieldError.Invalid("spec.runtimeClassName", spec.RuntimeClassName, m)));
        }

        if (spec.PreemptionPolicy is not null)
        {
            failures.RequireOneOf("spec.preemptionPolicy", spec.PreemptionPolicy, PreemptionPolicies);
        }

        if (spec.Overhead is not null)
        {
            // validateOverhead: the resource requirements' rules, as limits.
            ContainerRules.Resources(new V1ResourceRequirements { Limits = spec.Overhead }, "spec.overhead", failures);
        }

        if (spec.Os is { } os)
        {
            if (string.IsNullOrEmpty(os.Name))
            {
                failures.Add(FieldError.Required("spec.os.name"));
            }
            else if (os.Name is not ("linux" or "windows"))
            {
                failures.Add(FieldError.NotSupported("spec.os.name", os.Name, ["linux", "windows"]));
            }
        }

        ContainerRules.ImagesOfPod(spec, failures);
    }

    /// <summary><c>validatePodDNSConfig</c>: with dnsPolicy None, a config naming a nameserver; at most 3 nameservers (IPs),
    /// 32 search domains of 2,048 characters in all, named options.</summary>
    private static void DnsConfig(V1PodDNSConfig? config, string? policy, List<ValidationFailure> failures)
    {
        const string path = "spec.dnsConfig";
        if (policy == "None")
        {
            if (config is null)
            {
                failures.Add(FieldError.Required(path, "must provide `dnsConfig` when `dnsPolicy` is None"));
                return;
            }

            if (config.Nameservers is not { Count: > 0 })
            {
                failures.Add(FieldError.Required($"{path}.nameservers", "must provide at least one DNS nameserver when `dnsPolicy` is None"));
                return;
            }
        }

        if (config is null)
        {
            return;
        }

        var nameservers = config.Nameservers ?? [];
        if (nameservers.Count > 3)
        {
            failures.Add(FieldError.Invalid($"{path}.nameservers", nameservers, "must not have more than 3 nameservers"));
        }

        for (var i = 0; i < nameservers.Count; i++)
        {
            if (IpAddresses.FamilyOf(nameservers[i]) is null)
            {
                failures.Add(FieldError.Invalid($"{path}.nameservers[{i}]", nameservers[i] ?? "", IpAddresses.InvalidMessage));
            }
        }

        var searches = config.Searches ?? [];
        if (searches.Count > 32)
        {
            failures.Add(FieldError.Invalid($"{path}.searches", searches, "must not have more than 32 search paths"));
        }

        if (string.Join(' ', searches).Length > 2048)
        {
            failures.Add(FieldError.Invalid($"{path}.searches", searches, "must not have more than 2048 characters (including spaces) in the search list"));
        }

        for (var i = 0; i < searches.Count; i++)
        {
            // A trailing dot is fine.
            var search = (searches[i] ?? "").TrimEnd('.');
            failures.AddRange(Names.Dns1123Subdomain(search).Select(m => FieldError.Invalid($"{path}.searches[{i}]", search, m)));
        }

        for (var i = 0; i < (config.Options?.Count ?? 0); i++)
        {
            if (string.IsNullOrEmpty(config.Options![i]?.Name))
            {
                failures.Add(FieldError.Required($"{path}.options[{i}]", "must not be empty"));
            }
        }
    }

    /// <summary><c>ValidateTolerations</c>.</summary>
    private static void Tolerations(IList<V1Toleration>? tolerations, List<ValidationFailure> failures)
    {
        for (var i = 0; i < (tolerations?.Count ?? 0); i++)
        {
            var toleration = tolerations![i] ?? new V1Toleration();
            var path = $"spec.tolerations[{i}]";
            var (key, op, value, effect) = (toleration.Key ?? "", toleration.OperatorProperty ?? "", toleration.Value ?? "", toleration.Effect ?? "");
            if (key.Length > 0)
            {
                failures.AddRange(Names.QualifiedName(key).Select(m => FieldError.Invalid($"{path}.key", key, m)));
            }

            if (key.Length == 0 && op != "Exists")
            {
                failures.Add(FieldError.Invalid($"{path}.operator", op, "operator must be Exists when `key` is empty, which means \"match all values and all keys\""));
            }

            if (toleration.TolerationSeconds is not null && effect != "NoExecute")
            {
                failures.Add(FieldError.Invalid($"{path}.effect", effect, "effect must be 'NoExecute' when `tolerationSeconds` is set"));
            }

            switch (op)
            {
                case "Equal" or "":
                    if (Names.LabelValue(value).ToList() is { Count: > 0 } problems)
                    {
                        failures.Add(FieldError.Invalid($"{path}.operator", value, string.Join(";", problems)));
                    }

                    break;
                case "Exists":
                    if (value.Length > 0)
                    {
                        // The bad value is the toleration itself, which Go prints with %#v.
                        var seconds = toleration.TolerationSeconds is null ? "(*int64)(nil)" : "(*int64)(0xc000000000)";
                        failures.Add(FieldError.Failure($"{path}.operator", "FieldValueInvalid",
                            $"Invalid value: core.Toleration{{Key:{FieldError.Quote(key)}, Operator:{FieldError.Quote(op)}, Value:{FieldError.Quote(value)}, " +
                            $"Effect:{FieldError.Quote(effect)}, TolerationSeconds:{seconds}}}: value must be empty when `operator` is 'Exists'"));
                    }

                    break;
                default:
                    failures.Add(FieldError.NotSupported($"{path}.operator", op, ["Equal", "Exists"]));
                    break;
            }

            if (effect.Length > 0 && !TaintEffects.Contains(effect))
            {
                failures.Add(FieldError.NotSupported($"{path}.effect", effect, TaintEffects));
            }
        }
    }

    private static void Subdomain(string path, string? value, List<ValidationFailure> failures)
    {
        if (!string.IsNullOrEmpty(value))
        {
            failures.AddRange(Names.Dns1123Subdomain(value).Select(m => FieldError.Invalid(path, value, m)));
        }
    }

    private static void Label(string path, string? value, List<ValidationFailure> failures)
    {
        if (!string.IsNullOrEmpty(value))
        {
            failures.AddRange(Names.Dns1123Label(value).Select(m => FieldError.Invalid(path, value, m)));
        }
    }

    /// <summary>ValidatePodUpdate: compares the specs with the updatable fields taken from the old one.</summary>
    public static void ValidateUpdate(V1PodSpec updated, V1PodSpec old, List<ValidationFailure> failures)
    {
        if ((updated.Containers?.Count ?? 0) != (old.Containers?.Count ?? 0))
        {
            failures.Add(FieldError.Forbidden("spec.containers", "pod updates may not add or remove containers"));
            return;
        }

        if ((updated.InitContainers?.Count ?? 0) != (old.InitContainers?.Count ?? 0))
        {
            failures.Add(FieldError.Forbidden("spec.initContainers", "pod updates may not add or remove containers"));
            return;
        }

        var munged = JsonSerializer.Deserialize(JsonSerializer.SerializeToUtf8Bytes(updated, KubeJson.Spec), KubeJson.Spec)!;
        for (var i = 0; i < (munged.Containers?.Count ?? 0); i++)
        {
            munged.Containers![i].Image = old.Containers![i].Image;
        }

        for (var i = 0; i < (munged.InitContainers?.Count ?? 0); i++)
        {
            munged.InitContainers![i].Image = old.InitContainers![i].Image;
        }

        munged.ActiveDeadlineSeconds = old.ActiveDeadlineSeconds;
        munged.SchedulingGates = old.SchedulingGates;
        munged.Tolerations = old.Tolerations;
        if (old.TerminationGracePeriodSeconds < 0 && munged.TerminationGracePeriodSeconds == 1)
        {
            munged.TerminationGracePeriodSeconds = old.TerminationGracePeriodSeconds;
        }

        var changed = ChangedFields(munged, old);
        if (changed.Count > 0)
        {
            failures.Add(FieldError.Forbidden("spec",
                $"pod updates may not change fields other than {UpdatableFields}\n  changed: {string.Join(", ", changed.Select(f => "spec." + f))}"));
        }
    }

    /// <summary>The top-level spec fields whose JSON differs: a readable stand-in for upstream's go-cmp diff.</summary>
    private static List<string> ChangedFields(V1PodSpec updated, V1PodSpec old)
    {
        using var a = JsonSerializer.SerializeToDocument(updated, KubeJson.Spec);
        using var b = JsonSerializer.SerializeToDocument(old, KubeJson.Spec);
        var names = a.RootElement.EnumerateObject().Select(p => p.Name)
            .Union(b.RootElement.EnumerateObject().Select(p => p.Name));
        return names.Where(name =>
        {
            var hasA = a.RootElement.TryGetProperty(name, out var x);
            var hasB = b.RootElement.TryGetProperty(name, out var y);
            return hasA != hasB || !JsonElement.DeepEquals(x, y);
        }).Order(StringComparer.Ordinal).ToList();
    }
}
