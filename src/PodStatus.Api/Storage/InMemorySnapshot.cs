using System.Collections.Concurrent;
using System.Collections.Immutable;

namespace PodStatus.Api.Storage;

/// <summary>
/// The in-memory store's read at a revision. It holds the sorted keys as they were when taken (immutable trees,
/// so taking them copies nothing) and reads each pod from the live map as it goes. A pod written since the revision
/// is read from <see cref="_before"/> instead: the store records there, under its write lock and before the write
/// shows, the version each key had at the revision. So a snapshot costs nothing per pod until it is read, and one
/// dictionary entry per pod written while it is open.
/// </summary>
internal sealed class InMemorySnapshot : PodSnapshot
{
    private readonly ConcurrentDictionary<PodKey, StoredPod> _pods;
    private readonly string? _namespace;
    private readonly ImmutableSortedDictionary<string, ImmutableSortedSet<string>> _keys;
    private readonly Action<InMemorySnapshot> _release;
    private readonly ConcurrentDictionary<PodKey, StoredPod?> _before = new();

    // Pods that stood at the revision but were deleted before the keys were taken, in key order; and keys taken
    // that were created after the revision. Both come from the change log and are usually empty.
    private readonly StoredPod[] _removed;
    private readonly PodKey[] _added;
    private bool _released;

    /// <summary>Taken under the store's write lock, with <paramref name="keys"/> (names by namespace) as they
    /// stand; <paramref name="changedSince"/> is every write after the revision up to then, oldest first.</summary>
    public InMemorySnapshot(
        long revision,
        string? @namespace,
        ConcurrentDictionary<PodKey, StoredPod> pods,
        ImmutableSortedDictionary<string, ImmutableSortedSet<string>> keys,
        IEnumerable<(PodKey Key, StoredPod? Previous)> changedSince,
        Action<InMemorySnapshot> release)
        : base(revision)
    {
        _pods = pods;
        _namespace = @namespace;
        _keys = keys;
        _release = release;
        foreach (var (key, previous) in changedSince)
        {
            if (InScope(key))
            {
                // The first change since the revision tells the state at it.
                _before.TryAdd(key, previous);
            }
        }

        _removed = [.. _before.Values.OfType<StoredPod>().Where(pod => !Taken(pod.Key)).OrderBy(pod => pod.Key)];
        _added = [.. _before.Where(entry => entry.Value is null && Taken(entry.Key)).Select(entry => entry.Key)];
    }

    /// <summary>Called by the store, under its write lock, before <paramref name="key"/> is updated or deleted.</summary>
    public void Record(PodKey key, StoredPod previous)
    {
        if (InScope(key))
        {
            _before.TryAdd(key, previous);
        }
    }

    public override IEnumerable<StoredPod> Read(PodKey? after = null)
    {
        var removed = after is { } a ? Array.FindIndex(_removed, pod => pod.Key.CompareTo(a) > 0) : 0;
        removed = removed < 0 ? _removed.Length : removed;
        foreach (var key in Keys(after))
        {
            while (removed < _removed.Length && _removed[removed].Key.CompareTo(key) < 0)
            {
                yield return _removed[removed++];
            }

            if (At(key) is { } pod)
            {
                yield return pod;
            }
        }

        while (removed < _removed.Length)
        {
            yield return _removed[removed++];
        }
    }

    public override int Count(PodKey? after = null)
    {
        var taken = 0;
        foreach (var (@namespace, names) in Namespaces())
        {
            var order = after is { } a ? string.CompareOrdinal(@namespace, a.Namespace) : 1;
            taken += order > 0 ? names.Count : order == 0 ? names.Count - Above(names, after!.Value.Name) : 0;
        }

        return taken + _removed.Count(pod => Later(pod.Key, after)) - _added.Count(key => Later(key, after));
    }

    /// <summary>The keys taken, after <paramref name="after"/>, in order. Whole sets are walked with their
    /// enumerators (each tree node once); only the namespace a read resumes in is indexed into (a page's worth).</summary>
    private IEnumerable<PodKey> Keys(PodKey? after)
    {
        foreach (var (@namespace, names) in Namespaces())
        {
            var order = after is { } a ? string.CompareOrdinal(@namespace, a.Namespace) : 1;
            if (order > 0)
            {
                foreach (var name in names)
                {
                    yield return new PodKey(@namespace, name);
                }
            }
            else if (order == 0)
            {
                for (var i = Above(names, after!.Value.Name); i < names.Count; i++)
                {
                    yield return new PodKey(@namespace, names[i]);
                }
            }
        }
    }

    private IEnumerable<KeyValuePair<string, ImmutableSortedSet<string>>> Namespaces() =>
        _namespace is null ? _keys : _keys.TryGetValue(_namespace, out var names) ? [new(_namespace, names)] : [];

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

    private bool InScope(PodKey key) => _namespace is null || key.Namespace == _namespace;

    private bool Taken(PodKey key) => _keys.TryGetValue(key.Namespace, out var names) && names.Contains(key.Name);

    private static bool Later(PodKey key, PodKey? after) => after is not { } a || key.CompareTo(a) > 0;

    /// <summary>The index of the first name above <paramref name="name"/>.</summary>
    private static int Above(ImmutableSortedSet<string> names, string name)
    {
        var index = names.IndexOf(name);
        return index >= 0 ? index + 1 : ~index;
    }
}
