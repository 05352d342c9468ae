using System.Globalization;
using System.Text;
using FluentValidation.Results;
using PodStatus.Api.Validation;
using PodStatus.Api.Serialization;

namespace PodStatus.Api.Http;

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

/// <summary>The query options of a write: <c>dryRun</c>, <c>fieldValidation</c> (and <c>fieldManager</c>, validated and otherwise unused).</summary>
public sealed record WriteOptions(bool DryRun, FieldValidation FieldValidation)
{
    public static readonly WriteOptions Default = new(false, FieldValidation.Warn);

    private static readonly string[] FieldValidationValues = ["", "Ignore", "Strict", "Warn"];

    /// <summary>
    /// Reads the options from the query as upstream converts them (every <c>dryRun</c> value, the first of the
    /// others), validated as <c>ValidateCreateOptions</c>, <c>ValidateUpdateOptions</c> and <c>ValidatePatchOptions</c>
    /// do: unsupported values are a 422 on the options kind.
    /// </summary>
    public static WriteOptions Parse(IQueryCollection query, string optionsKind)
    {
        if (query.Count == 0)
        {
            // What almost every write asks: the defaults, with nothing to check.
            return Default;
        }

        var dryRun = query["dryRun"];
        var fieldValidation = QueryConversion.String(query["fieldValidation"]) ?? "";
        var failures = new List<ValidationFailure>();
        // Server-side apply is not served, so every patch is a non-apply patch.
        if (optionsKind == "PatchOptions" && query.ContainsKey("force"))
        {
            failures.Add(FieldError.Forbidden("force", "may not be specified for non-apply patch"));
        }

        failures.AddRange(FieldManagerFailures(QueryConversion.String(query["fieldManager"]) ?? ""));
        failures.AddRange(DryRunFailures(dryRun));
        if (!FieldValidationValues.Contains(fieldValidation))
        {
            failures.Add(FieldError.NotSupported("fieldValidation", fieldValidation, FieldValidationValues));
        }

        failures.ThrowIfAny($"{optionsKind}.meta.k8s.io", "");
        var validation = fieldValidation switch
        {
            "Ignore" => FieldValidation.Ignore,
            "Strict" => FieldValidation.Strict,
            _ => FieldValidation.Warn,
        };
        return new WriteOptions(dryRun.Count > 0, validation);
    }

    /// <summary>Upstream's <c>ValidateDryRun</c>: every value must be <c>All</c>; the failure shows them all.</summary>
    public static IEnumerable<ValidationFailure> DryRunFailures(IEnumerable<string?> dryRun) =>
        dryRun.All(value => value == "All") ? [] : [FieldError.NotSupported("dryRun", dryRun.Select(v => v ?? ""), ["All"])];

    /// <summary>Upstream's <c>ValidateFieldManager</c>: at most 128 bytes, printable characters only.</summary>
    private static IEnumerable<ValidationFailure> FieldManagerFailures(string manager)
    {
        if (Encoding.UTF8.GetByteCount(manager) > 128)
        {
            yield return FieldError.TooLong("fieldManager", 128);
        }

        var position = 0;
        foreach (var rune in manager.EnumerateRunes())
        {
            if (!GoStrconv.IsPrint(rune))
            {
                // Go's %#U, and the byte offset its range loop gives.
                yield return FieldError.Invalid("fieldManager", manager,
                    string.Create(CultureInfo.InvariantCulture, $"invalid character U+{rune.Value:X4} (at position {position})"));
            }

            position += rune.Utf8SequenceLength;
        }
    }
}
