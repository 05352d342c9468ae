namespace PodStatus.Api.Storage;

/// <summary>
/// Where pods live: in memory, or in etcd. Shaped as kube-apiserver's storage interface: every call is
/// asynchronous, every write is conditional on the revision the caller read (compare-and-swap), one global,
/// strictly increasing revision orders all writes, and the store tells its changes, in order, from any revision it
/// still keeps. A store that cannot be reached throws <see cref="StoreUnavailableException"/>.
/// </summary>
public interface IPodStore
{
    /// <summary>
    /// The pod as it stands now. With <paramref name="consistent"/> false, a version the store already holds (which
    /// may have been replaced since) will do: for the first try of a conditional write, which is checked anyway.
    /// </summary>
    ValueTask<StoredPod?> GetAsync(PodKey key, bool consistent = true, CancellationToken cancellationToken = default);

    /// <summary>Pods of one namespace (or all when <paramref name="namespace"/> is null) as they stand now.</summary>
    ValueTask<PodSnapshot> ListAsync(string? @namespace, CancellationToken cancellationToken = default);

    /// <summary>The same, as the pods stood at an earlier <paramref name="revision"/> (as etcd reads at a
    /// revision, for the later pages of a list); null when that revision is no longer kept.</summary>
    ValueTask<PodSnapshot?> ListAtAsync(string? @namespace, long revision, CancellationToken cancellationToken = default);

    /// <summary>Stores a new pod at the next revision; null when the key is taken.</summary>
    ValueTask<StoredPod?> CreateAsync(EncodedPod pod, CancellationToken cancellationToken = default);

    /// <summary>Replaces <paramref name="current"/> at the next revision; null when it is no longer the stored
    /// version (changed or deleted since it was read), so the caller reads again and retries.</summary>
    ValueTask<StoredPod?> UpdateAsync(StoredPod current, EncodedPod updated, CancellationToken cancellationToken = default);

    /// <summary>Removes <paramref name="current"/>; returns the deletion's revision, or null when it is no longer
    /// the stored version.</summary>
    ValueTask<long?> DeleteAsync(StoredPod current, CancellationToken cancellationToken = default);

    /// <summary>
    /// Loads seed pods. The in-memory store keeps the resourceVersions they carry (later revisions continue above
    /// the highest); etcd gives its own, and keeps a pod already stored under the same key as it is.
    /// </summary>
    ValueTask ImportAsync(IReadOnlyList<StoredPod> pods, CancellationToken cancellationToken = default);

    /// <summary>The revision of the newest write.</summary>
    ValueTask<long> RevisionAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Every change after <paramref name="revision"/>, in revision order, as it happens, until cancelled, and now
    /// and then word of the revision the store has reached. Throws <see cref="RevisionCompactedException"/> when
    /// changes after the revision are no longer kept, and <see cref="StoreUnavailableException"/> when the store
    /// cannot be reached.
    /// </summary>
    IAsyncEnumerable<StoreProgress> WatchAsync(long revision, CancellationToken cancellationToken);
}

/// <summary>One step of a store's change stream: a change, or (with no change) word that the store has reached
/// <see cref="Revision"/> with no change before it left to tell, as etcd's progress notifications.</summary>
public readonly record struct StoreProgress(PodEvent? Change, long Revision)
{
    public static implicit operator StoreProgress(PodEvent change) => new(change, change.ResourceVersion);
}

/// <summary>
/// The pods of one namespace (or all) as they stood at one revision, read in key order as they are enumerated, so a
/// list of a million pods starts at once and never holds them all. Writes go on meanwhile and do not show. Dispose
/// it when done: until then the store keeps the versions it may still need.
/// </summary>
public abstract class PodSnapshot(long resourceVersion) : IDisposable
{
    public long ResourceVersion { get; } = resourceVersion;

    /// <summary>The pods after <paramref name="after"/> (from the first when null), in key order.</summary>
    public abstract IAsyncEnumerable<StoredPod> ReadAsync(PodKey? after = null, CancellationToken cancellationToken = default);

    /// <summary>How many pods <see cref="ReadAsync"/> gives, without reading them.</summary>
    public abstract ValueTask<long> CountAsync(PodKey? after = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Asks the store to keep this snapshot for the later pages of its list (read through <see
    /// cref="IPodStore.ListAtAsync"/> at its revision) for a while after it is disposed, where the store cannot
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
