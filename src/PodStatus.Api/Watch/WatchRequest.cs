using PodStatus.Api.Errors;
using PodStatus.Api.Registry;
using PodStatus.Api.Validation;

namespace PodStatus.Api.Watch;

/// <summary>What a watch asks for: where to start, which pods, and how it ends.</summary>
public sealed record WatchRequest(
    string? Namespace,
    PodListOptions Selectors,
    string? ResourceVersion,
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

        // Upstream picks a random timeout between the minimum request timeout and twice that (30-60 minutes).
        var timeout = timeoutSeconds is > 0 ? TimeSpan.FromSeconds(timeoutSeconds.Value) : TimeSpan.FromSeconds(1800 + Random.Shared.Next(1800));
        return new WatchRequest(@namespace, selectors, resourceVersion, allowWatchBookmarks == true, sendInitialEvents == true, timeout, tableObjects);
    }

    public bool IsTable => TableObjects is not null;
}
