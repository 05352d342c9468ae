using System.Collections.Concurrent;
using PodStatus.Api.Watch;

namespace PodStatus.Api.Storage;

/// <summary>
/// The default store. Reads are lock-free; writes take one short lock that orders them, so the revision counter
/// and the change log see every write in one order. All encoding and validation happen before it.
/// </summary>
internal sealed class InMemoryPodStore(ChangeLog changes) : IPodStore
{
    private readonly ConcurrentDictionary<PodKey, StoredPod> _pods = new();
    private readonly Lock _writeLock = new();
    private long _revision;

    public ValueTask<StoredPod?> GetAsync(PodKey key, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(_pods.GetValueOrDefault(key));

    public ValueTask<PodSnapshot> ListAsync(string? @namespace, CancellationToken cancellationToken = default)
    {
        // Writes that land while the pods are read make the history too short only when hundreds land at once.
        for (var attempt = 0; attempt < 3; attempt++)
        {
            long revision;
            lock (_writeLock)
            {
                revision = _revision;
            }

            if (ReadAt(@namespace, revision) is { } snapshot)
            {
                return ValueTask.FromResult(snapshot);
            }
        }

        StoredPod[] all;
        long current;
        lock (_writeLock)
        {
            current = _revision;
            all = [.. _pods.Values];
        }

        return ValueTask.FromResult(Snapshot(all, @namespace, current));
    }

    public ValueTask<PodSnapshot?> ListAtAsync(string? @namespace, long revision, CancellationToken cancellationToken = default)
    {
        lock (_writeLock)
        {
            if (revision > _revision)
            {
                return ValueTask.FromResult<PodSnapshot?>(null);
            }
        }

        return ValueTask.FromResult(ReadAt(@namespace, revision));
    }

    /// <summary>
    /// The pods as they stood at <paramref name="revision"/> (not newer than the current one), without holding the
    /// write lock while they are read: the pods are read as writes go on, then every pod changed since the
    /// revision is put back as it stood then, from the change log. The lock is held only to read that log, and
    /// every write a read saw is in it, since a write changes the pods and logs the change under the lock. Null
    /// when the log no longer reaches back to the revision.
    /// </summary>
    private PodSnapshot? ReadAt(string? @namespace, long revision)
    {
        var pods = new List<StoredPod>(@namespace is null ? _pods.Count + 64 : 64);
        foreach (var (_, pod) in _pods)
        {
            if (@namespace is null || pod.Key.Namespace == @namespace)
            {
                pods.Add(pod);
            }
        }

        IReadOnlyList<PodEvent>? since;
        lock (_writeLock)
        {
            since = changes.Since(revision);
        }

        if (since is null)
        {
            return null;
        }

        if (since.Count > 0)
        {
            // Oldest change last, so each changed pod ends as it stood before its first change since the revision.
            var before = new Dictionary<PodKey, StoredPod?>();
            for (var i = since.Count - 1; i >= 0; i--)
            {
                before[since[i].Pod.Key] = since[i].Previous;
            }

            pods.RemoveAll(pod => before.ContainsKey(pod.Key));
            pods.AddRange(before.Values.OfType<StoredPod>().Where(pod => @namespace is null || pod.Key.Namespace == @namespace));
        }

        pods.Sort(static (a, b) => a.Key.CompareTo(b.Key));
        return new PodSnapshot(pods, revision);
    }

    private static PodSnapshot Snapshot(StoredPod[] all, string? @namespace, long revision)
    {
        var items = @namespace is null ? all : Array.FindAll(all, p => p.Key.Namespace == @namespace);
        Array.Sort(items, static (a, b) => a.Key.CompareTo(b.Key));
        return new PodSnapshot(items, revision);
    }

    public ValueTask<StoredPod?> CreateAsync(EncodedPod pod, CancellationToken cancellationToken = default)
    {
        lock (_writeLock)
        {
            if (_pods.ContainsKey(pod.Key))
            {
                return ValueTask.FromResult<StoredPod?>(null);
            }

            var stored = new StoredPod(pod, ++_revision);
            _pods[pod.Key] = stored;
            changes.Append(new PodEvent(EventTypes.Added, stored, null));
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

            var stored = new StoredPod(updated, ++_revision);
            _pods[current.Key] = stored;
            changes.Append(new PodEvent(EventTypes.Modified, stored, current));
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

            _pods.TryRemove(current.Key, out _);
            var revision = ++_revision;
            changes.Append(new PodEvent(EventTypes.Deleted, current with { ResourceVersion = revision }, current));
            return ValueTask.FromResult<long?>(revision);
        }
    }

    public ValueTask ImportAsync(IReadOnlyList<StoredPod> pods, CancellationToken cancellationToken = default)
    {
        lock (_writeLock)
        {
            foreach (var pod in pods)
            {
                _pods[pod.Key] = pod;
                _revision = Math.Max(_revision, pod.ResourceVersion);
            }

            changes.StartAt(_revision);
        }

        return ValueTask.CompletedTask;
    }

    private bool IsCurrent(StoredPod pod) => _pods.TryGetValue(pod.Key, out var stored) && ReferenceEquals(stored, pod);
}
