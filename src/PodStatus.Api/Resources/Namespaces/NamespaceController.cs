using k8s.Models;
using PodStatus.Api.Errors;
using PodStatus.Api.Registry;
using PodStatus.Api.Storage;

namespace PodStatus.Api.Resources.Namespaces;

/// <summary>
/// Plays the namespace controller's part (kube-controller-manager's <c>namespace</c> controller): a namespace being
/// deleted is emptied (every object in it deleted, pods gracefully, as any client's delete), and once nothing is
/// left its <c>kubernetes</c> finalizer is removed through <c>namespaces/finalize</c>, which removes the namespace.
/// It wakes on every change of a namespace and, while a namespace still holds objects, every 200 ms; every
/// replica runs it, and what one does the others find done.
/// </summary>
public sealed partial class NamespaceController(Registries registries, ILogger<NamespaceController> logger) : BackgroundService
{
    private static readonly TimeSpan Recheck = TimeSpan.FromMilliseconds(200);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var namespaces = registries.Of<V1Namespace>();
        var log = namespaces.Cache.Log;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var seen = log.Count;
                var emptying = false;
                foreach (var name in await TerminatingAsync(namespaces, stoppingToken))
                {
                    emptying |= !await FinalizeAsync(namespaces, name, stoppingToken);
                }

                var changed = log.WaitBeyondAsync(seen, stoppingToken);
                await (emptying ? Task.WhenAny(changed, Task.Delay(Recheck, stoppingToken)) : changed);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception error) when (error is StoreUnavailableException or StatusException)
            {
                LogMessages.Retrying(logger, error.Message);
                try
                {
                    await Task.Delay(Recheck, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private static async Task<List<string>> TerminatingAsync(Registry<V1Namespace> namespaces, CancellationToken cancellationToken)
    {
        using var all = await namespaces.Store.ListAsync(null, cancellationToken);
        return await all.ReadAsync(cancellationToken: cancellationToken)
            .Where(stored => stored.Object.Fields.Field(0) == NamespaceStrategy.Terminating)
            .Select(stored => stored.Key.Name)
            .ToListAsync(cancellationToken);
    }

    /// <summary>Deletes what the namespace holds; once it is empty, finalizes it. Returns whether it is done.</summary>
    private async Task<bool> FinalizeAsync(Registry<V1Namespace> namespaces, string name, CancellationToken cancellationToken)
    {
        var remaining = 0;
        foreach (var registry in registries.All.Where(registry => registry.Resource.Namespaced))
        {
            // As upstream's namespace deleter: a delete of each resource's collection, then a count of what it left
            // (pods in their grace period, objects held by finalizers), which the next pass looks at again.
            try
            {
                using (await registry.DeleteCollectionAsync(name, ListOptions.All, new V1DeleteOptions(), cancellationToken))
                {
                }
            }
            catch (StatusException changed) when (changed.Status.Code == 409)
            {
                remaining++;
            }

            using var left = await registry.ListAsync(name, ListOptions.All, exactRevision: null, cancellationToken);
            remaining += await left.Items.CountAsync(cancellationToken);
        }

        if (remaining > 0)
        {
            return false;
        }

        // Empty: the kubernetes finalizer goes, and with it (when nothing else holds it) the namespace.
        try
        {
            await namespaces.UpdateAsync(ObjectKey.Cluster(name), stored =>
            {
                var value = namespaces.Strategy.Decode(stored.Object);
                value.Spec?.Finalizers?.Remove(NamespaceStrategy.KubernetesFinalizer);
                return value;
            }, "finalize", uidIsPrecondition: false, dryRun: false, cancellationToken);
        }
        catch (StatusException error) when (error.Status.Code == 404)
        {
            // Another replica finished it.
        }

        // As upstream's system namespaces controller, the server keeps its own namespaces (the rest are immortal).
        await SystemNamespaces.EnsureAsync(namespaces, SystemNamespaces.Names, cancellationToken);
        return true;
    }

    private static partial class LogMessages
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "Deleting a namespace's contents failed ({Reason}); trying again")]
        public static partial void Retrying(ILogger logger, string reason);
    }
}
