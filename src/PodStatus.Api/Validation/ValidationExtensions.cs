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
        var result = validator.Validate(instance);
        if (!result.IsValid)
        {
            var causes = result.Errors.Select(e => new StatusCause(e.ErrorCode, e.ErrorMessage, e.PropertyName)).ToList();
            throw StatusErrors.Invalid("Pod", name, causes).AsException();
        }
    }
}
