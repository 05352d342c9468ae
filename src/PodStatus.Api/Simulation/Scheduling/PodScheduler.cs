using System.Collections.Concurrent;
using System.Threading.Channels;
using k8s.Models;
using PodStatus.Api.Errors;
using PodStatus.Api.Registry;
using PodStatus.Api.Resources.Pods;
using PodStatus.Api.Storage;

namespace PodStatus.Api.Simulation.Scheduling;

/// <summary>
/// Binds unscheduled pods to simulated nodes (<c>Simulation:Schedule</c>), as kube-scheduler would in the plainest
/// cluster: a Pending pod with no node, for <c>default-scheduler</c>, not being deleted and without scheduling gates,
/// goes to a simulated node that is Ready and schedulable (not cordoned, no NoSchedule or NoExecute taint) and has
/// every label of the pod's nodeSelector; the nodes take pods in turn, so they spread evenly. The binding is a POST of
/// <c>pods/binding</c> as the simulator, with kube-scheduler's <c>Scheduled</c> event. A pod no node can take waits
/// until a node becomes schedulable. Resource requests, affinity and tolerations are not considered.
/// </summary>
public sealed partial class PodScheduler(Registry<V1Pod> pods, SimulatorAccess access, EventRecorder events, ILogger logger)
{
    public const string SchedulerName = "default-scheduler";

    // Not SingleReader: that channel cannot count what it holds, which IsIdle asks.
    private readonly Channel<StoredObject> _queue = Channel.CreateUnbounded<StoredObject>();
    private readonly Lock _lock = new();
    private readonly SortedDictionary<string, IDictionary<string, string>?> _nodes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<ObjectKey, bool> _waiting = new();
    private KeyValuePair<string, IDictionary<string, string>?>[] _order = [];
    private int _next;
    private int _binding;

    /// <summary>A simulated node's state (null: gone, or no longer simulated).</summary>
    public void ObserveNode(string name, V1Node? node)
    {
        var schedulable = node is not null &&
            node.Status?.Conditions?.Any(condition => condition.Type == "Ready" && condition.Status == "True") == true &&
            node.Spec?.Unschedulable != true &&
            node.Spec?.Taints?.Any(taint => taint.Effect is "NoSchedule" or "NoExecute") != true;
        bool added;
        lock (_lock)
        {
            added = schedulable && !_nodes.ContainsKey(name);
            var removed = !schedulable && _nodes.Remove(name);
            if (schedulable)
            {
                _nodes[name] = node!.Metadata.Labels;
            }

            if (added || removed || schedulable)
            {
                _order = [.. _nodes];
            }
        }

        if (added)
        {
            // A node that can take pods: those that found none try again.
            foreach (var key in _waiting.Keys)
            {
                if (_waiting.TryRemove(key, out _))
                {
                    _ = RetryAsync(key);
                }
            }
        }
    }

    /// <summary>A pod seen; one waiting for a node is queued.</summary>
    public void Offer(StoredObject pod)
    {
        var fields = pod.Object.Fields;
        if (string.IsNullOrEmpty(fields.Field(PodFields.NodeNameIndex)) && fields.Field(PodFields.SchedulerNameIndex) == SchedulerName &&
            fields.Field(PodFields.PhaseIndex) == "Pending")
        {
            _queue.Writer.TryWrite(pod);
        }
    }

    /// <summary>Whether every pod queued has been bound or found waiting for a node.</summary>
    public bool IsIdle => _queue.Reader.Count == 0 && Volatile.Read(ref _binding) == 0;

    /// <summary>A pod gone.</summary>
    public void Forget(ObjectKey key) => _waiting.TryRemove(key, out _);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await foreach (var pod in _queue.Reader.ReadAllAsync(cancellationToken))
        {
            Interlocked.Increment(ref _binding);
            try
            {
                await ScheduleAsync(pod, cancellationToken);
            }
            finally
            {
                Interlocked.Decrement(ref _binding);
            }
        }
    }

    private async Task ScheduleAsync(StoredObject seen, CancellationToken cancellationToken)
    {
        // The pod as it stands: one seen twice (a feed that listed again) may be bound already, and must not take a turn.
        if (await pods.Store.GetAsync(seen.Key, consistent: false, cancellationToken) is not { } pod ||
            !string.IsNullOrEmpty(pod.Object.Fields.Field(PodFields.NodeNameIndex)))
        {
            return;
        }

        var value = pods.Strategy.Decode(pod.Object);
        if (value.Metadata.DeletionTimestamp is not null || value.Spec?.SchedulingGates is { Count: > 0 })
        {
            return;
        }

        if (Pick(value.Spec?.NodeSelector) is not { } node)
        {
            _waiting[pod.Key] = true;
            return;
        }

        try
        {
            var binding = new V1Binding
            {
                Metadata = new V1ObjectMeta { Name = pod.Key.Name, NamespaceProperty = pod.Key.Namespace, Uid = pod.Object.Uid },
                Target = new V1ObjectReference { Kind = "Node", Name = node },
            };
            await access.WriteAsync("create", pods.Resource, pod.Key, "binding",
                () => PodBinding.BindAsync(pods, pod.Key, binding, dryRun: false, cancellationToken).AsTask());
            await events.RecordAsync("Pod", pod, "Normal", "Scheduled", $"Successfully assigned {pod.Key.Namespace}/{pod.Key.Name} to {node}", SchedulerName, cancellationToken);
        }
        catch (StatusException error) when (error.Status.Code is 404 or 409)
        {
            // Bound or deleted meanwhile.
        }
        catch (StatusException error)
        {
            LogMessages.NotBound(logger, pod.Key.ToString(), node, error.Status.Message);
        }
        catch (StoreUnavailableException error)
        {
            // Tried again when the pod is next seen (the feed lists again once the store is back).
            LogMessages.NotBound(logger, pod.Key.ToString(), node, error.Message);
        }
    }

    /// <summary>The next node, in turn, that has the selector's labels.</summary>
    private string? Pick(IDictionary<string, string>? selector)
    {
        var order = Volatile.Read(ref _order);
        for (var tried = 0; tried < order.Length; tried++)
        {
            var (name, labels) = order[(int)((uint)Interlocked.Increment(ref _next) % (uint)order.Length)];
            if (selector is null || selector.All(pair => labels?.TryGetValue(pair.Key, out var value) == true && value == pair.Value))
            {
                return name;
            }
        }

        return null;
    }

    private async Task RetryAsync(ObjectKey key)
    {
        try
        {
            if (await pods.Store.GetAsync(key, consistent: false) is { } pod)
            {
                Offer(pod);
            }
        }
        catch (StoreUnavailableException)
        {
            // Seen again when the pod feed lists once the store is back.
        }
    }

    private static partial class LogMessages
    {
        [LoggerMessage(Level = LogLevel.Warning, Message = "Pod {Pod} was not bound to {Node}: {Reason}")]
        public static partial void NotBound(ILogger logger, string pod, string node, string reason);
    }
}
