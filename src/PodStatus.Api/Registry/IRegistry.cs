using k8s.Models;
using PodStatus.Api.Schema;
using PodStatus.Api.Storage;
using PodStatus.Api.Watch;

namespace PodStatus.Api.Registry;

/// <summary>A resource's registry without its type: what works across resources (seeding, a namespace's deletion, metrics).</summary>
public interface IRegistry
{
    ApiResource Resource { get; }

    IStore Store { get; }

    WatchCache Cache { get; }

    ValueTask<StoredObject> GetAsync(ObjectKey key, CancellationToken cancellationToken);

    ValueTask<ListPage> ListAsync(string? @namespace, ListOptions options, long? exactRevision, CancellationToken cancellationToken);

    ValueTask<(StoredObject Value, bool Removed)> DeleteAsync(ObjectKey key, V1DeleteOptions options, CancellationToken cancellationToken);

    ValueTask<ListPage> DeleteCollectionAsync(string? @namespace, ListOptions options, V1DeleteOptions deleteOptions, CancellationToken cancellationToken);

    /// <summary>
    /// An object of a seed file, as it will be stored: a namespaced one without a namespace in <c>default</c>, with a
    /// uid and creationTimestamp when it has none, at the resourceVersion it gives (0 when none).
    /// <paramref name="where"/> starts the message of what is wrong with it (<c>items[3]: </c>).
    /// </summary>
    StoredObject ReadSeed(ReadOnlySpan<byte> json, DateTime now, string where);

    /// <summary>Picks up a graceful deletion under way in a loaded object.</summary>
    void ResumeGracefulDeletion(StoredObject value);
}
