namespace PodStatus.Api.Storage;

/// <summary>
/// Where pods live. Shaped for a remote store as much as for memory: every call is asynchronous, every write is
/// conditional on the revision the caller read (compare-and-swap, as kube-apiserver does on etcd), and one global,
/// strictly increasing revision orders all writes.
/// </summary>
public interface IPodStore
{
    ValueTask<StoredPod?> GetAsync(PodKey key, CancellationToken cancellationToken = default);

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

    /// <summary>Loads pods with the resourceVersions they carry (seeding); later revisions continue above the highest.</summary>
    ValueTask ImportAsync(IReadOnlyList<StoredPod> pods, CancellationToken cancellationToken = default);
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
    public abstract IEnumerable<StoredPod> Read(PodKey? after = null);

    /// <summary>How many pods <see cref="Read"/> gives, without reading them.</summary>
    public abstract int Count(PodKey? after = null);

    /// <summary>
    /// Asks the store to keep this snapshot for the later pages of its list (read through <see
    /// cref="IPodStore.ListAtAsync"/> at its revision) for a while after it is disposed, where the store cannot
    /// otherwise read at an old revision for long.
    /// </summary>
    public virtual void KeepForLaterPages()
    {
    }

    public abstract void Dispose();
}
