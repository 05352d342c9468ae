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
        StoredPod[] all;
        long revision;
        lock (_writeLock)
        {
            revision = _revision;
            all = _pods.Values.ToArray();
        }

        return ValueTask.FromResult(Snapshot(all, @namespace, revision));
    }

    /// <summary>The current pods with the changes made since <paramref name="revision"/> undone, newest first.</summary>
    public ValueTask<PodSnapshot?> ListAtAsync(string? @namespace, long revision, CancellationToken cancellationToken = default)
    {
        Dictionary<PodKey, StoredPod> pods;
        IReadOnlyList<PodEvent>? since;
        lock (_writeLock)
        {
            // Under the write lock, the log holds exactly the changes up to the current revision.
            since = revision <= _revision ? changes.Since(revision) : null;
            pods = since is null ? [] : new Dictionary<PodKey, StoredPod>(_pods);
        }

        if (since is null)
        {
            return ValueTask.FromResult<PodSnapshot?>(null);
        }

        for (var i = since.Count - 1; i >= 0; i--)
        {
            var change = since[i];
            if (change.Previous is { } previous)
            {
                pods[previous.Key] = previous;
            }
            else
            {
                pods.Remove(change.Pod.Key);
            }
        }

        return ValueTask.FromResult<PodSnapshot?>(Snapshot(pods.Values.ToArray(), @namespace, revision));
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
