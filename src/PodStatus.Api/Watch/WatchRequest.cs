using PodStatus.Api.Selection;

namespace PodStatus.Api.Watch;

/// <summary>What a watch asks for: where to start, which objects, and how it ends.</summary>
/// <param name="Namespace">The namespace watched, or null for all.</param>
/// <param name="Labels">The label selector.</param>
/// <param name="Fields">The field selector.</param>
/// <param name="From">The revision to stream changes after; null to start with the current objects.</param>
/// <param name="AllowBookmarks">Whether BOOKMARK events may be sent.</param>
/// <param name="SendInitialEvents">Current objects first, then the initial-events-end bookmark.</param>
/// <param name="Timeout">When the stream ends.</param>
/// <param name="TableObjects">For Table watches, what each row carries (includeObject); null for plain events.</param>
public sealed record WatchRequest(
    string? Namespace,
    LabelSelector Labels,
    FieldSelector Fields,
    long? From,
    bool AllowBookmarks,
    bool SendInitialEvents,
    TimeSpan Timeout,
    string? TableObjects)
{
    /// <summary>
    /// A watch from <paramref name="from"/> (null: the current objects first). Upstream picks a random timeout
    /// between the minimum request timeout and twice that (30-60 minutes) when none is asked for; a negative one
    /// ends the watch at once.
    /// </summary>
    public static WatchRequest Create(
        string? @namespace, LabelSelector labels, FieldSelector fields, long? from, bool allowBookmarks, bool sendInitialEvents,
        long? timeoutSeconds, string? tableObjects)
    {
        var timeout = timeoutSeconds switch
        {
            null or 0 => TimeSpan.FromSeconds(1800 + Random.Shared.Next(1800)),
            < 0 => TimeSpan.Zero,
            // The longest a cancellation timer takes (about 49 days).
            { } seconds => TimeSpan.FromSeconds(Math.Min(seconds, 4_294_967)),
        };
        return new WatchRequest(@namespace, labels, fields, from, allowBookmarks, sendInitialEvents, timeout, tableObjects);
    }

    public bool IsTable => TableObjects is not null;
}
