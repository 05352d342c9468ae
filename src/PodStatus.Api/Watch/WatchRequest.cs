using System.Globalization;
using PodStatus.Api.Errors;
using PodStatus.Api.Registry;
using PodStatus.Api.Validation;

namespace PodStatus.Api.Watch;

/// <summary>What a watch asks for: where to start, which pods, and how it ends.</summary>
/// <param name="Namespace">The namespace watched, or null for all.</param>
/// <param name="Selectors">Label and field selectors.</param>
/// <param name="From">The revision to stream changes after; null to start with the current pods.</param>
/// <param name="AllowBookmarks">Whether BOOKMARK events may be sent.</param>
/// <param name="SendInitialEvents">Current pods first, then the initial-events-end bookmark.</param>
/// <param name="Timeout">When the stream ends.</param>
/// <param name="TableObjects">For Table watches, what each row carries (includeObject); null for plain events.</param>
public sealed record WatchRequest(
    string? Namespace,
    PodListOptions Selectors,
    long? From,
    bool AllowBookmarks,
    bool SendInitialEvents,
    TimeSpan Timeout,
    string? TableObjects)
{
    /// <summary>Reads the watch parameters, with upstream's 422 when sendInitialEvents lacks its companions.</summary>
    public static WatchRequest Create(
        string? @namespace, PodListOptions selectors, string? resourceVersion, string? resourceVersionMatch,
        bool? allowWatchBookmarks, bool? sendInitialEvents, int? timeoutSeconds, string? tableObjects)
    {
        if (sendInitialEvents == true)
        {
            var failures = new List<StatusCause>();
            if (resourceVersionMatch != "NotOlderThan")
            {
                var error = FieldError.Forbidden("resourceVersionMatch", "sendInitialEvents requires setting resourceVersionMatch to NotOlderThan");
                failures.Add(new StatusCause(error.ErrorCode, error.ErrorMessage, error.PropertyName));
            }

            if (allowWatchBookmarks != true)
            {
                var error = FieldError.Forbidden("allowWatchBookmarks", "sendInitialEvents requires setting allowWatchBookmarks to true");
                failures.Add(new StatusCause(error.ErrorCode, error.ErrorMessage, error.PropertyName));
            }

            if (failures.Count > 0)
            {
                throw StatusErrors.Invalid("ListOptions.meta.k8s.io", "", failures).AsException();
            }
        }

        // Checked before the stream starts: once the 200 is sent, an error can only be an event.
        long? from = null;
        if (sendInitialEvents != true && !string.IsNullOrEmpty(resourceVersion) && resourceVersion != "0")
        {
            from = long.TryParse(resourceVersion, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed)
                ? parsed
                : throw StatusErrors.BadRequest($"invalid resource version: {resourceVersion}").AsException();
        }

        // Upstream picks a random timeout between the minimum request timeout and twice that (30-60 minutes).
        var timeout = timeoutSeconds is > 0 ? TimeSpan.FromSeconds(timeoutSeconds.Value) : TimeSpan.FromSeconds(1800 + Random.Shared.Next(1800));
        return new WatchRequest(@namespace, selectors, from, allowWatchBookmarks == true, sendInitialEvents == true, timeout, tableObjects);
    }

    public bool IsTable => TableObjects is not null;
}
