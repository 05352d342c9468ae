using k8s.Models;

namespace PodStatus.Api.Validation;

/// <summary>A status write as validation sees it: the prepared new pod and the stored one it replaces.</summary>
/// <param name="Metadata">The metadata to be stored.</param>
/// <param name="Status">The status to be stored.</param>
/// <param name="OldMetadata">The stored metadata.</param>
/// <param name="OldStatus">The stored status.</param>
/// <param name="Spec">The stored spec, which a status write keeps; decoded only if a rule needs it.</param>
public sealed record PodStatusUpdate(
    V1ObjectMeta Metadata,
    V1PodStatus Status,
    V1ObjectMeta OldMetadata,
    V1PodStatus OldStatus,
    Lazy<V1PodSpec> Spec);
