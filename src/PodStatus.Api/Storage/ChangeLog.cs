namespace PodStatus.Api.Storage;

/// <summary>
/// An ordered stream of changes: a ring of the last few events, appended in revision order by one writer (a store
/// inside its write lock, or the watch cache's feed) and read by any number of readers at their own pace. A write
/// costs the same however many readers there are; a reader that falls out of the ring is ended, never waited for.
/// </summary>
public sealed class ChangeLog(int size)
{
    private readonly ObjectEvent?[] _ring = new ObjectEvent?[Math.Max(1, size)];
    private readonly Lock _lock = new();
    private long _count;
    private long _firstKept;
    private long _revision;
    private long _startPosition;
    private long _startRevision;
    private TaskCompletionSource _appended = NewSignal();
    private bool _awaited;
    private bool _used;
    private long _resets;

    /// <summary>How many events have ever been appended (and skipped by <see cref="Reset"/>); the position after the newest.</summary>
    public long Count => Volatile.Read(ref _count);

    /// <summary>The revision of the newest change, or the revision the log started at before any.</summary>
    public long Revision => Volatile.Read(ref _revision);

    /// <summary>Appends the next change; changes come in revision order.</summary>
    public void Append(ObjectEvent change)
    {
        lock (_lock)
        {
            // Lock-free readers (At) must never take the new event for the one it evicts, nor the evicted one for
            // the new: the eviction is published before the slot is overwritten, the new count only after.
            Volatile.Write(ref _firstKept, Math.Max(_firstKept, _count + 1 - _ring.Length));
            Volatile.Write(ref _ring[_count % _ring.Length], change);
            Volatile.Write(ref _revision, change.ResourceVersion);
            Volatile.Write(ref _count, _count + 1);
            _used = true;
            Signal();
        }
    }

    /// <summary>Moves the revision on without an event: the source has reached it with nothing more to tell.</summary>
    public void Advance(long revision)
    {
        lock (_lock)
        {
            if (revision > _revision)
            {
                Volatile.Write(ref _revision, revision);
                Signal();
            }
        }
    }

    /// <summary>
    /// Starts over, empty, at <paramref name="revision"/> (after seeding, or when the stream feeding the log broke):
    /// every reader is ended, as if it had fallen out of the ring, and resumes from its last revision.
    /// </summary>
    public void Reset(long revision)
    {
        lock (_lock)
        {
            Array.Clear(_ring);
            // Positions are never reused: readers' positions all fall before the first one kept (a log just made
            // has none to end).
            var next = _used ? _count + _ring.Length : 0;
            _used = true;
            Volatile.Write(ref _resets, _resets + 1);
            (_startPosition, _startRevision) = (next, revision);
            Volatile.Write(ref _firstKept, next);
            Volatile.Write(ref _revision, revision);
            Volatile.Write(ref _count, next);
            Signal();
        }
    }

    /// <summary>
    /// Under the lock: wakes waiting readers. A new signal only when someone waits on the current one, so writes
    /// without readers allocate nothing more. The signal is set on the thread pool, not here: setting it queues
    /// each waiting reader (a hundred watchers, say), and here is a writer inside its locks, which every other
    /// write then waits for.
    /// </summary>
    private void Signal()
    {
        if (_awaited)
        {
            var appended = _appended;
            _appended = NewSignal();
            _awaited = false;
            ThreadPool.UnsafeQueueUserWorkItem(static signal => signal.SetResult(), appended, preferLocal: false);
        }
    }

    /// <summary>
    /// The position of the first event after <paramref name="resourceVersion"/>, or null when events after it have
    /// left the ring (the caller answers 410 Expired). <paramref name="oldest"/> is the oldest revision the log can
    /// resume after.
    /// </summary>
    public long? PositionAfter(long resourceVersion, out long oldest)
    {
        lock (_lock)
        {
            // As upstream's watch cache: until an event leaves the ring the log holds every change since it started;
            // after, only those after the oldest kept. (Revisions need not be consecutive: etcd's are shared by every
            // key, so the oldest kept event's revision can be well past the start.)
            var first = FirstKept;
            oldest = first == _startPosition ? _startRevision : _ring[first % _ring.Length]!.ResourceVersion - 1;
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

    /// <summary>Under the lock: the position of the oldest event kept.</summary>
    private long FirstKept => Math.Max(_firstKept, _count - _ring.Length);

    /// <summary>The changes after <paramref name="resourceVersion"/>, oldest first; null when some have left the ring.</summary>
    public IReadOnlyList<ObjectEvent>? Since(long resourceVersion)
    {
        lock (_lock)
        {
            if (PositionAfter(resourceVersion, out _) is not { } first)
            {
                return null;
            }

            var changes = new ObjectEvent[_count - first];
            for (var position = first; position < _count; position++)
            {
                changes[position - first] = _ring[position % _ring.Length]!;
            }

            return changes;
        }
    }

    /// <summary>The event at <paramref name="position"/>, or null if it has already left the ring.</summary>
    public ObjectEvent? At(long position)
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
        var resets = Volatile.Read(ref _resets);
        while (Revision < revision)
        {
            if (await Task.WhenAny(WaitBeyondAsync(Count, cancellationToken), deadline) == deadline)
            {
                return Revision >= revision;
            }

            cancellationToken.ThrowIfCancellationRequested();
            if (Volatile.Read(ref _resets) != resets)
            {
                // The log started over (its source was lost): it may never reach the revision.
                return false;
            }
        }

        return true;
    }

    /// <summary>Completes when an event is appended at or after <paramref name="position"/> (or the log is reset).</summary>
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
