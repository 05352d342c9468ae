using k8s;
using Microsoft.AspNetCore.Http;
using PodStatus.Api.Security;
using PodStatus.Api.Storage;

namespace PodStatus.Testing;

/// <summary>
/// The server's store, with every write it takes recorded in order, with the request that made it: the history a
/// test reads to see what a controller did, not only where it ended.
/// </summary>
internal sealed class RecordingPodStore(IPodStore store, IHttpContextAccessor requests) : IPodStore
{
    private readonly Lock _lock = new();
    private readonly List<(StoredPod Stored, WatchEventType Type, PodWriter Writer)> _changes = [];

    public IReadOnlyList<PodChange> HistoryOf(string @namespace, string name)
    {
        lock (_lock)
        {
            return _changes.Where(change => change.Stored.Key == new PodKey(@namespace, name))
                .Select(change => new PodChange(change.Stored.ResourceVersion, change.Type, Decode(change.Stored), change.Writer))
                .ToArray();
        }
    }

    public ValueTask<StoredPod?> GetAsync(PodKey key, bool consistent = true, CancellationToken cancellationToken = default) =>
        store.GetAsync(key, consistent, cancellationToken);

    public ValueTask<PodSnapshot> ListAsync(string? @namespace, CancellationToken cancellationToken = default) =>
        store.ListAsync(@namespace, cancellationToken);

    public ValueTask<PodSnapshot?> ListAtAsync(string? @namespace, long revision, CancellationToken cancellationToken = default) =>
        store.ListAtAsync(@namespace, revision, cancellationToken);

    public async ValueTask<StoredPod?> CreateAsync(EncodedPod pod, CancellationToken cancellationToken = default) =>
        Record(await store.CreateAsync(pod, cancellationToken), WatchEventType.Added);

    public async ValueTask<StoredPod?> UpdateAsync(StoredPod current, EncodedPod updated, CancellationToken cancellationToken = default) =>
        Record(await store.UpdateAsync(current, updated, cancellationToken), WatchEventType.Modified);

    public async ValueTask<long?> DeleteAsync(StoredPod current, CancellationToken cancellationToken = default)
    {
        var revision = await store.DeleteAsync(current, cancellationToken);
        if (revision is { } deleted)
        {
            Record(current with { ResourceVersion = deleted }, WatchEventType.Deleted);
        }

        return revision;
    }

    public ValueTask ImportAsync(IReadOnlyList<StoredPod> pods, CancellationToken cancellationToken = default) =>
        store.ImportAsync(pods, cancellationToken);

    public ValueTask<long> RevisionAsync(CancellationToken cancellationToken = default) => store.RevisionAsync(cancellationToken);

    public IAsyncEnumerable<StoreProgress> WatchAsync(long revision, CancellationToken cancellationToken) =>
        store.WatchAsync(revision, cancellationToken);

    private StoredPod? Record(StoredPod? stored, WatchEventType type)
    {
        if (stored is not null)
        {
            var writer = Writer();
            lock (_lock)
            {
                _changes.Add((stored, type, writer));
            }
        }

        return stored;
    }

    private PodWriter Writer()
    {
        if (requests.HttpContext is not { } context)
        {
            return PodWriter.Server;
        }

        var request = RequestAttributes.Of(context);
        return new PodWriter(KubeUser.From(context.User).Name, context.Request.Headers.UserAgent.ToString(), request.Verb, request.Subresource);
    }

    private static k8s.Models.V1Pod Decode(StoredPod stored)
    {
        var pod = stored.Pod.Decode();
        pod.Metadata.ResourceVersion = stored.ResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return pod;
    }
}
