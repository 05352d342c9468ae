namespace PodStatus.Api.Storage;

/// <summary>
/// Where the in-memory store keeps one key's current version. The sorted key trees hold slots, so a write changes
/// a slot, not a tree, and a list walking the trees reaches each object without hashing its key.
/// </summary>
internal sealed class ObjectSlot(ObjectKey key)
{
    /// <summary>Orders slots of one namespace by name, byte-wise, as upstream's storage keys.</summary>
    public static readonly IComparer<ObjectSlot> ByName = Comparer<ObjectSlot>.Create(static (a, b) => string.CompareOrdinal(a.Key.Name, b.Key.Name));

    public ObjectKey Key { get; } = key;

    /// <summary>The stored version; null once the object is deleted. Changed only under the store's write lock.</summary>
    public volatile StoredObject? Current;

    /// <summary>When the stored version expires (a time to live, as events have), or null.</summary>
    public DateTimeOffset? Expires;
}
