namespace PodStatus.Api.Storage;

/// <summary>Makes each resource's store, all of one kind (memory or etcd, as the settings say), sharing one revision.</summary>
public interface IStoreFactory
{
    /// <param name="resource">The resource's part of its storage keys (<c>pods</c>, <c>minions</c>).</param>
    /// <param name="decode">Reads a stored value back into its encoded form (etcd holds bytes).</param>
    /// <param name="timeToLive">How long an object lives after its last write, or null for ever.</param>
    IStore Create(string resource, Func<ReadOnlyMemory<byte>, EncodedObject> decode, TimeSpan? timeToLive);
}

/// <summary>In-memory stores: one lock and one revision counter for all, as etcd's revision is one for every key.</summary>
public sealed class InMemoryStores(int historySize, TimeProvider clock) : IStoreFactory
{
    private readonly Revisions _revisions = new();

    public IStore Create(string resource, Func<ReadOnlyMemory<byte>, EncodedObject> decode, TimeSpan? timeToLive) =>
        new InMemoryStore(_revisions, historySize, clock, timeToLive);
}
