using System.Text;
using FluentValidation.Results;
using k8s.Models;

namespace PodStatus.Api.Validation;

/// <summary>
/// apimachinery's ObjectMeta rules (<c>api/validation/objectmeta.go</c>) and the pod annotation rules,
/// for new objects and for updates.
/// </summary>
public static class ObjectMetaRules
{
    /// <summary>kube-apiserver's <c>TotalAnnotationSizeLimitB</c>.</summary>
    public const int TotalAnnotationSizeLimit = 256 * 1024;

    private const string MirrorPodAnnotation = "kubernetes.io/config.mirror";
    private const string AppArmorAnnotationPrefix = "container.apparmor.security.beta.kubernetes.io/";

    public static void ForCreate(V1ObjectMeta meta, List<ValidationFailure> failures)
    {
        if (!string.IsNullOrEmpty(meta.GenerateName))
        {
            Add(failures, "metadata.generateName", meta.GenerateName, Names.Dns1123SubdomainPrefix(meta.GenerateName));
        }

        if (string.IsNullOrEmpty(meta.Name))
        {
            failures.Add(FieldError.Required("metadata.name", "name or generateName is required"));
        }
        else
        {
            Add(failures, "metadata.name", meta.Name, Names.Dns1123Subdomain(meta.Name));
        }

        if (string.IsNullOrEmpty(meta.NamespaceProperty))
        {
            failures.Add(FieldError.Required("metadata.namespace"));
        }
        else
        {
            Add(failures, "metadata.namespace", meta.NamespaceProperty, Names.Dns1123Label(meta.NamespaceProperty));
        }

        Common(meta, failures);
        foreach (var finalizer in meta.Finalizers ?? [])
        {
            Add(failures, "metadata.finalizers", finalizer, Names.QualifiedName(finalizer));
        }
    }

    public static void ForUpdate(V1ObjectMeta updated, V1ObjectMeta old, List<ValidationFailure> failures)
    {
        if (old.DeletionTimestamp is not null && updated.Finalizers is { Count: > 0 } finalizers)
        {
            var added = finalizers.Except(old.Finalizers ?? []).Order(StringComparer.Ordinal).ToList();
            if (added.Count > 0)
            {
                failures.Add(FieldError.Forbidden("metadata.finalizers",
                    "no new finalizers can be added if the object is being deleted, found new finalizers []string{" +
                    string.Join(", ", added.Select(FieldError.Quote)) + "}"));
            }
        }

        if (updated.Name != old.Name)
        {
            failures.Add(FieldError.Immutable("metadata.name", updated.Name));
        }

        if (updated.NamespaceProperty != old.NamespaceProperty)
        {
            failures.Add(FieldError.Immutable("metadata.namespace", updated.NamespaceProperty));
        }

        if (updated.Uid != old.Uid)
        {
            failures.Add(FieldError.Immutable("metadata.uid", updated.Uid));
        }

        if (updated.DeletionGracePeriodSeconds != old.DeletionGracePeriodSeconds)
        {
            failures.Add(FieldError.Immutable("metadata.deletionGracePeriodSeconds", updated.DeletionGracePeriodSeconds));
        }

        Common(updated, failures);
        if (updated.Annotations is not null || old.Annotations is not null)
        {
            AnnotationUpdates(updated.Annotations ?? new Dictionary<string, string>(), old.Annotations ?? new Dictionary<string, string>(), failures);
        }
    }

    private static void Common(V1ObjectMeta meta, List<ValidationFailure> failures)
    {
        if (meta.Generation < 0)
        {
            failures.Add(FieldError.Invalid("metadata.generation", meta.Generation, "must be greater than or equal to 0"));
        }

        foreach (var (key, value) in meta.Labels ?? new Dictionary<string, string>())
        {
            Add(failures, "metadata.labels", key, Names.QualifiedName(key));
            Add(failures, "metadata.labels", value, Names.LabelValue(value ?? ""));
        }

        if (meta.Annotations is null)
        {
            return;
        }

        var annotationBytes = 0;
        foreach (var (key, value) in meta.Annotations)
        {
            // Annotation keys are qualified names, but case does not matter.
            Add(failures, "metadata.annotations", key, Names.QualifiedName(key.ToLowerInvariant()));
            annotationBytes += Encoding.UTF8.GetByteCount(key) + Encoding.UTF8.GetByteCount(value ?? "");
        }

        if (annotationBytes > TotalAnnotationSizeLimit)
        {
            failures.Add(FieldError.TooLong("metadata.annotations", TotalAnnotationSizeLimit));
        }
    }

    /// <summary>ValidatePodSpecificAnnotationUpdates: the mirror-pod and AppArmor annotations are fixed at creation.</summary>
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

    private static void Add(List<ValidationFailure> failures, string field, object? value, IEnumerable<string> messages)
    {
        foreach (var message in messages)
        {
            failures.Add(FieldError.Invalid(field, value, message));
        }
    }
}
