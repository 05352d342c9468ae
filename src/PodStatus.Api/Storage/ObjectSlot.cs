namespace PodStatus.Api.Storage;

/// <summary>
/// Where the in-memory store keeps one key: its place in the store's <see cref="VersionTable"/>, which holds the
/// current version. The sorted key trees hold slots, so a write changes the table, not a tree, and a list walking the
/// trees reaches each object without hashing its key.
/// </summary>
internal sealed class ObjectSlot(ObjectKey key)
{
    /// <summary>Orders slots of one namespace by name, byte-wise, as upstream's storage keys.</summary>
    public static readonly IComparer<ObjectSlot> ByName = Comparer<ObjectSlot>.Create(static (a, b) => string.CompareOrdinal(a.Key.Name, b.Key.Name));

    public ObjectKey Key { get; } = key;

    /// <summary>Its entry in the version table; -1 for a slot made only to be compared.</summary>
    public int Index { get; init; } = -1;

    /// <summary>When the stored version expires (a time to live, as events have), or null.</summary>
    public DateTimeOffset? Expires;
}
