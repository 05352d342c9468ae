using System.Text.Json;

namespace PodStatus.Api.Storage;

/// <summary>
/// The values of the pod fields upstream makes selectable (<c>ToSelectableFields</c>), read once per stored version
/// of a pod and shared by every list and watch that filters on them, as kube-apiserver's watch cache keeps them
/// beside each object: a thousand kubelet-style watches on <c>spec.nodeName</c> cost one read per change, not one
/// decode per watcher.
/// </summary>
public sealed class SelectableFields
{
    public required string Name { get; init; }
    public required string Namespace { get; init; }
    public string NodeName { get; private set; } = "";
    public string RestartPolicy { get; private set; } = "";
    public string SchedulerName { get; private set; } = "";
    public string ServiceAccountName { get; private set; } = "";
    public string HostNetwork { get; private set; } = "false";
    public required string Phase { get; init; }
    public required string PodIP { get; init; }
    public required string NominatedNodeName { get; init; }

    public static SelectableFields Of(EncodedPod pod)
    {
        var status = pod.Status;
        var fields = new SelectableFields
        {
            Name = pod.Key.Name,
            Namespace = pod.Key.Namespace,
            Phase = status.Phase ?? "",
            // status.podIP is podIPs[0], as the v1 conversion keeps them.
            PodIP = status.PodIPs is [{ Ip: { } first }, ..] ? first : status.PodIP ?? "",
            NominatedNodeName = status.NominatedNodeName ?? "",
        };
        fields.ReadSpec(pod.SpecJson);
        return fields;
    }

    /// <summary>Reads the few top-level spec fields straight from the stored JSON, skipping the rest unparsed.</summary>
    private void ReadSpec(ReadOnlySpan<byte> spec)
    {
        var reader = new Utf8JsonReader(spec);
        reader.Read(); // {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var property = reader.ValueSpan;
            reader.Read();
            if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
            {
                reader.Skip();
            }
            else if (property.SequenceEqual("nodeName"u8))
            {
                NodeName = reader.GetString() ?? "";
            }
            else if (property.SequenceEqual("restartPolicy"u8))
            {
                RestartPolicy = reader.GetString() ?? "";
            }
            else if (property.SequenceEqual("schedulerName"u8))
            {
                SchedulerName = reader.GetString() ?? "";
            }
            else if (property.SequenceEqual("serviceAccountName"u8))
            {
                ServiceAccountName = reader.GetString() ?? "";
            }
            else if (property.SequenceEqual("hostNetwork"u8))
            {
                HostNetwork = reader.TokenType == JsonTokenType.True ? "true" : "false";
            }
        }
    }
}
