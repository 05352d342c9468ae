using System.Globalization;
using k8s.Models;
using PodStatus.Api.Errors;
using PodStatus.Api.Registry;
using PodStatus.Api.Simulation.Lifecycle;
using PodStatus.Api.Storage;

namespace PodStatus.Api.Simulation;

/// <summary>
/// The Lease each simulated node renews in <c>kube-node-lease</c>, as a kubelet's node lease controller (and KWOK's)
/// renews it: named after the node, held by it, owned by it, lasting <c>Simulation:NodeLeaseDurationSeconds</c> and
/// renewed every quarter of that, every renewal a write conditional on the version it read. Off when the duration is 0.
/// </summary>
public sealed partial class NodeLeases(Registries registries, SimulatorAccess access, TimeProvider clock, int durationSeconds, ILogger logger) : IDisposable
{
    public const string Namespace = "kube-node-lease";

    private readonly DueQueue<string, (string Name, string Uid)> _renewals = new(clock);

    private TimeSpan Interval => TimeSpan.FromSeconds(durationSeconds / 4.0);

    /// <summary>A node simulated from now on: its lease is renewed at once, then every interval.</summary>
    public void Hold(string node, string uid)
    {
        if (durationSeconds > 0)
        {
            _renewals.Schedule(node, (node, uid), TimeSpan.Zero);
        }
    }

    /// <summary>A node no longer simulated: its lease is left to expire.</summary>
    public void Release(string node) => _renewals.Cancel(node);

    /// <summary>Forgets every node (another replica simulates now).</summary>
    public void Clear() => _renewals.Clear();

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await foreach (var (node, uid) in _renewals.Ready.ReadAllAsync(cancellationToken))
        {
            try
            {
                await RenewAsync(node, uid, cancellationToken);
            }
            catch (StatusException error)
            {
                LogMessages.NotRenewed(logger, node, error.Status.Message);
            }
            catch (StoreUnavailableException error)
            {
                LogMessages.NotRenewed(logger, node, error.Message);
            }

            _renewals.Schedule(node, (node, uid), Interval);
        }
    }

    private async Task RenewAsync(string node, string uid, CancellationToken cancellationToken)
    {
        var leases = registries.Of<V1Lease>();
        var key = new ObjectKey(Namespace, node);
        var now = clock.GetUtcNow().UtcDateTime;
        if (await leases.Store.GetAsync(key, consistent: false, cancellationToken) is not { } current)
        {
            var lease = new V1Lease
            {
                Metadata = new V1ObjectMeta
                {
                    Name = node,
                    NamespaceProperty = Namespace,
                    OwnerReferences = [new V1OwnerReference { ApiVersion = "v1", Kind = "Node", Name = node, Uid = uid }],
                },
                Spec = new V1LeaseSpec { HolderIdentity = node, LeaseDurationSeconds = durationSeconds, RenewTime = now },
            };
            try
            {
                await access.WriteAsync("create", leases.Resource, key, "", async () => await leases.CreateAsync(Namespace, lease, dryRun: false, cancellationToken));
                return;
            }
            catch (StatusException error) when (error.Status.Code == 409)
            {
                current = await leases.GetAsync(key, cancellationToken);
            }
        }

        await access.WriteAsync("update", leases.Resource, key, "", async () => await leases.UpdateAsync(key, stored =>
        {
            var lease = leases.Strategy.Decode(current.Object);
            lease.Metadata.ResourceVersion = current.ResourceVersion.ToString(CultureInfo.InvariantCulture);
            lease.Spec ??= new V1LeaseSpec();
            (lease.Spec.HolderIdentity, lease.Spec.LeaseDurationSeconds, lease.Spec.RenewTime) = (node, durationSeconds, now);
            return lease;
        }, "", uidIsPrecondition: false, dryRun: false, cancellationToken));
    }

    public void Dispose() => _renewals.Dispose();

    private static partial class LogMessages
    {
        [LoggerMessage(Level = LogLevel.Warning, Message = "The lease of node {Node} was not renewed: {Reason}")]
        public static partial void NotRenewed(ILogger logger, string node, string reason);
    }
}
