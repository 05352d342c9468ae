using FluentValidation.Results;

namespace PodStatus.Api.Validation;

/// <summary>Finalizer names as core validation checks them (<c>validateFinalizerName</c>).</summary>
public static class Finalizers
{
    /// <summary>The finalizers upstream knows without a domain: a namespace's, and the garbage collector's two.</summary>
    private static readonly HashSet<string> Standard = ["kubernetes", "orphan", "foregroundDeletion"];

    /// <summary>A qualified name, and either one of the standard names or one with a domain prefix.</summary>
    public static IEnumerable<ValidationFailure> NameFailures(string finalizer, string field)
    {
        foreach (var message in Names.QualifiedName(finalizer))
        {
            yield return FieldError.Invalid(field, finalizer, message);
        }

        if (!finalizer.Contains('/') && !Standard.Contains(finalizer))
        {
            yield return FieldError.Invalid(field, finalizer, "name is neither a standard finalizer name nor is it fully qualified");
        }
    }
}
