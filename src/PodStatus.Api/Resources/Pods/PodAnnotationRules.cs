using FluentValidation.Results;
using k8s.Models;
using PodStatus.Api.Serialization;
using PodStatus.Api.Validation;

namespace PodStatus.Api.Resources.Pods;

/// <summary>ValidatePodSpecificAnnotationUpdates: the mirror-pod and AppArmor annotations are fixed at creation.</summary>
internal static class PodAnnotationRules
{
    private const string MirrorPodAnnotation = "kubernetes.io/config.mirror";
    private const string AppArmorAnnotationPrefix = "container.apparmor.security.beta.kubernetes.io/";

    public static void ForUpdate(V1ObjectMeta updated, V1ObjectMeta old, List<ValidationFailure> failures)
    {
        var (now, before) = (StringMaps.Entries(updated.Annotations), StringMaps.Entries(old.Annotations));
        // The keys of both, the updated ones first, as a union of the two would give them, without making one.
        foreach (var (key, _) in now)
        {
            Check(key, now, before, failures);
        }

        foreach (var (key, _) in before)
        {
            if (!now.ContainsKey(key))
            {
                Check(key, now, before, failures);
            }
        }
    }

    private static void Check(string key, Dictionary<string, string> updated, Dictionary<string, string> old, List<ValidationFailure> failures)
    {
        if (!IsFixedAtCreation(key))
        {
            return;
        }

        var had = old.TryGetValue(key, out var oldValue);
        if (had && updated.TryGetValue(key, out var newValue) && newValue == oldValue)
        {
            return;
        }

        var what = key == MirrorPodAnnotation ? "mirror pod annotation" : "AppArmor annotations";
        failures.Add(FieldError.Forbidden($"metadata.annotations[{key}]", had ? $"may not remove or update {what}" : $"may not add {what}"));
    }

    private static bool IsFixedAtCreation(string annotation) =>
        annotation == MirrorPodAnnotation || annotation.StartsWith(AppArmorAnnotationPrefix, StringComparison.Ordinal);

}
