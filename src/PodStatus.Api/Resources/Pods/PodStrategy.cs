using System.Text.Json;
using FluentValidation;
using FluentValidation.Results;
using k8s.Models;
using PodStatus.Api.Patching;
using PodStatus.Api.Registry;
using PodStatus.Api.Schema;
using PodStatus.Api.Selection;
using PodStatus.Api.Serialization;
using PodStatus.Api.Storage;
using PodStatus.Api.Tables;
using PodStatus.Api.Validation;

namespace PodStatus.Api.Resources.Pods;

/// <summary>
/// Pods and pods/status, as kube-apiserver's pod strategies treat them (<c>pkg/registry/core/pod/strategy.go</c>):
/// defaults and a fresh Pending status on create; on update, status kept and the spec held to what may change; on
/// a status write, status from the request and the rest as stored, prepared at the level of the stored bytes (the
/// spec's are reused as they are); graceful deletion.
/// </summary>
public sealed class PodStrategy(
    IValidator<V1Pod> createValidator, IValidator<ObjectUpdate<V1Pod>> updateValidator, IValidator<PodStatusUpdate> statusValidator)
    : Strategy<V1Pod>
{
    public static readonly ApiResource Pods = new("", "v1", "pods", "pod", "Pod", Namespaced: true)
    {
        ShortNames = ["po"],
        Categories = ["all"],
        Subresources = new Dictionary<string, IReadOnlyList<string>> { ["status"] = ["get", "patch", "update"], ["binding"] = ["create"] },
    };

    private static readonly PodPrinter PodPrinter = new();

    public override ApiResource Resource => Pods;

    public override bool ReturnsDeletedObject => true;

    public override FieldSet Fields => PodFields.Set;

    public override ITablePrinter Printer => PodPrinter;

    public override PatchSchema PatchSchema => PodPatchSchema.Pod;

    public override SelectableFields SelectableFieldsOf(V1Pod value) =>
        PodFields.Of(value.Metadata, value.Spec ?? new V1PodSpec(), value.Status ?? new V1PodStatus());

    public override EncodedObject Encode(V1Pod value) => EncodedPod.Encode(value);

    public override V1Pod Decode(EncodedObject stored) => ((EncodedPod)stored).Decode();

    /// <summary>PrepareForCreate: a first generation, defaults, and a fresh Pending status.</summary>
    public override void PrepareForCreate(V1Pod value)
    {
        value.Metadata.Generation = 1;
        value.Spec ??= new V1PodSpec();
        PodDefaults.Apply(value.Spec);
        value.Status = new V1PodStatus { Phase = "Pending", QosClass = PodDefaults.QosClass(value.Spec) };
        if (value.Spec.SchedulingGates is { Count: > 0 })
        {
            value.Status.Conditions =
            [
                new V1PodCondition { Type = "PodScheduled", Status = "False", Reason = "SchedulingGated", Message = "Scheduling is blocked due to non-empty scheduling gates" },
            ];
        }
    }

    public override IEnumerable<ValidationFailure> ValidateCreate(V1Pod value, string requestVersion) => createValidator.Validate(value).Errors;

    /// <summary>PUT on the pod: spec from the request (defaulted; a change bumps the generation, 1.33+), status kept.</summary>
    public override void PrepareForUpdate(V1Pod value, V1Pod old, string subresource)
    {
        value.Spec ??= new V1PodSpec();
        PodDefaults.Apply(value.Spec);
        // Upstream defaults what it reads from storage too, so a pod seeded without defaults compares as defaulted.
        old.Spec ??= new V1PodSpec();
        PodDefaults.Apply(old.Spec);
        value.Status = old.Status;
        if (!JsonSerializer.SerializeToUtf8Bytes(value.Spec, KubeJson.Spec).AsSpan().SequenceEqual(JsonSerializer.SerializeToUtf8Bytes(old.Spec, KubeJson.Spec)))
        {
            value.Metadata.Generation = (old.Metadata.Generation ?? 0) + 1;
        }
    }

    public override IEnumerable<ValidationFailure> ValidateUpdate(V1Pod value, V1Pod old, string subresource, string requestVersion) =>
        updateValidator.Validate(new ObjectUpdate<V1Pod>(value, old)).Errors;

    /// <summary>
    /// A status write (PUT or PATCH of pods/status), prepared on the stored pod's bytes: status from the request, spec
    /// as stored (its bytes reused), validated against the stored metadata and status the last write left decoded.
    /// </summary>
    public override (EncodedObject Updated, bool DeleteInstead)? FastUpdate(StoredObject current, V1Pod sent, string subresource)
    {
        if (subresource != "status")
        {
            return null;
        }

        var pod = (EncodedPod)current.Object;
        var storedMeta = pod.Metadata;
        var storedStatus = pod.Status;
        var (meta, status) = PrepareForStatusUpdate(sent.Metadata, sent.Status, storedMeta, storedStatus);
        var failures = statusValidator.Validate(new PodStatusUpdate(meta, status, storedMeta, storedStatus, pod)).Errors;
        failures.ThrowIfAny(Resource.Kind, current.Key.Name);
        return (pod.WithStatus(meta, status), ShouldDeleteDuringUpdate(meta, storedMeta));
    }

    /// <summary>
    /// podStatusStrategy.PrepareForUpdate, with rest.BeforeUpdate's rules for the metadata: status comes whole from the
    /// request; spec (kept by the caller), ownerReferences and deletionTimestamp stay as stored; an omitted qosClass
    /// or observedGeneration is kept. Labels, annotations and finalizers are taken from the request, as upstream does.
    /// </summary>
    private static (V1ObjectMeta Metadata, V1PodStatus Status) PrepareForStatusUpdate(
        V1ObjectMeta sentMetadata, V1PodStatus? sentStatus, V1ObjectMeta storedMetadata, V1PodStatus storedStatus)
    {
        var meta = Shallow.Copy(sentMetadata);
        meta.Generation = storedMetadata.Generation;
        Registry<V1Pod>.PreserveSystemFields(meta, storedMetadata);
        meta.OwnerReferences = storedMetadata.OwnerReferences;

        var status = sentStatus is null ? new V1PodStatus() : Shallow.Copy(sentStatus);
        if (string.IsNullOrEmpty(status.QosClass))
        {
            status.QosClass = storedStatus.QosClass;
        }

        if ((status.ObservedGeneration ?? 0) == 0)
        {
            status.ObservedGeneration = storedStatus.ObservedGeneration;
        }

        SyncPodIps(status);
        return (meta, status);
    }

    /// <summary>
    /// The v1 conversion keeps podIP and podIPs in step: podIP alone becomes podIPs, and when they disagree
    /// podIP wins (<c>pkg/apis/core/v1/conversion.go</c>).
    /// </summary>
    public static void SyncPodIps(V1PodStatus status)
    {
        if (string.IsNullOrEmpty(status.PodIP))
        {
            if (status.PodIPs is { Count: > 0 } ips)
            {
                status.PodIP = ips[0].Ip;
            }

            return;
        }

        if (status.PodIPs is not { Count: > 0 } || status.PodIPs[0].Ip != status.PodIP)
        {
            status.PodIPs = [new V1PodIP { Ip = status.PodIP }];
        }
    }

    /// <summary>
    /// CheckGracefulDelete: the grace period asked for, else the pod's own; none for a pod nothing runs (unscheduled)
    /// or that has finished.
    /// </summary>
    public override long? GracePeriod(StoredObject current, long? requested)
    {
        var pod = (EncodedPod)current.Object;
        var spec = pod.DecodeSpec();
        return string.IsNullOrEmpty(spec.NodeName) || pod.Status.Phase is "Succeeded" or "Failed"
            ? 0
            : requested ?? spec.TerminationGracePeriodSeconds ?? 0;
    }

    /// <summary>A pod's binding, as a scheduler POSTs it.</summary>
    public override ValueTask CreateOnAsync(Registry<V1Pod> registry, ObjectKey key, string subresource, ReadOnlyMemory<byte> body, bool dryRun,
        CancellationToken cancellationToken) =>
        subresource == "binding" ? PodBinding.BindAsync(registry, key, body, dryRun, cancellationToken) : base.CreateOnAsync(registry, key, subresource, body, dryRun, cancellationToken);
}
