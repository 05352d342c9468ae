using System.Globalization;
using FluentValidation.Results;
using PodStatus.Api.Serialization;

namespace PodStatus.Api.Validation;

/// <summary>
/// Builds FluentValidation failures that carry an upstream <c>field.Error</c>: the field path as the property
/// name, the error type (<c>FieldValueInvalid</c>, ...) as the error code and the error body as the message,
/// formatted as apimachinery's <c>field/errors.go</c> does.
/// </summary>
public static class FieldError
{
    public static ValidationFailure Invalid(string field, object? value, string detail) =>
        Failure(field, "FieldValueInvalid", $"Invalid value: {GoValue(value)}: {detail}");

    public static ValidationFailure Required(string field, string detail = "") =>
        Failure(field, "FieldValueRequired", detail.Length == 0 ? "Required value" : $"Required value: {detail}");

    public static ValidationFailure Forbidden(string field, string detail) =>
        Failure(field, "FieldValueForbidden", $"Forbidden: {detail}");

    public static ValidationFailure Duplicate(string field, object? value) =>
        Failure(field, "FieldValueDuplicate", $"Duplicate value: {GoValue(value)}");

    public static ValidationFailure NotFound(string field, object? value) =>
        Failure(field, "FieldValueNotFound", $"Not found: {GoValue(value)}");

    public static ValidationFailure NotSupported(string field, object? value, IEnumerable<string> supported) =>
        Failure(field, "FieldValueNotSupported",
            $"Unsupported value: {GoValue(value)}: supported values: {string.Join(", ", supported.Select(Quote))}");

    public static ValidationFailure TooLong(string field, int maxBytes) =>
        Failure(field, "FieldValueTooLong", $"Too long: must have at most {maxBytes} bytes");

    public static ValidationFailure Immutable(string field, object? value) => Invalid(field, value, "field is immutable");

    /// <summary>Go's <c>%q</c> for strings, bare numbers and booleans, <c>"null"</c> for nil.</summary>
    public static string GoValue(object? value) => value switch
    {
        null => Quote("null"),
        string s => Quote(s),
        bool b => b ? "true" : "false",
        DateTime d => d.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss +0000 UTC", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        // %#v of a []string, as upstream shows a list of query values.
        IEnumerable<string> list => $"[]string{{{string.Join(", ", list.Select(Quote))}}}",
        _ => value.ToString() ?? "",
    };

    /// <summary>Go's <c>strconv.Quote</c>.</summary>
    public static string Quote(string value) => GoStrconv.Quote(value);

    /// <summary>A failure of any type, with its whole message (for upstream's errors whose detail follows the value).</summary>
    public static ValidationFailure Failure(string field, string reason, string message) =>
        new(field, message) { ErrorCode = reason };
}
