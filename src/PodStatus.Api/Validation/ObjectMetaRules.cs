using System.Text;
using FluentValidation.Results;
using k8s.Models;
using PodStatus.Api.Serialization;

namespace PodStatus.Api.Validation;

/// <summary>
/// apimachinery's ObjectMeta rules (<c>api/validation/objectmeta.go ValidateObjectMeta</c>,
/// <c>ValidateObjectMetaUpdate</c>), for new objects and for updates of any kind.
/// </summary>
public static class ObjectMetaRules
{
    /// <summary>kube-apiserver's <c>TotalAnnotationSizeLimitB</c>.</summary>
    public const int TotalAnnotationSizeLimit = 256 * 1024;

    /// <param name="meta">The new object's metadata.</param>
    /// <param name="namespaced">Whether its kind lives in namespaces (the namespace is required) or not (forbidden).</param>
    /// <param name="nameRule">How its kind's names must look, a message per problem.</param>
    /// <param name="failures">Where the problems go.</param>
    public static void ForCreate(V1ObjectMeta meta, bool namespaced, Func<string, IEnumerable<string>> nameRule, List<ValidationFailure> failures)
    {
        if (!string.IsNullOrEmpty(meta.GenerateName))
        {
            // A prefix of a valid name: the rule applied with a character to stand for the random suffix.
            var prefix = meta.GenerateName;
            Add(failures, "metadata.generateName", prefix, nameRule(Names.MaskTrailingDash(prefix)));
        }

        if (string.IsNullOrEmpty(meta.Name))
        {
            failures.Add(FieldError.Required("metadata.name", "name or generateName is required"));
        }
        else
        {
            Add(failures, "metadata.name", meta.Name, nameRule(meta.Name));
        }

        if (!namespaced)
        {
            if (!string.IsNullOrEmpty(meta.NamespaceProperty))
            {
                failures.Add(FieldError.Forbidden("metadata.namespace", "not allowed on this type"));
            }
        }
        else if (string.IsNullOrEmpty(meta.NamespaceProperty))
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
    }

    private static void Common(V1ObjectMeta meta, List<ValidationFailure> failures)
    {
        if (meta.Generation < 0)
        {
            failures.Add(FieldError.Invalid("metadata.generation", meta.Generation, "must be greater than or equal to 0"));
        }

        Labels(meta.Labels, "metadata.labels", failures);

        if (meta.Annotations is null)
        {
            return;
        }

        var annotationBytes = 0;
        foreach (var (key, value) in StringMaps.Entries(meta.Annotations))
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

    /// <summary><c>ValidateLabels</c>: keys are qualified names, values label values, each error at the map's path.</summary>
    public static void Labels(IDictionary<string, string>? labels, string path, List<ValidationFailure> failures)
    {
        foreach (var (key, value) in StringMaps.Entries(labels))
        {
            Add(failures, path, key, Names.QualifiedName(key));
            Add(failures, path, value, Names.LabelValue(value ?? ""));
        }
    }

    private static void Add(List<ValidationFailure> failures, string field, object? value, IEnumerable<string> messages)
    {
        foreach (var message in messages)
        {
            failures.Add(FieldError.Invalid(field, value, message));
        }
    }
}
