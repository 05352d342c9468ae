namespace PodStatus.Api.Storage;

/// <summary>
/// Where one resource's objects live: in memory, or in etcd. Shaped as kube-apiserver's storage interface: every
/// call is asynchronous, every write is conditional on the revision the caller read (compare-and-swap), one global,
/// strictly increasing revision orders all writes of every resource (as etcd's does), and the store tells its
/// changes, in order, from any revision it still keeps. A store that cannot be reached throws
/// <see cref="StoreUnavailableException"/>.
/// </summary>
public interface IStore
{
    /// <summary>
    /// The object as it stands now. With <paramref name="consistent"/> false, a version the store already holds
    /// (which may have been replaced since) will do: for the first try of a conditional write, which is checked anyway.
    /// </summary>
    ValueTask<StoredObject?> GetAsync(ObjectKey key, bool consistent = true, CancellationToken cancellationToken = default);

    /// <summary>Objects of one namespace (or all when <paramref name="namespace"/> is null) as they stand now.</summary>
    ValueTask<Snapshot> ListAsync(string? @namespace, CancellationToken cancellationToken = default);

    /// <summary>The same, as the objects stood at an earlier <paramref name="revision"/> (as etcd reads at a
    /// revision, for the later pages of a list); null when that revision is no longer kept.</summary>
    ValueTask<Snapshot?> ListAtAsync(string? @namespace, long revision, CancellationToken cancellationToken = default);

    /// <summary>Stores a new object at the next revision; null when the key is taken.</summary>
    ValueTask<StoredObject?> CreateAsync(EncodedObject value, CancellationToken cancellationToken = default);

    /// <summary>Replaces <paramref name="current"/> at the next revision; null when it is no longer the stored
    /// version (changed or deleted since it was read), so the caller reads again and retries.</summary>
    ValueTask<StoredObject?> UpdateAsync(StoredObject current, EncodedObject updated, CancellationToken cancellationToken = default);

    /// <summary>Removes <paramref name="current"/>; returns the deletion's revision, or null when it is no longer
    /// the stored version.</summary>
    ValueTask<long?> DeleteAsync(StoredObject current, CancellationToken cancellationToken = default);

    /// <summary>
    /// Loads seed objects. The in-memory store keeps the resourceVersions they carry (later revisions continue
    /// above the highest); etcd gives its own, and keeps an object already stored under the same key as it is.
    /// </summary>
    ValueTask ImportAsync(IReadOnlyList<StoredObject> objects, CancellationToken cancellationToken = default);

    /// <summary>The revision of the newest write (of any resource).</summary>
    ValueTask<long> RevisionAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Every change after <paramref name="revision"/>, in revision order, as it happens, until cancelled, and now
    /// and then word of the revision the store has reached. Throws <see cref="RevisionCompactedException"/> when
    /// changes after the revision are no longer kept, and <see cref="StoreUnavailableException"/> when the store
    /// cannot be reached.
    /// </summary>
    IAsyncEnumerable<StoreProgress> WatchAsync(long revision, CancellationToken cancellationToken);

    /// <summary>
    /// Asks the change stream to tell, soon, the revision the store has reached, though no change of this resource
    /// comes with it (etcd's progress request): for a reader that waits for a revision other resources' writes made.
    /// </summary>
    void RequestProgress();

    /// <summary>
    /// Whether the store appends its changes to <paramref name="log"/> itself, as it makes them (from the revision it
    /// has reached now): a store in this process does, so a watch cache never falls behind it however busy the
    /// machine is (a reader of <see cref="WatchAsync"/> that falls a whole history behind is ended); a store whose
    /// changes come over the network (etcd) does not, and is followed with <see cref="WatchAsync"/>.
    /// </summary>
    bool TryFeed(ChangeLog log) => false;
}

/// <summary>One step of a store's change stream: a change, or (with no change) word that the store has reached
/// <see cref="Revision"/> with no change before it left to tell, as etcd's progress notifications.</summary>
public readonly record struct StoreProgress(ObjectEvent? Change, long Revision)
{
    public static implicit operator StoreProgress(ObjectEvent change) => new(change, change.ResourceVersion);
}

/// <summary>
/// The objects of one namespace (or all) as they stood at one revision, read in key order as they are enumerated,
/// so a list of a million objects starts at once and never holds them all. Writes go on meanwhile and do not show.
/// Dispose it when done: until then the store keeps the versions it may still need.
/// </summary>
public abstract class Snapshot(long resourceVersion) : IDisposable
{
    public long ResourceVersion { get; } = resourceVersion;

    /// <summary>The objects after <paramref name="after"/> (from the first when null), in key order.</summary>
    public abstract IAsyncEnumerable<StoredObject> ReadAsync(ObjectKey? after = null, CancellationToken cancellationToken = default);

    /// <summary>How many objects <see cref="ReadAsync"/> gives, without reading them.</summary>
    public abstract ValueTask<long> CountAsync(ObjectKey? after = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Asks the store to keep this snapshot for the later pages of its list (read through <see
    /// cref="IStore.ListAtAsync"/> at its revision) for a while after it is disposed, where the store cannot
    /// otherwise read at an old revision for long.
    /// </summary>
    public virtual void KeepForLaterPages()
    {
    }

    public virtual void Dispose()
    {
    }
}

/// <summary>The store cannot be reached (etcd down, or not answering in time): the request gets 503.</summary>
public sealed class StoreUnavailableException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>Changes after the revision asked for are no longer kept (etcd compacted them).</summary>
public sealed class RevisionCompactedException(long revision, long compacted)
    : Exception($"revision {revision} has been compacted (oldest kept: {compacted})")
{
    public long Compacted { get; } = compacted;
}
