using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using k8s.Models;
using PodStatus.Api.Serialization;
using PodStatus.Api.Storage;
using PodStatus.Api.Tables;

namespace PodStatus.Api.Resources.Pods;

/// <summary>
/// The cells kube-apiserver prints for a pod (<c>pkg/printers/internalversion/printers.go printPod</c>), so
/// <c>kubectl get pods</c> shows what a real cluster shows.
/// </summary>
public sealed class PodPrinter : ITablePrinter
{
    public IReadOnlyList<TableColumn> Columns => PodColumns;

    public IReadOnlyList<object> Cells(StoredObject value, DateTime now) => Cells(JsonSerializer.Deserialize(value.Object.Utf8, Printed)!, now);

    // printPod reads a pod's name and timestamps, its status, and of its spec the containers' names and restart
    // policies, the node and the readiness gates; the rest (labels, annotations, managed fields, the containers' env,
    // mounts and resources, the volumes: most of a pod's bytes) is read past, not decoded.
    private static readonly JsonTypeInfo<V1Pod> Printed = (JsonTypeInfo<V1Pod>)KubeJson.Reading(new Dictionary<Type, string[]>
    {
        [typeof(V1ObjectMeta)] = ["name", "creationTimestamp", "deletionTimestamp"],
        [typeof(V1PodSpec)] = ["containers", "initContainers", "nodeName", "readinessGates"],
        [typeof(V1Container)] = ["name", "restartPolicy"],
        [typeof(V1ContainerStatus)] = ["name", "ready", "restartCount", "started", "state", "lastState"],
    }).GetTypeInfo(typeof(V1Pod));

    private static readonly IReadOnlyList<TableColumn> PodColumns =
    [
        StandardColumns.Name,
        new("Ready", "", 0, "The aggregate readiness state of this pod for accepting traffic."),
        new("Status", "", 0, "The aggregate status of the containers in this pod."),
        new("Restarts", "", 0, "The number of times the containers in this pod have been restarted and when the last container in this pod has restarted."),
        StandardColumns.Age,
        new("IP", "", 1, "podIP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated."),
        new("Node", "", 1, "NodeName indicates in which node this pod is scheduled."),
        new("Nominated Node", "", 1, "nominatedNodeName is set when this pod preempts other pods on the node."),
        new("Readiness Gates", "", 1, "If specified, all readiness gates will be evaluated for pod readiness."),
    ];

    public static string[] Cells(V1Pod pod, DateTime now)
    {
        var spec = pod.Spec ?? new V1PodSpec();
        var status = pod.Status ?? new V1PodStatus();
        var restarts = 0;
        var readyContainers = 0;
        var totalContainers = spec.Containers?.Count ?? 0;
        DateTime? lastRestart = null;
        var reason = string.IsNullOrEmpty(status.Reason) ? status.Phase ?? "" : status.Reason;
        if (status.Conditions?.Any(c => c.Type == "PodScheduled" && c.Reason == "SchedulingGated") == true)
        {
            reason = "SchedulingGated";
        }

        var sidecars = (spec.InitContainers ?? []).Where(c => c.RestartPolicy == "Always").Select(c => c.Name).ToHashSet();
        totalContainers += sidecars.Count;
        var initializing = false;
        var initStatuses = status.InitContainerStatuses ?? [];
        for (var i = 0; i < initStatuses.Count; i++)
        {
            var container = initStatuses[i];
            restarts += container.RestartCount;
            lastRestart = Later(lastRestart, container.LastState?.Terminated?.FinishedAt);
            var terminated = container.State?.Terminated;
            var waiting = container.State?.Waiting;
            if (terminated is { ExitCode: 0 })
            {
                continue;
            }

            if (sidecars.Contains(container.Name) && container.Started == true)
            {
                readyContainers += container.Ready ? 1 : 0;
                continue;
            }

            initializing = true;
            reason = terminated is not null
                ? string.IsNullOrEmpty(terminated.Reason)
                    ? terminated.Signal is { } signal and not 0 ? $"Init:Signal:{signal}" : $"Init:ExitCode:{terminated.ExitCode}"
                    : "Init:" + terminated.Reason
                : waiting is not null && !string.IsNullOrEmpty(waiting.Reason) && waiting.Reason != "PodInitializing"
                    ? "Init:" + waiting.Reason
                    : $"Init:{i}/{spec.InitContainers?.Count ?? 0}";
            break;
        }

        var initialized = status.Conditions?.Any(c => c.Type == "Initialized" && c.Status == "True") == true;
        if (!initializing || initialized)
        {
            restarts = initStatuses.Where(s => sidecars.Contains(s.Name)).Sum(s => s.RestartCount);
            lastRestart = null;
            var hasRunning = false;
            var statuses = status.ContainerStatuses ?? [];
            for (var i = statuses.Count - 1; i >= 0; i--)
            {
                var container = statuses[i];
                restarts += container.RestartCount;
                lastRestart = Later(lastRestart, container.LastState?.Terminated?.FinishedAt);
                var state = container.State;
                if (!string.IsNullOrEmpty(state?.Waiting?.Reason))
                {
                    reason = state.Waiting.Reason;
                }
                else if (state?.Terminated is { } terminated)
                {
                    reason = !string.IsNullOrEmpty(terminated.Reason) ? terminated.Reason
                        : terminated.Signal is { } signal and not 0 ? $"Signal:{signal}"
                        : $"ExitCode:{terminated.ExitCode}";
                }
                else if (container.Ready && state?.Running is not null)
                {
                    hasRunning = true;
                    readyContainers++;
                }
            }

            if (reason == "Completed" && hasRunning)
            {
                reason = status.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true ? "Running" : "NotReady";
            }
        }

        if (pod.Metadata.DeletionTimestamp is not null)
        {
            reason = status.Reason == "NodeLost" ? "Unknown" : status.Phase is "Succeeded" or "Failed" ? reason : "Terminating";
        }

        var restartsText = restarts != 0 && lastRestart is { } last
            ? $"{restarts} ({HumanDuration.Since(last, now)} ago)"
            : restarts.ToString(CultureInfo.InvariantCulture);
        return
        [
            pod.Metadata.Name,
            $"{readyContainers}/{totalContainers}",
            reason,
            restartsText,
            HumanDuration.Age(pod.Metadata.CreationTimestamp, now),
            NoneIfEmpty(status.PodIPs?.FirstOrDefault()?.Ip ?? status.PodIP),
            NoneIfEmpty(spec.NodeName),
            NoneIfEmpty(status.NominatedNodeName),
            ReadinessGates(spec, status),
        ];
    }

    private static string ReadinessGates(V1PodSpec spec, V1PodStatus status)
    {
        if (spec.ReadinessGates is not { Count: > 0 } gates)
        {
            return "<none>";
        }

        var satisfied = gates.Count(gate => status.Conditions?.FirstOrDefault(c => c.Type == gate.ConditionType)?.Status == "True");
        return $"{satisfied}/{gates.Count}";
    }

    private static DateTime? Later(DateTime? a, DateTime? b) => a is null ? b : b is null ? a : a > b ? a : b;

    private static string NoneIfEmpty(string? value) => string.IsNullOrEmpty(value) ? "<none>" : value;
}
