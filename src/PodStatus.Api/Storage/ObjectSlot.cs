namespace PodStatus.Api.Storage;

/// <summary>
/// Where the in-memory store keeps one key: its entry in the store's <see cref="VersionTable"/>, which holds the
/// current version, and the entry's generation when the key took it (an entry is reused once its key is removed).
/// The sorted key trees hold slots by value, so a write changes the table, not a tree, and a list walking the trees
/// goes from each tree node straight to the table, without hashing the key or reaching through another object.
/// </summary>
internal readonly struct ObjectSlot(ObjectKey key, int index, int generation)
{
    /// <summary>Orders slots of one namespace by name, byte-wise, as upstream's storage keys.</summary>
    public static readonly IComparer<ObjectSlot> ByName = Comparer<ObjectSlot>.Create(static (a, b) => string.CompareOrdinal(a.Key.Name, b.Key.Name));

    public ObjectKey Key { get; } = key;

    /// <summary>Its entry in the version table; -1 for a slot made only to be compared.</summary>
    public int Index { get; } = index;

    public int Generation { get; } = generation;

    /// <summary>A slot that only names <paramref name="key"/>, to find it among others.</summary>
    public static ObjectSlot Probe(ObjectKey key) => new(key, -1, 0);
}
