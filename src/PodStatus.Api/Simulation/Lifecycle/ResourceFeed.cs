using PodStatus.Api.Registry;
using PodStatus.Api.Storage;

namespace PodStatus.Api.Simulation.Lifecycle;

/// <summary>What a <see cref="ResourceFeed"/> tells its reader.</summary>
public interface IFeedReader
{
    /// <summary>An object of the list; <paramref name="changed"/> when it changed after the last one the reader was told of.</summary>
    void Listed(StoredObject value, bool changed);

    /// <summary>A change: <paramref name="value"/> is the new version, or the last one of a deleted object.</summary>
    void Changed(StoredObject value, bool deleted);
}

/// <summary>
/// Follows one resource as an informer does, in process: a list, then the changes after it, read from the watch
/// cache's change log at the reader's own pace. When the reader falls out of the log (or the log starts over, its
/// store lost), it lists again; only objects changed since the last change it read are passed on as changes, so a
/// relist costs a read of the store, not a second look at every object.
/// </summary>
public sealed class ResourceFeed(IRegistry registry)
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(250);

    private readonly TaskCompletionSource _firstList = new(TaskCreationOptions.RunContinuationsAsynchronously);

    // The log the feed waits on and the position it waits for, so whether it has caught up is read from the log
    // itself: an appended change counts at once, not only once the waiting feed has been woken.
    private volatile ChangeLog? _waitingOn;
    private long _waitingFor;

    /// <summary>Completes once the first list has been handed to the reader.</summary>
    public Task FirstList => _firstList.Task;

    /// <summary>Whether every change the watch cache holds has been handed to the reader.</summary>
    public bool CaughtUp => _waitingOn is { } log && Volatile.Read(ref _waitingFor) >= log.Count;

    public async Task RunAsync(IFeedReader reader, CancellationToken cancellationToken)
    {
        var seen = 0L;
        while (!cancellationToken.IsCancellationRequested)
        {
            if (!await registry.Cache.FollowsAsync(cancellationToken))
            {
                continue;
            }

            var log = registry.Cache.Log;
            long? position;
            try
            {
                using var snapshot = await registry.Store.ListAsync(null, cancellationToken);
                await foreach (var value in snapshot.ReadAsync(cancellationToken: cancellationToken))
                {
                    reader.Listed(value, value.ResourceVersion > seen);
                }

                seen = Math.Max(seen, snapshot.ResourceVersion);
                position = log.PositionAfter(snapshot.ResourceVersion, out _);
            }
            catch (Exception error) when (error is StoreUnavailableException or RevisionCompactedException)
            {
                // The store is away: list again once it is back (the cache follows it again by then).
                await Task.Delay(RetryDelay, cancellationToken);
                continue;
            }

            _firstList.TrySetResult();

            while (position is { } next && !cancellationToken.IsCancellationRequested)
            {
                if (next >= log.Count)
                {
                    Volatile.Write(ref _waitingFor, next);
                    _waitingOn = log;
                    await log.WaitBeyondAsync(next, cancellationToken);
                    _waitingOn = null;
                    continue;
                }

                if (log.At(next) is not { } change)
                {
                    // Fallen out of the log: list again.
                    break;
                }

                seen = change.ResourceVersion;
                reader.Changed(change.Object, change.Type == EventTypes.Deleted);
                position = next + 1;
            }
        }
    }
}
