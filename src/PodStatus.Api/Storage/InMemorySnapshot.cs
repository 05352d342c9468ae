using System.Collections.Concurrent;
using System.Collections.Immutable;

namespace PodStatus.Api.Storage;

/// <summary>
/// The in-memory store's read at a revision. It holds the sorted key set as it was when taken (an immutable tree,
/// so taking it copies nothing) and reads each pod from the live map as it goes. A pod written since the revision
/// is read from <see cref="_before"/> instead: the store records there, under its write lock and before the write
/// shows, the version each key had at the revision. So a snapshot costs nothing per pod until it is read, and one
/// dictionary entry per pod written while it is open.
/// </summary>
internal sealed class InMemorySnapshot : PodSnapshot
{
    private readonly ConcurrentDictionary<PodKey, StoredPod> _pods;
    private readonly string? _namespace;
    private readonly ImmutableSortedSet<PodKey> _keys;
    private readonly (int Start, int End) _range;
    private readonly Action<InMemorySnapshot> _release;
    private readonly ConcurrentDictionary<PodKey, StoredPod?> _before = new();

    // Pods that stood at the revision but were deleted before the keys were taken, in key order; and keys taken
    // that were created after the revision. Both come from the change log and are usually empty.
    private readonly StoredPod[] _removed;
    private readonly PodKey[] _added;
    private bool _released;

    /// <summary>Taken under the store's write lock; <paramref name="changedSince"/> is every write after the
    /// revision up to then, oldest first.</summary>
    public InMemorySnapshot(
        long revision,
        string? @namespace,
        ConcurrentDictionary<PodKey, StoredPod> pods,
        ImmutableSortedSet<PodKey> keys,
        IEnumerable<(PodKey Key, StoredPod? Previous)> changedSince,
        Action<InMemorySnapshot> release)
        : base(revision)
    {
        _pods = pods;
        _namespace = @namespace;
        _keys = keys;
        _release = release;
        _range = @namespace is null ? (0, keys.Count) : (Lower(keys, new PodKey(@namespace, "")), Lower(keys, NextNamespace(@namespace)));
        foreach (var (key, previous) in changedSince)
        {
            if (@namespace is null || key.Namespace == @namespace)
            {
                // The first change since the revision tells the state at it.
                _before.TryAdd(key, previous);
            }
        }

        _removed = [.. _before.Values.OfType<StoredPod>().Where(pod => !keys.Contains(pod.Key)).OrderBy(pod => pod.Key)];
        _added = [.. _before.Where(entry => entry.Value is null && keys.Contains(entry.Key)).Select(entry => entry.Key)];
    }

    /// <summary>Called by the store, under its write lock, before <paramref name="key"/> is updated or deleted.</summary>
    public void Record(PodKey key, StoredPod previous)
    {
        if (_namespace is null || key.Namespace == _namespace)
        {
            _before.TryAdd(key, previous);
        }
    }

    public override IEnumerable<StoredPod> Read(PodKey? after = null)
    {
        var next = after is { } a ? Math.Max(_range.Start, Above(_keys, a)) : _range.Start;
        var removed = after is { } b ? Array.FindIndex(_removed, pod => pod.Key.CompareTo(b) > 0) : 0;
        removed = removed < 0 ? _removed.Length : removed;
        while (next < _range.End || removed < _removed.Length)
        {
            if (removed < _removed.Length && (next == _range.End || _removed[removed].Key.CompareTo(_keys[next]) < 0))
            {
                yield return _removed[removed++];
            }
            else if (At(_keys[next++]) is { } pod)
            {
                yield return pod;
            }
        }
    }

    public override int Count(PodKey? after = null)
    {
        var start = after is { } a ? Math.Max(_range.Start, Above(_keys, a)) : _range.Start;
        bool Later(PodKey key) => after is not { } a2 || key.CompareTo(a2) > 0;
        return Math.Max(0, _range.End - start) + _removed.Count(pod => Later(pod.Key)) - _added.Count(Later);
    }

    /// <summary>The pod under a key that existed when the keys were taken, as it stood at the revision.</summary>
    private StoredPod? At(PodKey key)
    {
        // The live map first: a write records the old version before it replaces it, so a newer version seen
        // here is always recorded in _before.
        if (_pods.TryGetValue(key, out var current) && current.ResourceVersion <= ResourceVersion)
        {
            return current;
        }

        return _before.TryGetValue(key, out var then) ? then : null;
    }

    public override void Dispose()
    {
        if (!_released)
        {
            _released = true;
            _release(this);
        }
    }

    /// <summary>The index of the first key not below <paramref name="key"/>.</summary>
    private static int Lower(ImmutableSortedSet<PodKey> keys, PodKey key)
    {
        var index = keys.IndexOf(key);
        return index >= 0 ? index : ~index;
    }

    /// <summary>The index of the first key above <paramref name="key"/>.</summary>
    private static int Above(ImmutableSortedSet<PodKey> keys, PodKey key)
    {
        var index = keys.IndexOf(key);
        return index >= 0 ? index + 1 : ~index;
    }

    /// <summary>A key below every key of the namespaces after <paramref name="namespace"/>, and above all of its own
    /// (names of namespaces never hold a NUL).</summary>
    private static PodKey NextNamespace(string @namespace) => new(@namespace + "\0", "");
}
