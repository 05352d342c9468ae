using FluentValidation.Results;
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
    /// <summary>
    /// Reads the watch parameters (<c>resourceVersion</c> already parsed: null when unset or 0), with upstream's 422
    /// when sendInitialEvents lacks its companions.
    /// </summary>
    public static WatchRequest Create(
        string? @namespace, PodListOptions selectors, long? resourceVersion, string? resourceVersionMatch,
        bool? allowWatchBookmarks, bool? sendInitialEvents, int? timeoutSeconds, string? tableObjects)
    {
        if (sendInitialEvents == true)
        {
            var failures = new List<ValidationFailure>();
            if (resourceVersionMatch != "NotOlderThan")
            {
                failures.Add(FieldError.Forbidden("resourceVersionMatch", "sendInitialEvents requires setting resourceVersionMatch to NotOlderThan"));
            }

            if (allowWatchBookmarks != true)
            {
                failures.Add(FieldError.Forbidden("allowWatchBookmarks", "sendInitialEvents requires setting allowWatchBookmarks to true"));
            }

            failures.ThrowIfAny("ListOptions.meta.k8s.io", "");
        }

        var from = sendInitialEvents == true ? null : resourceVersion;

        // Upstream picks a random timeout between the minimum request timeout and twice that (30-60 minutes).
        var timeout = timeoutSeconds is > 0 ? TimeSpan.FromSeconds(timeoutSeconds.Value) : TimeSpan.FromSeconds(1800 + Random.Shared.Next(1800));
        return new WatchRequest(@namespace, selectors, from, allowWatchBookmarks == true, sendInitialEvents == true, timeout, tableObjects);
    }

    public bool IsTable => TableObjects is not null;
}
