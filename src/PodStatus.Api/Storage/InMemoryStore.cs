using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;

namespace PodStatus.Api.Storage;

/// <summary>
/// The default store, one per resource. Reads are lock-free; writes take one short lock, shared by every resource's
/// store with the revision counter (<see cref="Revisions"/>), so revisions and change logs see every write in one
/// order. All encoding and validation happen before it. Each key has a slot holding its current version; besides
/// the slots by key, the store keeps them sorted by name, per namespace, in immutable trees (changed by creates and
/// deletes only), which a list takes as they are: lists start at once, in key order, and never copy the store. A
/// snapshot a continue token was issued from is kept for a minute from its last use, so the later pages of a long
/// list read it however many writes come between (etcd, under kube-apiserver, keeps old revisions for five). The
/// last <c>historySize</c> changes are kept, as etcd keeps revisions until it compacts them: for reads at an older
/// revision and for the change stream. With a time to live, an object not written again for that long is deleted,
/// as etcd's leases delete upstream's events.
/// </summary>
internal sealed class InMemoryStore(Revisions revisions, int historySize, TimeProvider clock, TimeSpan? timeToLive = null) : IStore, IDisposable
{
    /// <summary>How long a snapshot a continue token was issued from is kept for the next page, from its last use.</summary>
    public static readonly TimeSpan KeptForLaterPages = TimeSpan.FromMinutes(1);

    /// <summary>At most this many are kept; each costs every write a little.</summary>
    private const int MostKept = 16;

    /// <summary>How many expired objects one pass deletes (see <see cref="DeleteExpired"/>).</summary>
    private const int ExpiredPerPass = 200;

    private readonly ConcurrentDictionary<ObjectKey, ObjectSlot> _objects = new();
    private readonly VersionTable _versions = new();
    /// <summary>The store's own history first (reads at an earlier revision, <see cref="WatchAsync"/>), then every log
    /// it feeds (<see cref="TryFeed"/>): each change goes into all of them, under the write lock.</summary>
    private ChangeLog[] _logs = [new(historySize)];
    private readonly Lock _writeLock = revisions.WriteLock;
    private readonly List<InMemorySnapshot> _openSnapshots = [];
    private readonly List<InMemorySnapshot> _kept = [];
    private readonly PriorityQueue<ObjectSlot, DateTimeOffset> _expiring = new();
    private ImmutableSortedDictionary<string, ImmutableSortedSet<ObjectSlot>> _keys =
        ImmutableSortedDictionary.Create<string, ImmutableSortedSet<ObjectSlot>>(ObjectKey.NamespaceOrder);
    private ITimer? _expiry;
    private bool _deletingExpired;
    private bool _moreExpired;

