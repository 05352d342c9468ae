using System.Runtime.CompilerServices;
using Etcdserverpb;

namespace PodStatus.Api.Storage.Etcd;

/// <summary>
/// A list read from etcd at one revision, a page of <see cref="EtcdStore.PageSize"/> keys at a time, so a large
/// list streams and etcd keeps serving writes between pages. The first page is read when the snapshot is taken,
/// which fixes its revision (and surfaces an unreachable etcd before a response has started).
/// </summary>
internal sealed class EtcdSnapshot(EtcdStore store, string? @namespace, long revision, RangeResponse firstPage) : Snapshot(revision)
{
    public override async IAsyncEnumerable<StoredObject> ReadAsync(ObjectKey? after = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var page = after is null ? firstPage : await store.RangeAsync(@namespace, after, ResourceVersion, cancellationToken);
        while (true)
        {
            ObjectKey? last = null;
            foreach (var kv in page.Kvs)
            {
                var value = store.ToStored(kv);
                last = value.Key;
                yield return value;
            }

            if (!page.More || last is null)
            {
                yield break;
            }

            page = await store.RangeAsync(@namespace, last, ResourceVersion, cancellationToken);
        }
    }

    public override async ValueTask<long> CountAsync(ObjectKey? after = null, CancellationToken cancellationToken = default) =>
        after is null ? firstPage.Count : await store.CountAsync(@namespace, after, ResourceVersion, cancellationToken);
}
