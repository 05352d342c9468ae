using k8s.Models;

namespace PodStatus.Api.Resources.Pods;

/// <summary>
/// A status write as validation sees it: the prepared new pod and the stored one it replaces. A class, not a
/// record: FluentValidation keys its condition cache by instance, and record hashing would walk both pods.
/// </summary>
/// <param name="metadata">The metadata to be stored.</param>
/// <param name="status">The status to be stored.</param>
/// <param name="oldMetadata">The stored metadata.</param>
/// <param name="oldStatus">The stored status.</param>
/// <param name="stored">The stored pod, whose spec a status write keeps.</param>
public sealed class PodStatusUpdate(V1ObjectMeta metadata, V1PodStatus status, V1ObjectMeta oldMetadata, V1PodStatus oldStatus, EncodedPod stored)
{
    private V1PodSpec? _spec;

    public V1ObjectMeta Metadata { get; } = metadata;

    public V1PodStatus Status { get; } = status;

    public V1ObjectMeta OldMetadata { get; } = oldMetadata;

    public V1PodStatus OldStatus { get; } = oldStatus;

    /// <summary>The stored spec, decoded only if a rule needs it (most status writes never look).</summary>
    public V1PodSpec Spec => _spec ??= stored.DecodeSpec();
}
