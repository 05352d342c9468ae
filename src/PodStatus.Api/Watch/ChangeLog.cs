using Microsoft.Extensions.Options;

namespace PodStatus.Api.Watch;

/// <summary>
/// The one ordered stream of changes: a ring of the last <see cref="WatchOptions.HistorySize"/> events, appended by
/// the store inside its write lock (so in revision order) and read by every watcher at its own pace. A write costs
/// the same however many watchers there are; a watcher that falls out of the ring is ended, never waited for.
/// </summary>
public sealed class ChangeLog(IOptions<WatchOptions> options)
{
    private readonly PodEvent?[] _ring = new PodEvent?[Math.Max(1, options.Value.HistorySize)];
    private readonly Lock _lock = new();
    private long _count;
    private long _firstKept;
    private long _startRevision;
    private TaskCompletionSource _appended = NewSignal();
    private bool _awaited;

    /// <summary>How many events have ever been appended; the position after the newest.</summary>
    public long Count => Volatile.Read(ref _count);

    /// <summary>Called by the store, in revision order, for every write.</summary>
    public void Append(PodEvent change)
    {
        TaskCompletionSource? appended = null;
        lock (_lock)
        {
            // Lock-free readers (At) must never take the new event for the one it evicts, nor the evicted one for
            // the new: the eviction is published before the slot is overwritten, the new count only after.
            Volatile.Write(ref _firstKept, Math.Max(0, _count + 1 - _ring.Length));
            Volatile.Write(ref _ring[_count % _ring.Length], change);
            Volatile.Write(ref _count, _count + 1);

            // A new signal only when someone waits on the current one: writes without watchers allocate nothing more.
            if (_awaited)
            {
                appended = _appended;
                _appended = NewSignal();
                _awaited = false;
            }
        }

        appended?.SetResult();
    }

    /// <summary>The revision the log starts after (the store's revision when it began, e.g. after seeding).</summary>
    public void StartAt(long revision) => _startRevision = revision;

    /// <summary>The revision of the newest change, or the starting revision before any.</summary>
    public long Revision
    {
        get
        {
            lock (_lock)
            {
                return _count > 0 ? _ring[(_count - 1) % _ring.Length]!.ResourceVersion : _startRevision;
            }
        }
    }

    /// <summary>
    /// The position of the first event after <paramref name="resourceVersion"/>, or null when events after it have
    /// left the ring (the caller answers 410 Expired). <paramref name="oldest"/> is the revision just before the
    /// oldest event still kept.
    /// </summary>
    public long? PositionAfter(long resourceVersion, out long oldest)
    {
        lock (_lock)
        {
            var first = Math.Max(0, _count - _ring.Length);
            oldest = first > 0 ? _ring[first % _ring.Length]!.ResourceVersion - 1 : _startRevision;
            if (resourceVersion < oldest)
            {
                return null;
            }

            // Events are in revision order: find the first one newer than the requested revision.
            var (low, high) = (first, _count);
            while (low < high)
            {
                var middle = low + ((high - low) / 2);
                if (_ring[middle % _ring.Length]!.ResourceVersion <= resourceVersion)
                {
                    low = middle + 1;
                }
                else
                {
                    high = middle;
                }
            }

            return low;
        }
    }

    /// <summary>The changes after <paramref name="resourceVersion"/>, oldest first; null when some have left the ring.</summary>
    public IReadOnlyList<PodEvent>? Since(long resourceVersion)
    {
        lock (_lock)
        {
            if (PositionAfter(resourceVersion, out _) is not { } first)
            {
                return null;
            }

            var changes = new PodEvent[_count - first];
            for (var position = first; position < _count; position++)
            {
                changes[position - first] = _ring[position % _ring.Length]!;
            }

            return changes;
        }
    }

    /// <summary>The event at <paramref name="position"/>, or null if it has already left the ring.</summary>
    public PodEvent? At(long position)
    {
        if (position >= Count)
        {
            return null;
        }

        var change = Volatile.Read(ref _ring[position % _ring.Length]);
        return position >= Volatile.Read(ref _firstKept) ? change : null;
    }

    /// <summary>
    /// Whether the log reaches <paramref name="revision"/>, waiting for it as upstream's watch cache does (up to
    /// 3 s) when a client asks for a revision newer than the newest change.
    /// </summary>
    public async Task<bool> ReachesAsync(long revision, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (Revision >= revision)
        {
            return true;
        }

        var deadline = Task.Delay(TimeSpan.FromSeconds(3), clock, cancellationToken);
        while (Revision < revision)
        {
            if (await Task.WhenAny(WaitBeyondAsync(Count, cancellationToken), deadline) == deadline)
            {
                return Revision >= revision;
            }
        }

        return true;
    }

    /// <summary>Completes when an event is appended at or after <paramref name="position"/>.</summary>
    public Task WaitBeyondAsync(long position, CancellationToken cancellationToken)
    {
        Task appended;
        lock (_lock)
        {
            if (position < _count)
            {
                return Task.CompletedTask;
            }

            appended = _appended.Task;
            _awaited = true;
        }

        return appended.WaitAsync(cancellationToken);
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
