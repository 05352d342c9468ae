using System.Text.Json;
using FluentValidation.Results;
using k8s.Models;
using PodStatus.Api.Validation;
using PodStatus.Api.Serialization;

namespace PodStatus.Api.Resources.Pods;

/// <summary>
/// The pod spec rules PodStatus enforces from upstream's ValidatePodSpec (volume names, the containers through
/// <see cref="ContainerRules"/>, the enumerated policies) and ValidatePodUpdate's rule that a pod's spec is fixed but
/// for images, activeDeadlineSeconds, tolerations and scheduling gates.
/// </summary>
public static class PodSpecRules
{
    public const string UpdatableFields =
        "`spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)";

    private static readonly string[] RestartPolicies = ["Always", "Never", "OnFailure"];
    private static readonly string[] DnsPolicies = ["ClusterFirst", "ClusterFirstWithHostNet", "Default", "None"];

    public static void Validate(V1PodSpec? spec, List<ValidationFailure> failures)
    {
        spec ??= new V1PodSpec();
        ContainerRules.Validate(spec, Volumes(spec.Volumes, failures), failures);
        Supported("spec.restartPolicy", spec.RestartPolicy, RestartPolicies, failures);
        Supported("spec.dnsPolicy", spec.DnsPolicy, DnsPolicies, failures);
        if (spec.ActiveDeadlineSeconds is <= 0 or > int.MaxValue)
        {
            failures.Add(FieldError.Invalid("spec.activeDeadlineSeconds", spec.ActiveDeadlineSeconds, "must be between 1 and 2147483647, inclusive"));
        }

        if (!string.IsNullOrEmpty(spec.NodeName))
        {
            failures.AddRange(Names.Dns1123Subdomain(spec.NodeName).Select(m => FieldError.Invalid("spec.nodeName", spec.NodeName, m)));
        }

        ContainerRules.ImagesOfPod(spec, failures);
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

    /// <summary>The volumes' names, each a unique DNS label; returns those the containers may mount.</summary>
    private static HashSet<string> Volumes(IList<V1Volume>? volumes, List<ValidationFailure> failures)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < (volumes?.Count ?? 0); i++)
        {
            var path = $"spec.volumes[{i}].name";
            var name = volumes![i]?.Name;
            if (string.IsNullOrEmpty(name))
            {
                failures.Add(FieldError.Required(path));
                continue;
            }

            failures.AddRange(Names.Dns1123Label(name).Select(m => FieldError.Invalid(path, name, m)));
            if (!names.Add(name))
            {
                failures.Add(FieldError.Duplicate(path, name));
            }
        }

        return names;
    }

    private static void Supported(string path, string? value, string[] supported, List<ValidationFailure> failures)
    {
        if (value is not null && !supported.Contains(value))
        {
            failures.Add(FieldError.NotSupported(path, value, supported));
        }
    }
}
