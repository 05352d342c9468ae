using k8s;
using Microsoft.AspNetCore.Http;
using PodStatus.Api.Security;
using PodStatus.Api.Storage;

namespace PodStatus.Testing;

/// <summary>
/// The server's stores, with every write they take recorded in order, with the request that made it: the history a
/// test reads to see what a controller did, not only where it ended.
/// </summary>
internal sealed class ChangeRecorder(IStoreFactory stores, IHttpContextAccessor requests) : IStoreFactory
{
    private readonly Lock _lock = new();
    private readonly List<(string Resource, StoredObject Stored, WatchEventType Type, Writer Writer)> _changes = [];

    public IStore Create(string resource, Func<ReadOnlyMemory<byte>, EncodedObject> decode, TimeSpan? timeToLive) =>
        new RecordingStore(stores.Create(resource, decode, timeToLive), this, resource);

    /// <summary>The changes to the object <paramref name="key"/> of the resource stored as <paramref name="resource"/>, oldest first.</summary>
    public IReadOnlyList<(StoredObject Stored, WatchEventType Type, Writer Writer)> Of(string resource, ObjectKey key)
    {
        lock (_lock)
        {
            return [.. _changes.Where(change => change.Resource == resource && change.Stored.Key == key).Select(change => (change.Stored, change.Type, change.Writer))];
        }
    }

    public StoredObject? Record(string resource, StoredObject? stored, WatchEventType type)
    {
        if (stored is not null)
        {
            var writer = Writer();
            lock (_lock)
            {
                _changes.Add((resource, stored, type, writer));
            }
        }

        return stored;
    }

    private Writer Writer()
    {
        if (requests.HttpContext is not { } context)
        {
            // No request: the simulation's writes name their user and verb; the rest are the server's own.
            return PodStatus.Api.Simulation.SimulatorAccess.Current is { } simulated
                ? new Writer(PodStatus.Api.Simulation.SimulatorAccess.User.Name, PodStatus.Api.Simulation.SimulatorAccess.UserAgent, simulated.Verb, simulated.Subresource)
                : Testing.Writer.Server;
        }

        var request = RequestAttributes.Of(context);
        return new Writer(KubeUser.From(context.User).Name, context.Request.Headers.UserAgent.ToString(), request.Verb, request.Subresource);
    }

    /// <summary>One resource's store, recording every write it takes.</summary>
    private sealed class RecordingStore(IStore store, ChangeRecorder recorder, string resource) : IStore
    {
        public ValueTask<StoredObject?> GetAsync(ObjectKey key, bool consistent = true, CancellationToken cancellationToken = default) =>
            store.GetAsync(key, consistent, cancellationToken);

        public ValueTask<Snapshot> ListAsync(string? @namespace, CancellationToken cancellationToken = default) =>
            store.ListAsync(@namespace, cancellationToken);

        public ValueTask<Snapshot?> ListAtAsync(string? @namespace, long revision, CancellationToken cancellationToken = default) =>
            store.ListAtAsync(@namespace, revision, cancellationToken);

        public async ValueTask<StoredObject?> CreateAsync(EncodedObject value, CancellationToken cancellationToken = default) =>
            recorder.Record(resource, await store.CreateAsync(value, cancellationToken), WatchEventType.Added);

        public async ValueTask<StoredObject?> UpdateAsync(StoredObject current, EncodedObject updated, CancellationToken cancellationToken = default) =>
            recorder.Record(resource, await store.UpdateAsync(current, updated, cancellationToken), WatchEventType.Modified);

        public async ValueTask<long?> DeleteAsync(StoredObject current, CancellationToken cancellationToken = default)
        {
            var revision = await store.DeleteAsync(current, cancellationToken);
            if (revision is { } deleted)
            {
                recorder.Record(resource, current with { ResourceVersion = deleted }, WatchEventType.Deleted);
            }

            return revision;
        }

        public ValueTask ImportAsync(IReadOnlyList<StoredObject> objects, CancellationToken cancellationToken = default) =>
            store.ImportAsync(objects, cancellationToken);

        public ValueTask<long> RevisionAsync(CancellationToken cancellationToken = default) => store.RevisionAsync(cancellationToken);

        public IAsyncEnumerable<StoreProgress> WatchAsync(long revision, CancellationToken cancellationToken) =>
            store.WatchAsync(revision, cancellationToken);

        public void RequestProgress() => store.RequestProgress();

        public bool TryFeed(ChangeLog log) => store.TryFeed(log);
    }
}
