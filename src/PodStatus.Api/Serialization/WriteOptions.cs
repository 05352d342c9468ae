using PodStatus.Api.Validation;

namespace PodStatus.Api.Serialization;

/// <summary>How the server treats fields of a body it does not know (the <c>fieldValidation</c> parameter).</summary>
public enum FieldValidation
{
    /// <summary>Dropped, and named in a <c>Warning</c> header (upstream's default).</summary>
    Warn,

    /// <summary>Dropped silently.</summary>
    Ignore,

    /// <summary>Rejected with 400.</summary>
    Strict,
}

/// <summary>The query options of a write: <c>dryRun</c>, <c>fieldValidation</c> (and <c>fieldManager</c>, accepted).</summary>
public sealed record WriteOptions(bool DryRun, FieldValidation FieldValidation)
{
    public static readonly WriteOptions Default = new(false, FieldValidation.Warn);

    /// <summary>Reads the options; unsupported values are upstream's 422 on the options kind.</summary>
    public static WriteOptions Parse(string? dryRun, string? fieldValidation, string optionsKind)
    {
        var failures = new List<FluentValidation.Results.ValidationFailure>();
        if (!string.IsNullOrEmpty(dryRun) && dryRun != "All")
        {
            failures.Add(FieldError.NotSupported("dryRun[0]", dryRun, ["All"]));
        }

        FieldValidation? validation = fieldValidation switch
        {
            null or "" or "Warn" => FieldValidation.Warn,
            "Ignore" => FieldValidation.Ignore,
            "Strict" => FieldValidation.Strict,
            _ => null,
        };
        if (validation is null)
        {
            failures.Add(FieldError.NotSupported("fieldValidation", fieldValidation, ["Ignore", "Warn", "Strict"]));
        }

        failures.ThrowIfAny($"{optionsKind}.meta.k8s.io", "");
        return new WriteOptions(dryRun == "All", validation!.Value);
    }
}
