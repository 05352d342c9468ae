namespace PodStatus.Api.Storage;

/// <summary>
/// The current version of each of a store's slots, packed side by side. A write points an older object at a new
/// version, and every young collection then reads each older object that does so (the runtime marks them in its card
/// table, 256 bytes to a card) while requests wait. Slots spread through the heap among their objects' bytes cost a
/// card each; here the versions of the thousands of slots written between two collections share a few cards. (With
/// each slot holding its own version, 10,000 leases renewed every 10 s cost 64-77 ms of pauses per 10 s, 40-49 here.)
/// Entries are changed under the store's write lock and read without it.
/// </summary>
internal sealed class VersionTable
{
    // Chunks of 2,048 entries of 24 bytes stay out of the large object heap, and never move: a growing array would
    // be copied, and a reader of the old copy would miss a write made after it.
    private const int ChunkBits = 11;
    private const int ChunkSize = 1 << ChunkBits;

    private Entry[][] _chunks = [];
    private readonly Stack<int> _free = new();
    private int _used;

    private struct Entry
    {
        public StoredObject? Current;
        public int Generation;
        public long ExpiresTicks;
    }

    /// <summary>The version <paramref name="slot"/> holds; null once it is removed.</summary>
    public StoredObject? this[ObjectSlot slot]
    {
        get
        {
            // An entry is reused once its slot is removed: a reader still holding that slot (a snapshot, the expiry
            // queue) must not take the new owner's version. Removal moves the generation on before reuse writes a
            // version; the version is read first, the generation after.
            ref var entry = ref At(slot.Index);
            var current = Volatile.Read(ref entry.Current);
            return Volatile.Read(ref entry.Generation) == slot.Generation ? current : null;
        }

        set => Volatile.Write(ref At(slot.Index).Current, value);
    }

    /// <summary>A new slot for <paramref name="key"/>, holding <paramref name="value"/>.</summary>
    public ObjectSlot Add(ObjectKey key, StoredObject value)
    {
        var index = _free.Count > 0 ? _free.Pop() : _used++;
        if (index >> ChunkBits == _chunks.Length)
        {
            Volatile.Write(ref _chunks, [.. _chunks, new Entry[ChunkSize]]);
        }

        ref var entry = ref At(index);
        Volatile.Write(ref entry.Current, value);
        return new ObjectSlot(key, index, entry.Generation);
    }

    /// <summary>Empties <paramref name="slot"/>'s entry for a later slot.</summary>
    public void Remove(ObjectSlot slot)
    {
        ref var entry = ref At(slot.Index);
        Volatile.Write(ref entry.Current, null);
        Volatile.Write(ref entry.Generation, entry.Generation + 1);
        entry.ExpiresTicks = 0;
        _free.Push(slot.Index);
    }

    /// <summary>When <paramref name="slot"/>'s version expires, or null (no time to live, or not queued); read and
    /// written under the write lock, by a slot still in the store.</summary>
    public DateTimeOffset? Expires(ObjectSlot slot) =>
        At(slot.Index).ExpiresTicks is var ticks and not 0 ? new DateTimeOffset(ticks, TimeSpan.Zero) : null;

    public void SetExpires(ObjectSlot slot, DateTimeOffset expires) => At(slot.Index).ExpiresTicks = expires.UtcTicks;

    private ref Entry At(int index) => ref Volatile.Read(ref _chunks)[index >> ChunkBits][index & (ChunkSize - 1)];
}
