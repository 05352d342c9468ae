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

    public static IEnumerable<ValidationFailure> ForCreate(V1ObjectMeta meta)
    {
        if (!string.IsNullOrEmpty(meta.GenerateName))
        {
            foreach (var message in Names.Dns1123SubdomainPrefix(meta.GenerateName))
            {
                yield return FieldError.Invalid("metadata.generateName", meta.GenerateName, message);
            }
        }

        if (string.IsNullOrEmpty(meta.Name))
        {
            yield return FieldError.Required("metadata.name", "name or generateName is required");
        }
        else
        {
            foreach (var message in Names.Dns1123Subdomain(meta.Name))
            {
                yield return FieldError.Invalid("metadata.name", meta.Name, message);
            }
        }

        if (string.IsNullOrEmpty(meta.NamespaceProperty))
        {
            yield return FieldError.Required("metadata.namespace");
        }
        else
        {
            foreach (var message in Names.Dns1123Label(meta.NamespaceProperty))
            {
                yield return FieldError.Invalid("metadata.namespace", meta.NamespaceProperty, message);
            }
        }

        foreach (var failure in Common(meta))
        {
            yield return failure;
        }

        foreach (var finalizer in meta.Finalizers ?? [])
        {
            foreach (var message in Names.QualifiedName(finalizer))
            {
                yield return FieldError.Invalid("metadata.finalizers", finalizer, message);
            }
        }
    }

    public static IEnumerable<ValidationFailure> ForUpdate(V1ObjectMeta updated, V1ObjectMeta old)
    {
        if (old.DeletionTimestamp is not null)
        {
            var added = (updated.Finalizers ?? []).Except(old.Finalizers ?? []).Order(StringComparer.Ordinal).ToList();
            if (added.Count > 0)
            {
                yield return FieldError.Forbidden("metadata.finalizers",
                    "no new finalizers can be added if the object is being deleted, found new finalizers []string{" +
                    string.Join(", ", added.Select(FieldError.Quote)) + "}");
            }
        }

        if (updated.Name != old.Name)
        {
            yield return FieldError.Immutable("metadata.name", updated.Name);
        }

        if (updated.NamespaceProperty != old.NamespaceProperty)
        {
            yield return FieldError.Immutable("metadata.namespace", updated.NamespaceProperty);
        }

        if (updated.Uid != old.Uid)
        {
            yield return FieldError.Immutable("metadata.uid", updated.Uid);
        }

        if (updated.DeletionGracePeriodSeconds != old.DeletionGracePeriodSeconds)
        {
            yield return FieldError.Immutable("metadata.deletionGracePeriodSeconds", updated.DeletionGracePeriodSeconds);
        }

        foreach (var failure in Common(updated))
        {
            yield return failure;
        }

        foreach (var failure in AnnotationUpdates(updated.Annotations, old.Annotations))
        {
            yield return failure;
        }
    }

    private static IEnumerable<ValidationFailure> Common(V1ObjectMeta meta)
    {
        if (meta.Generation < 0)
        {
            yield return FieldError.Invalid("metadata.generation", meta.Generation, "must be greater than or equal to 0");
        }

        foreach (var (key, value) in meta.Labels ?? new Dictionary<string, string>())
        {
            foreach (var message in Names.QualifiedName(key))
            {
                yield return FieldError.Invalid("metadata.labels", key, message);
            }

            foreach (var message in Names.LabelValue(value ?? ""))
            {
                yield return FieldError.Invalid("metadata.labels", value, message);
            }
        }

        var annotationBytes = 0;
        foreach (var (key, value) in meta.Annotations ?? new Dictionary<string, string>())
        {
            // Annotation keys are qualified names, but case does not matter.
            foreach (var message in Names.QualifiedName(key.ToLowerInvariant()))
            {
                yield return FieldError.Invalid("metadata.annotations", key, message);
            }

            annotationBytes += Encoding.UTF8.GetByteCount(key) + Encoding.UTF8.GetByteCount(value ?? "");
        }

        if (annotationBytes > TotalAnnotationSizeLimit)
        {
            yield return FieldError.TooLong("metadata.annotations", TotalAnnotationSizeLimit);
        }
    }

    /// <summary>ValidatePodSpecificAnnotationUpdates: the mirror-pod and AppArmor annotations are fixed at creation.</summary>
    private static IEnumerable<ValidationFailure> AnnotationUpdates(IDictionary<string, string>? updated, IDictionary<string, string>? old)
    {
        updated ??= new Dictionary<string, string>();
        old ??= new Dictionary<string, string>();
        foreach (var key in updated.Keys.Union(old.Keys).Where(IsFixedAtCreation))
        {
            var had = old.TryGetValue(key, out var oldValue);
            if (had && updated.TryGetValue(key, out var newValue) && newValue == oldValue)
            {
                continue;
            }

            var what = key == MirrorPodAnnotation ? "mirror pod annotation" : "AppArmor annotations";
            yield return FieldError.Forbidden($"metadata.annotations[{key}]", had ? $"may not remove or update {what}" : $"may not add {what}");
        }
    }

    private static bool IsFixedAtCreation(string annotation) =>
        annotation == MirrorPodAnnotation || annotation.StartsWith(AppArmorAnnotationPrefix, StringComparison.Ordinal);
}
