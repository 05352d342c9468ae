using FluentValidation.Results;

namespace PodStatus.Api.Validation;

/// <summary>The file path rules of upstream's <c>validation.go</c>, for sub-paths, host paths and profile files.</summary>
public static class Paths
{
    /// <summary><c>validateLocalDescendingPath</c>: relative, and never up a directory.</summary>
    public static void LocalDescending(string value, string path, List<ValidationFailure> failures)
    {
        if (value.StartsWith('/'))
        {
            failures.Add(FieldError.Invalid(path, value, "must be a relative path"));
        }

        NoBacksteps(value, path, failures);
    }

    /// <summary><c>validatePathNoBacksteps</c>: no <c>..</c> segment.</summary>
    public static void NoBacksteps(string value, string path, List<ValidationFailure> failures)
    {
        if (value.Split('/').Contains(".."))
        {
            failures.Add(FieldError.Invalid(path, value, "must not contain '..'"));
        }
    }
}
