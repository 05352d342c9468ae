using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;

namespace PodStatus.Api.Storage;

/// <summary>
/// The default store. Reads are lock-free; writes take one short lock that orders them, so the revision counter
/// and the change log see every write in one order. All encoding and validation happen before it. Each key has a
/// slot holding its current version; besides the slots by key, the store keeps them sorted by name, per namespace,
/// in immutable trees (changed by creates and deletes only), which a list takes as they are: lists start at once,
/// in key order, and never copy the store. A snapshot a continue token was issued from is kept for a minute from
/// its last use, so the later pages of a long list read it however many writes come between (etcd, under
/// kube-apiserver, keeps old revisions for five). The last <c>historySize</c> changes are kept, as etcd keeps
/// revisions until it compacts them: for reads at an older revision and for the change stream.
/// </summary>
internal sealed class InMemoryPodStore(int historySize, TimeProvider clock) : IPodStore
{
    /// <summary>How long a snapshot a continue token was issued from is kept for the next page, from its last use.</summary>
    public static readonly TimeSpan KeptForLaterPages = TimeSpan.FromMinutes(1);

    /// <summary>At most this many are kept; each costs every write a little.</summary>
    private const int MostKept = 16;

    private readonly ConcurrentDictionary<PodKey, PodSlot> _pods = new();
    private readonly ChangeLog _changes = new(historySize);
    private readonly Lock _writeLock = new();
    private readonly List<InMemorySnapshot> _openSnapshots = [];
    private readonly List<InMemorySnapshot> _kept = [];
    private ImmutableSortedDictionary<string, ImmutableSortedSet<PodSlot>> _keys =
        ImmutableSortedDictionary.Create<string, ImmutableSortedSet<PodSlot>>(PodKey.NamespaceOrder);
    private long _revision;

