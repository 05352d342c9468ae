using System.Runtime.CompilerServices;
using Etcdserverpb;

namespace PodStatus.Api.Storage.Etcd;

/// <summary>
/// A list read from etcd at one revision, a page of <see cref="EtcdPodStore.PageSize"/> keys at a time, so a large
/// list streams and etcd keeps serving writes between pages. The first page is read when the snapshot is taken,
/// which fixes its revision (and surfaces an unreachable etcd before a response has started).
/// </summary>
internal sealed class EtcdSnapshot(EtcdPodStore store, string? @namespace, long revision, RangeResponse firstPage) : PodSnapshot(revision)
{
    public override async IAsyncEnumerable<StoredPod> ReadAsync(PodKey? after = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var page = after is null ? firstPage : await store.RangeAsync(@namespace, after, ResourceVersion, cancellationToken);
        while (true)
        {
            PodKey? last = null;
            foreach (var kv in page.Kvs)
            {
                var pod = store.ToStored(kv);
                last = pod.Key;
                yield return pod;
            }

            if (!page.More || last is null)
            {
                yield break;
            }

            page = await store.RangeAsync(@namespace, last, ResourceVersion, cancellationToken);
        }
    }

    public override async ValueTask<long> CountAsync(PodKey? after = null, CancellationToken cancellationToken = default) =>
        after is null ? firstPage.Count : await store.CountAsync(@namespace, after, ResourceVersion, cancellationToken);
}
