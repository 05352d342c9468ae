namespace PodStatus.Api.Watch;

/// <summary>The <c>Watch</c> settings.</summary>
public sealed class WatchOptions
{
    public const string Section = "Watch";

    /// <summary>
    /// How many recent changes are kept for watchers to resume from (<c>--Watch:HistorySize=N</c>). A watch that
    /// starts from an older resourceVersion gets 410 Expired; a watcher that falls this far behind is ended.
    /// </summary>
    public int HistorySize { get; set; } = 10_000;

    /// <summary>How often a watch with <c>allowWatchBookmarks=true</c> is sent a bookmark.</summary>
    public TimeSpan BookmarkInterval { get; set; } = TimeSpan.FromMinutes(1);
}
