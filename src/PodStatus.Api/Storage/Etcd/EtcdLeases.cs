using Etcdserverpb;
using Grpc.Core;

namespace PodStatus.Api.Storage.Etcd;

/// <summary>
/// The leases that end objects with a time to live, as upstream's <c>leaseManager</c> hands them out
/// (<c>apiserver/pkg/storage/etcd3/lease_manager.go</c>): one lease is granted a little longer than the time to live
/// (5% more, at most a minute) and attached to every write for that little while, up to 1,000 objects, so a storm
/// of events costs etcd a few leases rather than one each. An object then lives between its time to live and that
/// much more.
/// </summary>
internal sealed class EtcdLeases(Lease.LeaseClient leases, TimeSpan timeToLive, TimeSpan timeout)
{
    private const int MostAttached = 1000;

    private readonly long _ttlSeconds = Math.Max(1, (long)Math.Ceiling(timeToLive.TotalSeconds));
    private readonly SemaphoreSlim _granting = new(1, 1);
    private long _leaseId;
    private DateTime _leaseEnds;
    private int _attached;

    /// <summary>A lease that lasts at least the time to live from now.</summary>
    public async ValueTask<long> LeaseAsync(CancellationToken cancellationToken)
    {
        await _granting.WaitAsync(cancellationToken);
        try
        {
            var now = DateTime.UtcNow;
            var reuse = Math.Min(60, (long)(_ttlSeconds * 0.05));
            var valid = now.AddSeconds(_ttlSeconds) < _leaseEnds;
            if (valid && ++_attached <= MostAttached)
            {
                return _leaseId;
            }

            var seconds = _ttlSeconds + reuse;
            var granted = await EtcdStore.Unavailable(
                () => leases.LeaseGrantAsync(new LeaseGrantRequest { TTL = seconds }, new CallOptions(deadline: DateTime.UtcNow + timeout, cancellationToken: cancellationToken)).ResponseAsync,
                cancellationToken);
            (_leaseId, _leaseEnds, _attached) = (granted.ID, now.AddSeconds(seconds), 1);
            return _leaseId;
        }
        finally
        {
            _granting.Release();
        }
    }
}