    public ValueTask<StoredPod?> GetAsync(PodKey key, bool consistent = true, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(_pods.TryGetValue(key, out var slot) ? slot.Current : null);

    public ValueTask<PodSnapshot> ListAsync(string? @namespace, CancellationToken cancellationToken = default)
    {
        lock (_writeLock)
        {
            return ValueTask.FromResult<PodSnapshot>(Open(@namespace, _revision, []));
        }
    }

    public ValueTask<PodSnapshot?> ListAtAsync(string? @namespace, long revision, CancellationToken cancellationToken = default)
    {
        lock (_writeLock)
        {
            // A later page of a list reads the snapshot its first page was read from, while it is kept.
            DropExpired();
            if (_kept.Find(kept => kept.ResourceVersion == revision && kept.Namespace == @namespace) is { } page)
            {
                page.Holders++;
                return ValueTask.FromResult<PodSnapshot?>(page);
            }

            // Else the changes since the revision tell what each pod written since was at it; gone from the log, it is too old.
            var since = revision <= _revision ? _changes.Since(revision) : null;
            return ValueTask.FromResult<PodSnapshot?>(
                since is null ? null : Open(@namespace, revision, since.Select(change => (change.Pod.Key, change.Previous))));
        }
    }

    /// <summary>Under the write lock: a snapshot at <paramref name="revision"/>, recorded into until disposed.</summary>
    private InMemorySnapshot Open(string? @namespace, long revision, IEnumerable<(PodKey, StoredPod?)> changedSince)
    {
        var snapshot = new InMemorySnapshot(revision, @namespace, _keys, changedSince, Release, Keep);
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

    public ValueTask<StoredPod?> CreateAsync(EncodedPod pod, CancellationToken cancellationToken = default)
    {
        lock (_writeLock)
        {
            if (_pods.ContainsKey(pod.Key))
            {
                return ValueTask.FromResult<StoredPod?>(null);
            }

            DropExpired();
            var stored = new StoredPod(pod, ++_revision);
            var slot = new PodSlot(pod.Key) { Current = stored };
            _pods[pod.Key] = slot;
            _keys = _keys.SetItem(pod.Key.Namespace, Names(pod.Key.Namespace).Add(slot));
            _changes.Append(new PodEvent(EventTypes.Added, stored, previous: null));
            return ValueTask.FromResult<StoredPod?>(stored);
        }
    }

    public ValueTask<StoredPod?> UpdateAsync(StoredPod current, EncodedPod updated, CancellationToken cancellationToken = default)
    {
        lock (_writeLock)
        {
            if (!IsCurrent(current))
            {
                return ValueTask.FromResult<StoredPod?>(null);
            }

            RecordForSnapshots(current);
            var stored = new StoredPod(updated, ++_revision);
            _pods[current.Key].Current = stored;
            _changes.Append(new PodEvent(EventTypes.Modified, stored, current));
            return ValueTask.FromResult<StoredPod?>(stored);
        }
    }

    public ValueTask<long?> DeleteAsync(StoredPod current, CancellationToken cancellationToken = default)
    {
        lock (_writeLock)
        {
            if (!IsCurrent(current))
            {
                return ValueTask.FromResult<long?>(null);
            }

            RecordForSnapshots(current);
            _pods.TryRemove(current.Key, out var slot);
            slot!.Current = null;
            var names = Names(current.Key.Namespace).Remove(slot);
            _keys = names.IsEmpty ? _keys.Remove(current.Key.Namespace) : _keys.SetItem(current.Key.Namespace, names);
            var revision = ++_revision;
            _changes.Append(new PodEvent(EventTypes.Deleted, current with { ResourceVersion = revision }, current));
            return ValueTask.FromResult<long?>(revision);
        }
    }

    public ValueTask ImportAsync(IReadOnlyList<StoredPod> pods, CancellationToken cancellationToken = default)
    {
        lock (_writeLock)
        {
            var slots = new List<PodSlot>(pods.Count);
            foreach (var pod in pods)
            {
                if (_pods.TryGetValue(pod.Key, out var slot))
                {
                    slot.Current = pod;
                }
                else
                {
                    slots.Add(_pods[pod.Key] = new PodSlot(pod.Key) { Current = pod });
                }

                _revision = Math.Max(_revision, pod.ResourceVersion);
            }

            // One sort per namespace and a balanced tree built from it, rather than a million single inserts.
            foreach (var group in slots.GroupBy(slot => slot.Key.Namespace))
            {
                _keys = _keys.SetItem(group.Key, Names(group.Key).Union(group.ToArray()));
            }
            _changes.Reset(_revision);
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask<long> RevisionAsync(CancellationToken cancellationToken = default) => ValueTask.FromResult(Volatile.Read(ref _revision));

    public async IAsyncEnumerable<StoreProgress> WatchAsync(long revision, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var position = _changes.PositionAfter(revision, out var oldest) ?? throw new RevisionCompactedException(revision, oldest);
        while (true)
        {
            await _changes.WaitBeyondAsync(position, cancellationToken);
            for (; position < _changes.Count; position++)
            {
                // A reader that falls out of the kept history is ended, never waited for.
                yield return _changes.At(position) ?? throw new RevisionCompactedException(revision, _changes.Revision);
            }
        }
    }

    /// <summary>Under the write lock, before a pod is replaced or removed: open snapshots keep the version they may need.</summary>
    private void RecordForSnapshots(StoredPod current)
    {
        DropExpired();
        foreach (var snapshot in _openSnapshots)
        {
            snapshot.Record(current.Key, current);
        }
    }

    private ImmutableSortedSet<PodSlot> Names(string @namespace) =>
        _keys.TryGetValue(@namespace, out var names) ? names : ImmutableSortedSet.Create(PodSlot.ByName);

    private bool IsCurrent(StoredPod pod) => _pods.TryGetValue(pod.Key, out var slot) && ReferenceEquals(slot.Current, pod);
}