    public ValueTask<StoredObject?> GetAsync(ObjectKey key, bool consistent = true, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(_objects.TryGetValue(key, out var slot) ? _versions[slot] : null);

    public ValueTask<Snapshot> ListAsync(string? @namespace, CancellationToken cancellationToken = default)
    {
        lock (_writeLock)
        {
            return ValueTask.FromResult<Snapshot>(Open(@namespace, revisions.Current, []));
        }
    }

    public ValueTask<Snapshot?> ListAtAsync(string? @namespace, long revision, CancellationToken cancellationToken = default)
    {
        lock (_writeLock)
        {
            // A later page of a list reads the snapshot its first page was read from, while it is kept.
            DropExpired();
            if (_kept.Find(kept => kept.ResourceVersion == revision && kept.Namespace == @namespace) is { } page)
            {
                page.Holders++;
                return ValueTask.FromResult<Snapshot?>(page);
            }

            // Else the changes since the revision tell what each object written since was at it; gone from the log, it is too old.
            var since = revision <= revisions.Current ? History.Since(revision) : null;
            return ValueTask.FromResult<Snapshot?>(
                since is null ? null : Open(@namespace, revision, since.Select(change => (change.Object.Key, change.Previous))));
        }
    }

    /// <summary>Under the write lock: a snapshot at <paramref name="revision"/>, recorded into until disposed.</summary>
    private InMemorySnapshot Open(string? @namespace, long revision, IEnumerable<(ObjectKey, StoredObject?)> changedSince)
    {
        var snapshot = new InMemorySnapshot(revision, @namespace, _keys, _versions, changedSince, Release, Keep);
        _openSnapshots.Add(snapshot);
        return snapshot;
    }

    /// <summary>Snapshots not yet disposed: each costs every write a little until it is.</summary>
    internal int OpenSnapshots
    {
        get
        {
            lock (_writeLock)
            {
                return _openSnapshots.Count;
            }
        }
    }

    private void Release(InMemorySnapshot snapshot)
    {
        lock (_writeLock)
        {
            Unhold(snapshot);
        }
    }

    /// <summary>Under the write lock: one holder lets go; the last one closes it.</summary>
    private void Unhold(InMemorySnapshot snapshot)
    {
        if (--snapshot.Holders == 0)
        {
            _openSnapshots.Remove(snapshot);
        }
    }

    private void Keep(InMemorySnapshot snapshot)
    {
        lock (_writeLock)
        {
            if (snapshot.KeptUntil is null)
            {
                snapshot.Holders++;
                _kept.Add(snapshot);
                if (_kept.Count > MostKept)
                {
                    Drop(_kept[0]);
                }
            }

            snapshot.KeptUntil = clock.GetUtcNow() + KeptForLaterPages;
        }
    }

    /// <summary>Under the write lock: stops keeping snapshots unused for <see cref="KeptForLaterPages"/>.</summary>
    private void DropExpired()
    {
        if (_kept.Count == 0)
        {
            return;
        }

        var now = clock.GetUtcNow();
        for (var i = _kept.Count - 1; i >= 0; i--)
        {
            if (_kept[i].KeptUntil <= now)
            {
                Drop(_kept[i]);
            }
        }
    }

    private void Drop(InMemorySnapshot kept)
    {
        _kept.Remove(kept);
        kept.KeptUntil = null;
        Unhold(kept);
    }

    public ValueTask<StoredObject?> CreateAsync(EncodedObject value, CancellationToken cancellationToken = default)
    {
        lock (_writeLock)
        {
            if (_objects.ContainsKey(value.Key))
            {
                return ValueTask.FromResult<StoredObject?>(null);
            }

            DropExpired();
            var stored = new StoredObject(value, revisions.Next());
            var slot = _versions.Add(value.Key, stored);
            _objects[value.Key] = slot;
            _keys = _keys.SetItem(value.Key.Namespace, Names(value.Key.Namespace).Add(slot));
            Record(new ObjectEvent(EventTypes.Added, stored, previous: null));
            LiveFor(slot);
            return ValueTask.FromResult<StoredObject?>(stored);
        }
    }

    public ValueTask<StoredObject?> UpdateAsync(StoredObject current, EncodedObject updated, CancellationToken cancellationToken = default)
    {
        lock (_writeLock)
        {
            if (!IsCurrent(current))
            {
                return ValueTask.FromResult<StoredObject?>(null);
            }

            RecordForSnapshots(current);
            var stored = new StoredObject(updated, revisions.Next());
            var slot = _objects[current.Key];
            _versions[slot] = stored;
            Record(new ObjectEvent(EventTypes.Modified, stored, current));
            LiveFor(slot);
            return ValueTask.FromResult<StoredObject?>(stored);
        }
    }

    public ValueTask<long?> DeleteAsync(StoredObject current, CancellationToken cancellationToken = default)
    {
        lock (_writeLock)
        {
            return ValueTask.FromResult(IsCurrent(current) ? Remove(current) : null);
        }
    }

    /// <summary>Under the write lock: removes the current version <paramref name="current"/>; returns the deletion's revision.</summary>
    private long? Remove(StoredObject current)
    {
        RecordForSnapshots(current);
        _objects.TryRemove(current.Key, out var slot);
        _versions.Remove(slot);
        var names = Names(current.Key.Namespace).Remove(slot);
        _keys = names.IsEmpty ? _keys.Remove(current.Key.Namespace) : _keys.SetItem(current.Key.Namespace, names);
        var revision = revisions.Next();
        Record(new ObjectEvent(EventTypes.Deleted, current with { ResourceVersion = revision }, current));
        return revision;
    }

    public ValueTask ImportAsync(IReadOnlyList<StoredObject> objects, CancellationToken cancellationToken = default)
    {
        lock (_writeLock)
        {
            var slots = new List<ObjectSlot>(objects.Count);
            foreach (var value in objects)
            {
                if (_objects.TryGetValue(value.Key, out var slot))
                {
                    _versions[slot] = value;
                }
                else
                {
                    slots.Add(_objects[value.Key] = _versions.Add(value.Key, value));
                    LiveFor(slots[^1]);
                }

                revisions.Reach(value.ResourceVersion);
            }

            // One sort per namespace and a balanced tree built from it, rather than a million single inserts.
            foreach (var group in slots.GroupBy(slot => slot.Key.Namespace))
            {
                _keys = _keys.SetItem(group.Key, Names(group.Key).Union(group.ToArray()));
            }

            foreach (var log in _logs)
            {
                log.Reset(revisions.Current);
            }
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask<long> RevisionAsync(CancellationToken cancellationToken = default) => ValueTask.FromResult(revisions.Current);

    public async IAsyncEnumerable<StoreProgress> WatchAsync(long revision, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var position = History.PositionAfter(revision, out var oldest) ?? throw new RevisionCompactedException(revision, oldest);
        var told = revision;
        while (true)
        {
            await History.WaitBeyondAsync(position, cancellationToken);
            for (; position < History.Count; position++)
            {
                // A reader that falls out of the kept history is ended, never waited for.
                var change = History.At(position) ?? throw new RevisionCompactedException(told, History.Revision);
                told = change.ResourceVersion;
                yield return change;
            }

            // Moved on by a progress request alone: the revision other resources' writes reached.
            if (History.Revision > told)
            {
                told = History.Revision;
                yield return new StoreProgress(null, told);
            }
        }
    }

    public void RequestProgress()
    {
        lock (_writeLock)
        {
            // Every change of this resource up to the current revision is in the log, which may move on to it.
            foreach (var log in _logs)
            {
                log.Advance(revisions.Current);
            }
        }
    }

    public bool TryFeed(ChangeLog log)
    {
        lock (_writeLock)
        {
            log.Reset(revisions.Current);
            _logs = [.. _logs, log];
        }

        return true;
    }

    private ChangeLog History => _logs[0];

    /// <summary>Under the write lock: a change, into the store's history and every log it feeds.</summary>
    private void Record(ObjectEvent change)
    {
        foreach (var log in _logs)
        {
            log.Append(change);
        }
    }

    /// <summary>Under the write lock: with a time to live, the object written now expires that long from now.</summary>
    private void LiveFor(ObjectSlot slot)
    {
        if (timeToLive is not { } ttl)
        {
            return;
        }

        var queued = _versions.Expires(slot) is not null;
        var expires = clock.GetUtcNow() + ttl;
        _versions.SetExpires(slot, expires);
        if (queued)
        {
            // Looked at when its earlier time comes, and queued again for the later one then.
            return;
        }

        _expiring.Enqueue(slot, expires);
        if (_expiring.Count == 1)
        {
            // Every time to live is the same: nothing queued later can be due before what is queued now.
            _expiry ??= clock.CreateTimer(_ => DeleteExpired(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            _expiry.Change(ttl, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>
    /// Deletes what has expired (objects written since are queued again for their new time), at most
    /// <see cref="ExpiredPerPass"/> at a time under the write lock every store shares: objects written together expire
    /// together (a million events from a seed, an hour on), and writes go on between the passes, as etcd under
    /// kube-apiserver spreads its revocations out (<c>defaultLeaseRevokeRate</c>, 1,000 leases a second, in its
    /// <c>server/lease/lessor.go</c>). The next pass is the timer's, due at once: on a pool thread once the lock is
    /// released, or, on a fake clock that calls it back inside <see cref="ITimer.Change"/>, the same pass going on.
    /// </summary>
    private void DeleteExpired()
    {
        lock (_writeLock)
        {
            if (_deletingExpired)
            {
                _moreExpired = true;
                return;
            }

            _deletingExpired = true;
            try
            {
                do
                {
                    _moreExpired = false;
                    ExpiryPasses++;
                    DeleteExpiredPass();
                }
                while (_moreExpired);
            }
            finally
            {
                _deletingExpired = false;
            }
        }
    }

    private void DeleteExpiredPass()
    {
        var now = clock.GetUtcNow();
        var deleted = 0;
        while (deleted < ExpiredPerPass && _expiring.TryPeek(out var slot, out var due) && due <= now)
        {
            _expiring.Dequeue();
            if (_versions[slot] is not { } current)
            {
                // Deleted since it was queued: its entry may hold another object now.
                continue;
            }

            if (_versions.Expires(slot) is { } expires && expires > now)
            {
                _expiring.Enqueue(slot, expires);
            }
            else
            {
                Remove(current);
                deleted++;
            }
        }

        if (_expiring.TryPeek(out _, out var next))
        {
            _expiry!.Change(next <= now ? TimeSpan.Zero : next - now, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>How many passes <see cref="DeleteExpired"/> has made (for the tests).</summary>
    internal int ExpiryPasses { get; private set; }

    public void Dispose() => _expiry?.Dispose();

    /// <summary>Under the write lock, before an object is replaced or removed: open snapshots keep the version they may need.</summary>
    private void RecordForSnapshots(StoredObject current)
    {
        DropExpired();
        foreach (var snapshot in _openSnapshots)
        {
            snapshot.Record(current.Key, current);
        }
    }

    private ImmutableSortedSet<ObjectSlot> Names(string @namespace) =>
        _keys.TryGetValue(@namespace, out var names) ? names : ImmutableSortedSet.Create(ObjectSlot.ByName);

    private bool IsCurrent(StoredObject value) => _objects.TryGetValue(value.Key, out var slot) && ReferenceEquals(_versions[slot], value);
}
