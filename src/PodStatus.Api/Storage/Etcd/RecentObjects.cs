namespace PodStatus.Api.Storage.Etcd;

/// <summary>
/// The versions of objects this replica wrote or read last, in a fixed number of slots (by key hash), so its memory
/// does not grow with the objects stored. A write starts from the version held here (etcd checks it is still current)
/// and a read that finds the same revision reuses it instead of decoding the object again.
/// </summary>
internal sealed class RecentObjects
{
    private const int Slots = 1 << 14;
    private readonly StoredObject?[] _slots = new StoredObject?[Slots];

    public StoredObject? Get(ObjectKey key) => Volatile.Read(ref _slots[Slot(key)]) is { } value && value.Key == key ? value : null;

    /// <summary>The held version of <paramref name="key"/> if it is at <paramref name="revision"/>.</summary>
    public StoredObject? At(ObjectKey key, long revision) => Get(key) is { } value && value.ResourceVersion == revision ? value : null;

    public void Put(StoredObject value) => Volatile.Write(ref _slots[Slot(value.Key)], value);

    public void Forget(ObjectKey key) => Interlocked.CompareExchange(ref _slots[Slot(key)], null, Get(key));

    private static int Slot(ObjectKey key) => key.GetHashCode() & (Slots - 1);
}

/// <summary>The objects this replica is writing (or wrote last), by key, in a fixed number of slots: the change stream
/// takes a write it sees with the same bytes from here instead of decoding it.</summary>
internal sealed class RecentWrites
{
    private const int Slots = 1 << 12;
    private readonly EncodedObject?[] _slots = new EncodedObject?[Slots];

    public EncodedObject? Get(ObjectKey key) => Volatile.Read(ref _slots[Slot(key)]) is { } value && value.Key == key ? value : null;

    public void Put(EncodedObject value) => Volatile.Write(ref _slots[Slot(value.Key)], value);

    private static int Slot(ObjectKey key) => key.GetHashCode() & (Slots - 1);
}
