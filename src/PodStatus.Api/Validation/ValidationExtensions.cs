using FluentValidation;
using FluentValidation.Results;
using PodStatus.Api.Errors;

namespace PodStatus.Api.Validation;

/// <summary>Between FluentValidation's failures and upstream's 422.</summary>
public static class ValidationExtensions
{
    public static void AddFailures<T>(this ValidationContext<T> context, IEnumerable<ValidationFailure> failures)
    {
        foreach (var failure in failures)
        {
            context.AddFailure(failure);
        }
    }

    /// <summary>
    /// An enumerated field, as upstream checks one Go's defaulting fills (a pod's restart policy, a port's protocol):
    /// empty is Required, anything else must be one of <paramref name="supported"/>.
    /// </summary>
    public static void RequireOneOf(this List<ValidationFailure> failures, string field, string? value, string[] supported)
    {
        if (string.IsNullOrEmpty(value))
        {
            failures.Add(FieldError.Required(field));
        }
        else if (!supported.Contains(value))
        {
            failures.Add(FieldError.NotSupported(field, value, supported));
        }
    }

    /// <summary>
    /// Upstream's 422 Invalid Status on <paramref name="kind"/> (qualified by its group unless core: <c>Pod</c>,
    /// <c>Lease.coordination.k8s.io</c>) when there are failures, one cause each.
    /// </summary>
    public static void ThrowIfAny(this IReadOnlyCollection<ValidationFailure> failures, string kind, string name)
    {
        if (failures.Count > 0)
        {
            var causes = failures.Select(e => new StatusCause(e.ErrorCode, e.ErrorMessage, e.PropertyName)).ToList();
            throw StatusErrors.Invalid(kind, name, causes).AsException();
        }
    }
}
