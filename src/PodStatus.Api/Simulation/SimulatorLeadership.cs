using System.Globalization;
using k8s.Models;
using PodStatus.Api.Errors;
using PodStatus.Api.Registry;
using PodStatus.Api.Storage;

namespace PodStatus.Api.Simulation;

/// <summary>
/// Which replica simulates, when several share one etcd: the holder of the Lease <c>kube-system/podstatus-simulator</c>,
/// taken and renewed as client-go's leader election takes a LeaseLock (<c>tools/leaderelection</c>): a replica takes
/// a lease that does not exist or has expired, renews its own every <see cref="RetryPeriod"/>, and stops leading when
/// it cannot renew within <see cref="RenewDeadline"/> or finds another holder. Every write is conditional on the
/// version read, so two replicas never both hold it. A replica that stops gives the lease up, so another takes over
/// at once; one that dies is replaced once its lease expires.
/// </summary>
public sealed partial class SimulatorLeadership(Registries registries, SimulatorAccess access, TimeProvider clock, ILogger logger)
{
    public const string LeaseName = "podstatus-simulator";
    public const string LeaseNamespace = "kube-system";

    public static readonly TimeSpan LeaseDuration = TimeSpan.FromSeconds(15);
    public static readonly TimeSpan RenewDeadline = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan RetryPeriod = TimeSpan.FromSeconds(2);

    /// <summary>This replica's name in the lease.</summary>
    public string Identity { get; } = $"{Environment.MachineName}_{Guid.NewGuid():N}";

    private static ObjectKey Key => new(LeaseNamespace, LeaseName);

    /// <summary>Runs <paramref name="lead"/> whenever this replica holds the lease; its token ends when the lease is lost.</summary>
    public async Task RunAsync(Func<CancellationToken, Task> lead, CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            if (!await TryHoldAsync(stoppingToken))
            {
                await Task.Delay(RetryPeriod, clock, stoppingToken);
                continue;
            }

            LogMessages.Leading(logger, Identity);
            using var term = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            var leading = lead(term.Token);
            var renewed = clock.GetUtcNow();
            while (!stoppingToken.IsCancellationRequested && !leading.IsCompleted)
            {
                await Task.WhenAny(leading, Task.Delay(RetryPeriod, clock, stoppingToken)).ContinueWith(_ => { }, TaskScheduler.Default);
                if (await TryHoldAsync(CancellationToken.None))
                {
                    renewed = clock.GetUtcNow();
                }
                else if (clock.GetUtcNow() - renewed > RenewDeadline || await HolderAsync() is { } other && other != Identity)
                {
                    LogMessages.Lost(logger, Identity);
                    break;
                }
            }

            await term.CancelAsync();
            try
            {
                await leading;
            }
            catch (OperationCanceledException)
            {
            }
            catch (StoreUnavailableException error)
            {
                // The term ended on an unreachable store; the next one starts once the lease can be held again.
                LogMessages.TermFailed(logger, error.Message);
            }
        }

        await ReleaseAsync();
    }

    /// <summary>Takes or renews the lease; false when another replica holds it, or it could not be written.</summary>
    private async Task<bool> TryHoldAsync(CancellationToken cancellationToken)
    {
        var leases = registries.Of<V1Lease>();
        var now = clock.GetUtcNow().UtcDateTime;
        try
        {
            if (await leases.Store.GetAsync(Key, consistent: true, cancellationToken) is not { } current)
            {
                var lease = new V1Lease
                {
                    Metadata = new V1ObjectMeta { Name = LeaseName, NamespaceProperty = LeaseNamespace },
                    Spec = new V1LeaseSpec
                    {
                        HolderIdentity = Identity,
                        LeaseDurationSeconds = (int)LeaseDuration.TotalSeconds,
                        AcquireTime = now,
                        RenewTime = now,
                        LeaseTransitions = 0,
                    },
                };
                await access.WriteAsync("create", leases.Resource, Key, "", async () => await leases.CreateAsync(LeaseNamespace, lease, dryRun: false, cancellationToken));
                return true;
            }

            var value = leases.Strategy.Decode(current.Object);
            var spec = value.Spec ??= new V1LeaseSpec();
            var ours = spec.HolderIdentity == Identity;
            var expired = string.IsNullOrEmpty(spec.HolderIdentity) || spec.RenewTime is not { } renewTime ||
                renewTime.AddSeconds(spec.LeaseDurationSeconds ?? 0) < now;
            if (!ours && !expired)
            {
                return false;
            }

            if (!ours)
            {
                (spec.HolderIdentity, spec.AcquireTime, spec.LeaseTransitions) = (Identity, now, (spec.LeaseTransitions ?? 0) + 1);
            }

            (spec.RenewTime, spec.LeaseDurationSeconds) = (now, (int)LeaseDuration.TotalSeconds);
            value.Metadata.ResourceVersion = current.ResourceVersion.ToString(CultureInfo.InvariantCulture);
            await access.WriteAsync("update", leases.Resource, Key, "",
                async () => await leases.UpdateAsync(Key, _ => value, "", uidIsPrecondition: false, dryRun: false, cancellationToken));
            return true;
        }
        catch (Exception error) when (error is StatusException or StoreUnavailableException)
        {
            return false;
        }
    }

    private async Task<string?> HolderAsync()
    {
        try
        {
            return await registries.Of<V1Lease>().Store.GetAsync(Key, consistent: true) is { } current
                ? registries.Of<V1Lease>().Strategy.Decode(current.Object).Spec?.HolderIdentity
                : null;
        }
        catch (StoreUnavailableException)
        {
            return null;
        }
    }

    /// <summary>client-go's ReleaseOnCancel: the lease is left held by no one, so another replica takes it at once.</summary>
    private async Task ReleaseAsync()
    {
        var leases = registries.Of<V1Lease>();
        try
        {
            await leases.UpdateAsync(Key, current =>
            {
                var value = leases.Strategy.Decode(current.Object);
                if (value.Spec?.HolderIdentity != Identity)
                {
                    throw StatusErrors.Conflict(leases.Resource.GroupResource, LeaseName, "held by another replica").AsException();
                }

                value.Metadata.ResourceVersion = current.ResourceVersion.ToString(CultureInfo.InvariantCulture);
                (value.Spec.HolderIdentity, value.Spec.LeaseDurationSeconds) = (null, 1);
                return value;
            }, "", uidIsPrecondition: false, dryRun: false, CancellationToken.None);
        }
        catch (Exception error) when (error is StatusException or StoreUnavailableException)
        {
            // Held by another, gone, or unreachable: it expires by itself.
        }
    }

    private static partial class LogMessages
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "This replica ({Identity}) now simulates pods and nodes")]
        public static partial void Leading(ILogger logger, string identity);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Simulating stopped: {Reason}")]
        public static partial void TermFailed(ILogger logger, string reason);

        [LoggerMessage(Level = LogLevel.Warning, Message = "This replica ({Identity}) lost the simulator's lease and stops simulating")]
        public static partial void Lost(ILogger logger, string identity);
    }
}
