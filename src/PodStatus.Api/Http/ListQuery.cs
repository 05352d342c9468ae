using FluentValidation.Results;
using PodStatus.Api.Errors;
using PodStatus.Api.Serialization;
using PodStatus.Api.Validation;

namespace PodStatus.Api.Http;

/// <summary>
/// The query parameters of a list or watch (upstream's ListOptions), converted as <c>Convert_url_Values_To_v1_ListOptions</c>
/// converts them and validated as <c>ValidateListOptions</c> validates them. Described in the OpenAPI document by
/// <c>KubernetesOpenApi</c>.
/// </summary>
public sealed record ListQuery(
    string? LabelSelector,
    string? FieldSelector,
    long Limit,
    string? Continue,
    bool Watch,
    bool AllowWatchBookmarks,
    bool? SendInitialEvents,
    string ResourceVersion,
    string ResourceVersionMatch,
    long? TimeoutSeconds)
{
    public const string Exact = "Exact";
    public const string NotOlderThan = "NotOlderThan";

    /// <summary>Converts the query; an integer that does not parse is upstream's 400 with Go's message.</summary>
    public static ListQuery Read(IQueryCollection query) => new(
        QueryConversion.String(query["labelSelector"]),
        QueryConversion.String(query["fieldSelector"]),
        QueryConversion.OptionalInt64(query["limit"]) ?? 0,
        QueryConversion.String(query["continue"]),
        QueryConversion.Bool(query["watch"]),
        QueryConversion.Bool(query["allowWatchBookmarks"]),
        QueryConversion.OptionalBool(query["sendInitialEvents"]),
        QueryConversion.String(query["resourceVersion"]) ?? "",
        QueryConversion.String(query["resourceVersionMatch"]) ?? "",
        QueryConversion.OptionalInt64(query["timeoutSeconds"]));

    /// <summary>
    /// The revision <c>resourceVersion</c> names; null when unset or 0 (any state will do). Parsed as upstream's
    /// <c>APIObjectVersioner.ParseResourceVersion</c> does (<c>strconv.ParseUint</c>); upstream answers a value that
    /// does not parse with a 500, PodStatus with a 400 carrying the same message.
    /// </summary>
    public long? Revision
    {
        get
        {
            if (ResourceVersion is "" or "0")
            {
                return null;
            }

            if (!GoStrconv.TryParseUInt64(ResourceVersion, out var revision, out var error))
            {
                throw StatusErrors.BadRequest($"resourceVersion: Invalid value: {GoStrconv.Quote(ResourceVersion)}: {error}").AsException();
            }

            // Past any revision a store can reach; such a request waits and gets 504 Too large resource version.
            return (long)Math.Min(revision, long.MaxValue);
        }
    }

    public bool IsExact => ResourceVersionMatch == Exact;

    /// <summary>Upstream's <c>ValidateListOptions</c>: a 422 on <c>ListOptions.meta.k8s.io</c> for combinations it forbids.</summary>
    public void Validate()
    {
        var failures = Watch ? WatchFailures() : ListFailures();
        failures.ThrowIfAny("ListOptions.meta.k8s.io", "");
    }

    /// <summary>The page size asked for; null for the whole list.</summary>
    public int? PageSize => Limit > 0 ? (int)Math.Min(Limit, int.MaxValue) : null;

    private List<ValidationFailure> ListFailures()
    {
        var failures = new List<ValidationFailure>();
        if (ResourceVersionMatch.Length > 0)
        {
            if (ResourceVersion.Length == 0)
            {
                failures.Add(FieldError.Forbidden("resourceVersionMatch", "resourceVersionMatch is forbidden unless resourceVersion is provided"));
            }

            if (!string.IsNullOrEmpty(Continue))
            {
                failures.Add(FieldError.Forbidden("resourceVersionMatch", "resourceVersionMatch is forbidden when continue is provided"));
            }

            if (ResourceVersionMatch is not (Exact or NotOlderThan))
            {
                failures.Add(FieldError.NotSupported("resourceVersionMatch", ResourceVersionMatch, [Exact, NotOlderThan, ""]));
            }

            if (IsExact && ResourceVersion == "0")
            {
                failures.Add(FieldError.Forbidden("resourceVersionMatch", "resourceVersionMatch \"exact\" is forbidden for resourceVersion \"0\""));
            }
        }

        if (SendInitialEvents is not null)
        {
            failures.Add(FieldError.Forbidden("sendInitialEvents", "sendInitialEvents is forbidden for list"));
        }

        return failures;
    }

    private List<ValidationFailure> WatchFailures()
    {
        var failures = new List<ValidationFailure>();
        if (SendInitialEvents is not null)
        {
            if (ResourceVersionMatch != NotOlderThan)
            {
                failures.Add(FieldError.Forbidden("resourceVersionMatch", $"sendInitialEvents requires setting resourceVersionMatch to {NotOlderThan}"));
            }

            if (!AllowWatchBookmarks)
            {
                failures.Add(FieldError.Forbidden("allowWatchBookmarks", "sendInitialEvents requires setting allowWatchBookmarks to true"));
            }
        }

        if (ResourceVersionMatch.Length > 0)
        {
            if (SendInitialEvents is null)
            {
                failures.Add(FieldError.Forbidden("resourceVersionMatch", "resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided"));
            }

            if (ResourceVersionMatch != NotOlderThan)
            {
                failures.Add(FieldError.NotSupported("resourceVersionMatch", ResourceVersionMatch, [NotOlderThan]));
            }

            if (!string.IsNullOrEmpty(Continue))
            {
                failures.Add(FieldError.Forbidden("resourceVersionMatch", "resourceVersionMatch is forbidden when continue is provided"));
            }
        }

        return failures;
    }
}
