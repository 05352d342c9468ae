namespace PodStatus.Api.Storage.Etcd;

/// <summary>
/// The versions of pods this replica wrote or read last, in a fixed number of slots (by key hash), so its memory
/// does not grow with the pods stored. A write starts from the version held here (etcd checks it is still current)
/// and a read that finds the same revision reuses it instead of decoding the pod again.
/// </summary>
internal sealed class RecentPods
{
    private const int Slots = 1 << 14;
    private readonly StoredPod?[] _slots = new StoredPod?[Slots];

    public StoredPod? Get(PodKey key) => Volatile.Read(ref _slots[Slot(key)]) is { } pod && pod.Key == key ? pod : null;

    /// <summary>The held version of <paramref name="key"/> if it is at <paramref name="revision"/>.</summary>
    public StoredPod? At(PodKey key, long revision) => Get(key) is { } pod && pod.ResourceVersion == revision ? pod : null;

    public void Put(StoredPod pod) => Volatile.Write(ref _slots[Slot(pod.Key)], pod);

    public void Forget(PodKey key) => Interlocked.CompareExchange(ref _slots[Slot(key)], null, Get(key));

    private static int Slot(PodKey key) => key.GetHashCode() & (Slots - 1);
}

/// <summary>The pods this replica is writing (or wrote last), by key, in a fixed number of slots: the change stream
/// takes a write it sees with the same bytes from here instead of decoding it.</summary>
internal sealed class RecentWrites
{
    private const int Slots = 1 << 12;
    private readonly EncodedPod?[] _slots = new EncodedPod?[Slots];

    public EncodedPod? Get(PodKey key) => Volatile.Read(ref _slots[Slot(key)]) is { } pod && pod.Key == key ? pod : null;

    public void Put(EncodedPod pod) => Volatile.Write(ref _slots[Slot(pod.Key)], pod);

    private static int Slot(PodKey key) => key.GetHashCode() & (Slots - 1);
}
