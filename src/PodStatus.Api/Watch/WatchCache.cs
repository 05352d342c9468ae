using System.Diagnostics;
using PodStatus.Api.Storage;

namespace PodStatus.Api.Watch;

/// <summary>
/// The recent changes of one resource, which every watch of it is served from, as kube-apiserver's watch cache: one
/// stream of the store's changes (etcd's watch, or the in-memory store's own) feeds one <see cref="ChangeLog"/>,
/// read by every watcher at its own pace, so a change is read from the store once however many watch it. When the
/// stream breaks, it is resumed from the cache's revision (another etcd member may serve it); if that fails too
/// (etcd unreachable, or its changes compacted before they were read) every watch is ended, so clients list again,
/// and the cache follows the store again from its newest revision as soon as it can be reached.
/// </summary>
public sealed partial class WatchCache(string resource, IStore store, int historySize, ILogger logger)
{
    /// <summary>How long to wait before trying an unreachable store again.</summary>
    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(250);

    /// <summary>How long a broken stream is tried again from where the cache stands before the store is taken for
    /// lost (the etcd client takes a moment to give up on a member that went away).</summary>
    private static readonly TimeSpan ResumeFor = TimeSpan.FromSeconds(5);

    private volatile bool _following;

    public ChangeLog Log { get; } = new(historySize);

    /// <summary>The resource it follows, for the log.</summary>
    public string Resource => resource;

    /// <summary>Whether the cache is following the store's changes (for readiness).</summary>
    public bool IsFollowing => _following;

    /// <summary>
    /// Whether the cache follows the store, waiting a little (up to 3 s, as for a revision it has not reached)
    /// while it starts, or starts again once the store is back.
    /// </summary>
    public async Task<bool> FollowsAsync(CancellationToken cancellationToken)
    {
        // Real time, not the server's clock (which tests may hold still): this waits on the store, not on a deadline.
        var waiting = Stopwatch.StartNew();
        while (!_following && waiting.Elapsed < TimeSpan.FromSeconds(3))
        {
            await Task.Delay(TimeSpan.FromMilliseconds(20), cancellationToken);
        }

        return _following;
    }

    /// <summary>
    /// Whether the cache reaches <paramref name="revision"/>, waiting for it as upstream's watch cache does (up to 3 s)
    /// when a client asks for a revision newer than the newest change; the store is asked how far it has got, since
    /// the revision may be another resource's write.
    /// </summary>
    public Task<bool> ReachesAsync(long revision, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (Log.Revision < revision)
        {
            store.RequestProgress();
        }

        return Log.ReachesAsync(revision, clock, cancellationToken);
    }

    /// <summary>Follows the store until the server stops.</summary>
    public async Task FollowAsync(CancellationToken stoppingToken)
    {
        if (store.TryFeed(Log))
        {
            _following = true;
            return;
        }

        // After a break, the stream is first resumed where the cache stands (another etcd member may serve it, and
        // then no watch need end); only if that keeps failing does the cache start over.
        Stopwatch? resuming = null;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var revision = Log.Revision;
                if (resuming is null)
                {
                    revision = await store.RevisionAsync(stoppingToken);
                    Log.Reset(revision);
                }

                _following = true;
                await foreach (var progress in store.WatchAsync(revision, stoppingToken))
                {
                    resuming = null;
                    if (progress.Change is { } change)
                    {
                        Log.Append(change);
                    }
                    else
                    {
                        Log.Advance(progress.Revision);
                    }
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (StoreUnavailableException) when (_following && (resuming is null || resuming.Elapsed < ResumeFor))
            {
                resuming ??= Stopwatch.StartNew();
                if (await DelayAsync(stoppingToken))
                {
                    continue;
                }

                return;
            }
            catch (Exception error)
            {
                // Whatever broke the stream (etcd unreachable, its changes compacted, anything unforeseen), the
                // cache starts over rather than stop following, which would stop the server.
                if (_following)
                {
                    LogMessages.Lost(logger, resource, error.Message, error is StoreUnavailableException or RevisionCompactedException ? null : error);
                }

                resuming = null;
                if (_following)
                {
                    // Changes may be missed from here on: end every watch now rather than let it wait in silence.
                    _following = false;
                    Log.Reset(Log.Revision);
                }

                // A store that answered (its changes were compacted) is followed again at once; one that did not, after a pause.
                if (error is not RevisionCompactedException && !await DelayAsync(stoppingToken))
                {
                    return;
                }
            }
        }
    }

    /// <summary>Waits <see cref="RetryDelay"/>; false when the server is stopping.</summary>
    private static async Task<bool> DelayAsync(CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(RetryDelay, stoppingToken);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private static partial class LogMessages
    {
        [LoggerMessage(Level = LogLevel.Warning, Message = "The watch cache of {Resource} stopped following the store ({Reason}); every watch is ended and the cache starts again")]
        public static partial void Lost(ILogger logger, string resource, string reason, Exception? unexpected);
    }
}
