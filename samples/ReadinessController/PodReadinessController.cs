using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace ReadinessController;

/// <summary>
/// A small controller, written with the official C# client as any would be: it watches the pods of a namespace and
/// keeps each pod's <c>Ready</c> condition true exactly when all its containers report ready. A status write that
/// loses a race (409 Conflict) is retried on the pod as it now stands, as controllers must.
/// </summary>
public sealed class PodReadinessController(IKubernetes client, string @namespace)
{
    /// <summary>How often a conflicting write is tried again before the pod is left for its next event.</summary>
    public const int Attempts = 5;

    /// <summary>Watches the namespace and reconciles every pod it sees until cancelled; a watch that ends or is cut is opened again.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var pods = await client.CoreV1.ListNamespacedPodAsync(@namespace, cancellationToken: cancellationToken);
                foreach (var pod in pods.Items)
                {
                    await ReconcileAsync(pod.Metadata.Name, cancellationToken);
                }

                var changes = client.CoreV1.WatchListNamespacedPodAsync(@namespace, resourceVersion: pods.Metadata.ResourceVersion,
                    cancellationToken: cancellationToken);
                await foreach (var (type, pod) in changes)
                {
                    if (type is WatchEventType.Added or WatchEventType.Modified)
                    {
                        await ReconcileAsync(pod.Metadata.Name, cancellationToken);
                    }
                }
            }
            catch (Exception) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception error) when (error is HttpOperationException or HttpRequestException or IOException)
            {
                // The watch was cut or refused: list and watch again.
            }
        }
    }

    /// <summary>Brings one pod's Ready condition in line with its containers; returns whether it wrote.</summary>
    public async Task<bool> ReconcileAsync(string name, CancellationToken cancellationToken = default)
    {
        for (var attempt = 1; ; attempt++)
        {
            var pod = await client.CoreV1.ReadNamespacedPodAsync(name, @namespace, cancellationToken: cancellationToken);
            var statuses = pod.Status?.ContainerStatuses ?? [];
            var ready = statuses.Count > 0 && statuses.All(container => container.Ready);
            var wanted = ready ? "True" : "False";
            var conditions = pod.Status?.Conditions ?? [];
            if (conditions.Any(condition => condition.Type == "Ready" && condition.Status == wanted))
            {
                return false;
            }

            pod.Status ??= new V1PodStatus();
            pod.Status.Conditions = [.. conditions.Where(condition => condition.Type != "Ready"),
                new V1PodCondition { Type = "Ready", Status = wanted, LastTransitionTime = DateTime.UtcNow }];
            try
            {
                await client.CoreV1.ReplaceNamespacedPodStatusAsync(pod, name, @namespace, cancellationToken: cancellationToken);
                return true;
            }
            catch (HttpOperationException conflict) when (conflict.Response.StatusCode == HttpStatusCode.Conflict && attempt < Attempts)
            {
                // Someone wrote the pod since it was read: read it again and decide again.
            }
        }
    }
}
