namespace PodStatus.Api.Watch;

/// <summary>The <c>Watch</c> settings.</summary>
public sealed class WatchOptions
{
    public const string Section = "Watch";

    /// <summary>
    /// How many recent changes are kept for watchers to resume from (<c>--Watch:HistorySize=N</c>). A watch that
    /// starts from an older resourceVersion gets 410 Expired; a watcher that falls this far behind is ended.
    /// Kept changes outlive young-generation collections, so a much larger window costs tail latency under
    /// heavy write load (at 10,000, PUT p99 rose from 1.4x to 6.5x the echo's in bench/run.sh).
    /// </summary>
    public int HistorySize { get; set; } = 500;

    /// <summary>How often a watch with <c>allowWatchBookmarks=true</c> is sent a bookmark.</summary>
    public TimeSpan BookmarkInterval { get; set; } = TimeSpan.FromMinutes(1);
}
