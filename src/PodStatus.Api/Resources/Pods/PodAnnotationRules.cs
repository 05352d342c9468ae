using FluentValidation.Results;
using k8s.Models;
using PodStatus.Api.Validation;

namespace PodStatus.Api.Resources.Pods;

/// <summary>ValidatePodSpecificAnnotationUpdates: the mirror-pod and AppArmor annotations are fixed at creation.</summary>
internal static class PodAnnotationRules
{
    private const string MirrorPodAnnotation = "kubernetes.io/config.mirror";
    private const string AppArmorAnnotationPrefix = "container.apparmor.security.beta.kubernetes.io/";

    public static void ForUpdate(V1ObjectMeta updated, V1ObjectMeta old, List<ValidationFailure> failures)
    {
        if (updated.Annotations is not null || old.Annotations is not null)
        {
            AnnotationUpdates(updated.Annotations ?? new Dictionary<string, string>(), old.Annotations ?? new Dictionary<string, string>(), failures);
        }
    }

    private static void AnnotationUpdates(IDictionary<string, string> updated, IDictionary<string, string> old, List<ValidationFailure> failures)
    {
        foreach (var key in updated.Keys.Union(old.Keys).Where(IsFixedAtCreation))
        {
            var had = old.TryGetValue(key, out var oldValue);
            if (had && updated.TryGetValue(key, out var newValue) && newValue == oldValue)
            {
                continue;
            }

            var what = key == MirrorPodAnnotation ? "mirror pod annotation" : "AppArmor annotations";
            failures.Add(FieldError.Forbidden($"metadata.annotations[{key}]", had ? $"may not remove or update {what}" : $"may not add {what}"));
        }
    }

    private static bool IsFixedAtCreation(string annotation) =>
        annotation == MirrorPodAnnotation || annotation.StartsWith(AppArmorAnnotationPrefix, StringComparison.Ordinal);

}
