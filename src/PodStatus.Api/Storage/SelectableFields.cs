using CommunityToolkit.HighPerformance.Buffers;
using k8s.Models;

namespace PodStatus.Api.Storage;

/// <summary>
/// A pod's labels and the values of the fields upstream makes selectable (<c>ToSelectableFields</c>), kept beside
/// each stored version as kube-apiserver's watch cache keeps them beside each object: lists and watches filter a
/// million pods without decoding one. Made when a version is encoded, from the objects at hand (a status write
/// keeps the spec's values as they were). The strings come from a shared pool, so a million pods on a few nodes
/// hold a few node names, not a million copies.
/// </summary>
public sealed record SelectableFields
{
    private static readonly string[] NoLabels = [];

    /// <summary>Key, value, key, value: a pod has few labels, and an array of them costs a fraction of a dictionary.</summary>
    private string[] Labels { get; init; } = NoLabels;

    public string NodeName { get; private init; } = "";
    public string RestartPolicy { get; private init; } = "";
    public string SchedulerName { get; private init; } = "";
    public string ServiceAccountName { get; private init; } = "";
    public string HostNetwork { get; private init; } = "false";
    public string Phase { get; private init; } = "";
    public string PodIP { get; private init; } = "";
    public string NominatedNodeName { get; private init; } = "";

    /// <summary>The value of label <paramref name="key"/>, or null when the pod has none.</summary>
    public string? Label(string key)
    {
        var labels = Labels;
        for (var i = 0; i < labels.Length; i += 2)
        {
            if (labels[i] == key)
            {
                return labels[i + 1];
            }
        }

        return null;
    }

    public static SelectableFields Of(V1ObjectMeta metadata, V1PodSpec spec, V1PodStatus status) => new SelectableFields
    {
        NodeName = Pooled(spec.NodeName),
        RestartPolicy = Pooled(spec.RestartPolicy),
        SchedulerName = Pooled(spec.SchedulerName),
        ServiceAccountName = Pooled(spec.ServiceAccountName),
        HostNetwork = spec.HostNetwork == true ? "true" : "false",
    }.WithStatus(metadata, status);

    /// <summary>The same spec, with new metadata.</summary>
    public SelectableFields WithLabels(V1ObjectMeta metadata) =>
        SameLabels(metadata.Labels) ? this : this with { Labels = LabelsOf(metadata.Labels) };

    /// <summary>The same spec, with new metadata and status.</summary>
    public SelectableFields WithStatus(V1ObjectMeta metadata, V1PodStatus status) => this with
    {
        Labels = SameLabels(metadata.Labels) ? Labels : LabelsOf(metadata.Labels),
        Phase = Pooled(status.Phase, Phase),
        // status.podIP is podIPs[0], as the v1 conversion keeps them.
        PodIP = Pooled(status.PodIPs is [{ Ip: { } first }, ..] ? first : status.PodIP, PodIP),
        NominatedNodeName = Pooled(status.NominatedNodeName, NominatedNodeName),
    };

    private bool SameLabels(IDictionary<string, string>? labels)
    {
        if ((labels?.Count ?? 0) * 2 != Labels.Length)
        {
            return false;
        }

        foreach (var (key, value) in labels ?? new Dictionary<string, string>())
        {
            if (Label(key) != value)
            {
                return false;
            }
        }

        return true;
    }

    private static string[] LabelsOf(IDictionary<string, string>? labels)
    {
        if (labels is null or { Count: 0 })
        {
            return NoLabels;
        }

        var pairs = new string[labels.Count * 2];
        var i = 0;
        foreach (var (key, value) in labels)
        {
            pairs[i++] = Pooled(key);
            pairs[i++] = Pooled(value);
        }

        return pairs;
    }

    /// <summary>The value kept before when it has not changed (most status writes), else a pooled one.</summary>
    private static string Pooled(string? value, string before) => (value ?? "") == before ? before : Pooled(value);

    private static string Pooled(string? value) => string.IsNullOrEmpty(value) ? "" : StringPool.Shared.GetOrAdd(value);
}
