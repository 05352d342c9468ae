using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;

namespace PodStatus.Api.Storage;

/// <summary>
/// The in-memory store's read at a revision. It holds the sorted key slots as they were when taken (immutable
/// trees, so taking them copies nothing) and reads each slot's object as it goes. An object written since the revision
/// is read from <see cref="_before"/> instead: the store records there, under its write lock and before the write
/// shows, the version each key had at the revision. So a snapshot costs nothing per object until it is read, and one
/// dictionary entry per object written while it is open.
/// </summary>
internal sealed class InMemorySnapshot : Snapshot
{
    private const int ReadsBetweenYields = 4096;

    private readonly ImmutableSortedDictionary<string, ImmutableSortedSet<ObjectSlot>> _keys;
    private readonly VersionTable _versions;
    private readonly Action<InMemorySnapshot> _release;
    private readonly Action<InMemorySnapshot> _keep;
    private readonly ConcurrentDictionary<ObjectKey, StoredObject?> _before = new();

    // Objects that stood at the revision but were deleted before the keys were taken, in key order; and keys taken
    // that were created after the revision. Both come from the change log and are usually empty.
    private readonly StoredObject[] _removed;
    private readonly ObjectKey[] _added;

    /// <summary>Taken under the store's write lock, with <paramref name="keys"/> (names by namespace) as they
    /// stand; <paramref name="changedSince"/> is every write after the revision up to then, oldest first.</summary>
    public InMemorySnapshot(
        long revision,
        string? @namespace,
        ImmutableSortedDictionary<string, ImmutableSortedSet<ObjectSlot>> keys,
        VersionTable versions,
        IEnumerable<(ObjectKey Key, StoredObject? Previous)> changedSince,
        Action<InMemorySnapshot> release,
        Action<InMemorySnapshot> keep)
        : base(revision)
    {
        Namespace = @namespace;
        _keys = keys;
        _versions = versions;
        _release = release;
        _keep = keep;
        foreach (var (key, previous) in changedSince)
        {
            if (InScope(key))
            {
                // The first change since the revision tells the state at it.
                _before.TryAdd(key, previous);
            }
        }

        _removed = [.. _before.Values.OfType<StoredObject>().Where(value => !Taken(value.Key)).OrderBy(value => value.Key)];
        _added = [.. _before.Where(entry => entry.Value is null && Taken(entry.Key)).Select(entry => entry.Key)];
    }

    public string? Namespace { get; }

    /// <summary>How many holders (readers, and the store while it keeps it for later pages) have yet to release
    /// it; changed under the store's write lock.</summary>
    public int Holders { get; set; } = 1;

    /// <summary>While the store keeps it for later pages: until when.</summary>
    public DateTimeOffset? KeptUntil { get; set; }

    /// <summary>Called by the store, under its write lock, before <paramref name="key"/> is updated or deleted.</summary>
    public void Record(ObjectKey key, StoredObject previous)
    {
        if (InScope(key))
        {
            _before.TryAdd(key, previous);
        }
    }

    public override async IAsyncEnumerable<StoredObject> ReadAsync(ObjectKey? after = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var read = 0;
        foreach (var value in Read(after))
        {
            yield return value;
            // Reading a million objects takes a second or more, and a reader whose selector passes over them sends
            // nothing meanwhile: hand the thread back to the pool now and then, so requests are not left waiting
            // for the pool to add a thread (it adds one every half second or so once all are busy).
            if (++read % ReadsBetweenYields == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                await Task.Yield();
            }
        }
    }

    public override ValueTask<long> CountAsync(ObjectKey? after = null, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult<long>(Count(after));

    public IEnumerable<StoredObject> Read(ObjectKey? after = null)
    {
        var removed = after is { } a ? Array.FindIndex(_removed, value => value.Key.CompareTo(a) > 0) : 0;
        removed = removed < 0 ? _removed.Length : removed;
        foreach (var slot in Slots(after))
        {
            while (removed < _removed.Length && _removed[removed].Key.CompareTo(slot.Key) < 0)
            {
                yield return _removed[removed++];
            }

            if (At(slot) is { } value)
            {
                yield return value;
            }
        }

        while (removed < _removed.Length)
        {
            yield return _removed[removed++];
        }
    }

    public int Count(ObjectKey? after = null)
    {
        var taken = 0;
        foreach (var (@namespace, names) in Namespaces())
        {
            var order = after is { } a ? ObjectKey.NamespaceOrder.Compare(@namespace, a.Namespace) : 1;
            taken += order > 0 ? names.Count : order == 0 ? names.Count - Above(names, after!.Value) : 0;
        }

        return taken + _removed.Count(value => Later(value.Key, after)) - _added.Count(key => Later(key, after));
    }

    /// <summary>The slots taken, after <paramref name="after"/>, in key order. Whole sets are walked with their
    /// enumerators (each tree node once); only the namespace a read resumes in is indexed into (a page's worth).</summary>
    private IEnumerable<ObjectSlot> Slots(ObjectKey? after)
    {
        foreach (var (@namespace, names) in Namespaces())
        {
            var order = after is { } a ? ObjectKey.NamespaceOrder.Compare(@namespace, a.Namespace) : 1;
            if (order > 0)
            {
                foreach (var slot in names)
                {
                    yield return slot;
                }
            }
            else if (order == 0)
            {
                for (var i = Above(names, after!.Value); i < names.Count; i++)
                {
                    yield return names[i];
                }
            }
        }
    }

    private IEnumerable<KeyValuePair<string, ImmutableSortedSet<ObjectSlot>>> Namespaces() =>
        Namespace is null ? _keys : _keys.TryGetValue(Namespace, out var names) ? [new(Namespace, names)] : [];

    /// <summary>The object in a slot taken with the keys, as it stood at the revision.</summary>
    private StoredObject? At(ObjectSlot slot)
    {
        // The live version first: a write records the old version before it replaces it, so a newer version
        // seen here is always recorded in _before.
        if (_versions[slot] is { } current && current.ResourceVersion <= ResourceVersion)
        {
            return current;
        }

        return _before.TryGetValue(slot.Key, out var then) ? then : null;
    }

    public override void KeepForLaterPages() => _keep(this);

    /// <summary>Releases this holder's hold; each holder disposes once.</summary>
    public override void Dispose() => _release(this);

    private bool InScope(ObjectKey key) => Namespace is null || key.Namespace == Namespace;

    private bool Taken(ObjectKey key) => _keys.TryGetValue(key.Namespace, out var names) && names.Contains(ObjectSlot.Probe(key));

    private static bool Later(ObjectKey key, ObjectKey? after) => after is not { } a || key.CompareTo(a) > 0;

    /// <summary>The index of the first slot above <paramref name="key"/>'s.</summary>
    private static int Above(ImmutableSortedSet<ObjectSlot> names, ObjectKey key)
    {
        var index = names.IndexOf(ObjectSlot.Probe(key));
        return index >= 0 ? index + 1 : ~index;
    }
}
