using FluentValidation;
using FluentValidation.Results;
using PodStatus.Api.Errors;

namespace PodStatus.Api.Validation;

public static class ValidationExtensions
{
    public static void AddFailures<T>(this ValidationContext<T> context, IEnumerable<ValidationFailure> failures)
    {
        foreach (var failure in failures)
        {
            context.AddFailure(failure);
        }
    }

    /// <summary>Runs <paramref name="validator"/> and fails with upstream's 422 Invalid Status when it finds errors.</summary>
    public static void ValidateOrThrow<T>(this IValidator<T> validator, T instance, string name)
    {
        validator.Validate(instance).Errors.ThrowIfAny("Pod", name);
    }

    /// <summary>Upstream's 422 Invalid Status on <paramref name="kind"/> when there are failures, one cause each.</summary>
    public static void ThrowIfAny(this IReadOnlyCollection<ValidationFailure> failures, string kind, string name)
    {
        if (failures.Count > 0)
        {
            var causes = failures.Select(e => new StatusCause(e.ErrorCode, e.ErrorMessage, e.PropertyName)).ToList();
            throw StatusErrors.Invalid(kind, name, causes).AsException();
        }
    }
}
