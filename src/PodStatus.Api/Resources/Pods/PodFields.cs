using k8s.Models;
using PodStatus.Api.Selection;

namespace PodStatus.Api.Resources.Pods;

/// <summary>
/// The pod fields upstream makes selectable (<c>pkg/registry/core/pod/strategy.go ToSelectableFields</c>) and the
/// labels its v1 field-label conversion accepts for them (<c>pkg/apis/core/v1/conversion.go</c>).
/// </summary>
public static class PodFields
{
    private const int NodeName = 0, RestartPolicy = 1, SchedulerName = 2, ServiceAccountName = 3, HostNetwork = 4;
    private const int Phase = 5, PodIp = 6, NominatedNodeName = 7;

    public static readonly FieldSet Set = FieldSet.Converted(new Dictionary<string, int>
    {
        ["metadata.name"] = FieldSet.Name,
        ["metadata.namespace"] = FieldSet.Namespace,
        ["spec.nodeName"] = NodeName,
        // spec.host is the legacy name of spec.nodeName.
        ["spec.host"] = NodeName,
        ["spec.restartPolicy"] = RestartPolicy,
        ["spec.schedulerName"] = SchedulerName,
        ["spec.serviceAccountName"] = ServiceAccountName,
        ["spec.hostNetwork"] = HostNetwork,
        ["status.phase"] = Phase,
        ["status.podIP"] = PodIp,
        // Accepted by the v1 field-label conversion but never among the selectable fields: always empty upstream.
        ["status.podIPs"] = FieldSet.AlwaysEmpty,
        ["status.nominatedNodeName"] = NominatedNodeName,
    });

    /// <summary>Where <c>spec.nodeName</c> is among a pod's fields.</summary>
    public const int NodeNameIndex = NodeName;

    /// <summary>Where <c>status.podIP</c> is among a pod's fields.</summary>
    public const int PodIpIndex = PodIp;

    /// <summary>Where <c>spec.schedulerName</c> is among a pod's fields.</summary>
    public const int SchedulerNameIndex = SchedulerName;

    /// <summary>Where <c>status.phase</c> is among a pod's fields.</summary>
    public const int PhaseIndex = Phase;

    public static SelectableFields Of(V1ObjectMeta metadata, V1PodSpec spec, V1PodStatus status) => SelectableFields.Of(
        metadata.Labels,
        spec.NodeName,
        spec.RestartPolicy,
        spec.SchedulerName,
        spec.ServiceAccountName,
        spec.HostNetwork == true ? "true" : "false",
        status.Phase,
        PodIpOf(status),
        status.NominatedNodeName);

    /// <summary>The same spec, with new metadata and status (a status write keeps the spec's values as they were).</summary>
    public static SelectableFields WithStatus(SelectableFields fields, V1ObjectMeta metadata, V1PodStatus status) =>
        fields.WithLabels(metadata.Labels).WithFields([Phase, PodIp, NominatedNodeName], status.Phase, PodIpOf(status), status.NominatedNodeName);

    /// <summary>status.podIP is podIPs[0], as the v1 conversion keeps them.</summary>
    private static string? PodIpOf(V1PodStatus status) => status.PodIPs is [{ Ip: { } first }, ..] ? first : status.PodIP;
}
