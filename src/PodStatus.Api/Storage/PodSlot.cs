namespace PodStatus.Api.Storage;

/// <summary>
/// Where the in-memory store keeps one key's current version. The sorted key trees hold slots, so a write changes
/// a slot, not a tree, and a list walking the trees reaches each pod without hashing its key.
/// </summary>
internal sealed class PodSlot(PodKey key)
{
    /// <summary>Orders slots of one namespace by name, byte-wise, as upstream's storage keys.</summary>
    public static readonly IComparer<PodSlot> ByName = Comparer<PodSlot>.Create(static (a, b) => string.CompareOrdinal(a.Key.Name, b.Key.Name));

    public PodKey Key { get; } = key;

    /// <summary>The stored version; null once the pod is deleted. Changed only under the store's write lock.</summary>
    public volatile StoredPod? Current;
}
