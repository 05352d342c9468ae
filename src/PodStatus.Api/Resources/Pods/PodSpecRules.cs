using System.Text.Json;
using FluentValidation.Results;
using k8s.Models;
using PodStatus.Api.Validation;
using PodStatus.Api.Serialization;

namespace PodStatus.Api.Resources.Pods;

/// <summary>
/// The pod spec rules PodStatus enforces from upstream's ValidatePodSpec (names, containers, the enumerated
/// policies) and ValidatePodUpdate's rule that a pod's spec is fixed but for images, activeDeadlineSeconds,
/// tolerations and scheduling gates.
/// </summary>
public static class PodSpecRules
{
    public const string UpdatableFields =
        "`spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)";

    private static readonly string[] RestartPolicies = ["Always", "Never", "OnFailure"];
    private static readonly string[] DnsPolicies = ["ClusterFirst", "ClusterFirstWithHostNet", "Default", "None"];
    private static readonly string[] PullPolicies = ["Always", "IfNotPresent", "Never"];

    public static void Validate(V1PodSpec? spec, List<ValidationFailure> failures)
    {
        spec ??= new V1PodSpec();
        Volumes(spec.Volumes, failures);
        if (spec.Containers is not { Count: > 0 })
        {
            failures.Add(FieldError.Required("spec.containers"));
        }

        var containerNames = new HashSet<string>();
        Containers("spec.initContainers", spec.InitContainers, containerNames, failures);
        Containers("spec.containers", spec.Containers, containerNames, failures);
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

    private static void Volumes(IList<V1Volume>? volumes, List<ValidationFailure> failures)
    {
        var names = new HashSet<string>();
        for (var i = 0; i < (volumes?.Count ?? 0); i++)
        {
            Name($"spec.volumes[{i}].name", volumes![i].Name, names, failures);
        }
    }

    private static void Containers(string path, IList<V1Container>? containers, HashSet<string> names, List<ValidationFailure> failures)
    {
        for (var i = 0; i < (containers?.Count ?? 0); i++)
        {
            var container = containers![i];
            Name($"{path}[{i}].name", container.Name, names, failures);
            if (string.IsNullOrWhiteSpace(container.Image))
            {
                failures.Add(FieldError.Required($"{path}[{i}].image"));
            }

            Supported($"{path}[{i}].imagePullPolicy", container.ImagePullPolicy, PullPolicies, failures);
        }
    }

    private static void Name(string path, string? name, HashSet<string> seen, List<ValidationFailure> failures)
    {
        if (string.IsNullOrEmpty(name))
        {
            failures.Add(FieldError.Required(path));
            return;
        }

        failures.AddRange(Names.Dns1123Label(name).Select(m => FieldError.Invalid(path, name, m)));
        if (!seen.Add(name))
        {
            failures.Add(FieldError.Duplicate(path, name));
        }
    }

    private static void Supported(string path, string? value, string[] supported, List<ValidationFailure> failures)
    {
        if (value is not null && !supported.Contains(value))
        {
            failures.Add(FieldError.NotSupported(path, value, supported));
        }
    }
}
