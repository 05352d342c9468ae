using System.Text.Json;
using k8s.Models;
using PodStatus.Api.Errors;
using PodStatus.Api.Registry;
using PodStatus.Api.Serialization;
using PodStatus.Api.Storage;
using PodStatus.Api.Validation;

namespace PodStatus.Api.Resources.Pods;

/// <summary>
/// <c>pods/binding</c>, as kube-apiserver's BindingREST serves it (<c>pkg/registry/core/pod/storage/storage.go</c>):
/// a scheduler POSTs a Binding naming the node; the pod, if it is not bound already, not being deleted and not held by
/// scheduling gates, gets the node, the binding's annotations and <c>PodScheduled=True</c>, written past the pod
/// strategies with the binding's uid and resourceVersion as preconditions. A pod that cannot be bound is upstream's 409
/// on <c>pods/binding</c>. (Upstream answers a Binding that fails validation with a 500; PodStatus answers 422.)
/// </summary>
public static class PodBinding
{
    private static readonly Schema.GroupResource Bindings = new("", "pods/binding");

    public static async ValueTask BindAsync(Registry<V1Pod> pods, ObjectKey key, ReadOnlyMemory<byte> body, bool dryRun, CancellationToken cancellationToken)
    {
        V1Binding binding;
        try
        {
            binding = JsonSerializer.Deserialize(body.Span, KubeJson.TypeInfo<V1Binding>()) ?? throw new JsonException("null");
        }
        catch (JsonException error)
        {
            throw StatusErrors.BadRequest($"the body of the request could not be decoded as a Binding: {error.Message}").AsException();
        }

        await BindAsync(pods, key, binding, dryRun, cancellationToken);
    }

    public static async ValueTask BindAsync(Registry<V1Pod> pods, ObjectKey key, V1Binding binding, bool dryRun, CancellationToken cancellationToken)
    {
        if (binding.Metadata?.Name != key.Name)
        {
            throw StatusErrors.BadRequest("name in URL does not match name in Binding object").AsException();
        }

        // ValidatePodBinding.
        var target = binding.Target;
        var failures = new List<FluentValidation.Results.ValidationFailure>();
        if (target?.Kind is { Length: > 0 } kind && kind != "Node")
        {
            failures.Add(FieldError.NotSupported("target.kind", kind, ["Node", "<empty>"]));
        }

        if (string.IsNullOrEmpty(target?.Name))
        {
            failures.Add(FieldError.Required("target.name"));
        }

        failures.ThrowIfAny("Binding", key.Name);
        var node = target!.Name;
        var uid = binding.Metadata.Uid;
        var resourceVersion = binding.Metadata.ResourceVersion;
        try
        {
            await pods.WriteAsync(key, (stored, pod) =>
            {
                // The storage's preconditions: a conflict on the pod, as InterpretUpdateError words it.
                var meta = pod.Metadata;
                var storedVersion = stored.ResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture);
                if (!string.IsNullOrEmpty(uid) && uid != meta.Uid)
                {
                    throw StatusErrors.Conflict(pods.Resource.GroupResource, key.Name,
                        $"Precondition failed: UID in precondition: {uid}, UID in object meta: {meta.Uid}").AsException();
                }

                if (!string.IsNullOrEmpty(resourceVersion) && resourceVersion != storedVersion)
                {
                    throw StatusErrors.Conflict(pods.Resource.GroupResource, key.Name,
                        $"Precondition failed: ResourceVersion in precondition: {resourceVersion}, ResourceVersion in object meta: {storedVersion}").AsException();
                }

                if (meta.DeletionTimestamp is not null)
                {
                    throw new BindingRefused($"pod {meta.Name} is being deleted, cannot be assigned to a host");
                }

                var spec = pod.Spec ??= new V1PodSpec();
                if (!string.IsNullOrEmpty(spec.NodeName))
                {
                    throw new BindingRefused($"pod {meta.Name} is already assigned to node \"{spec.NodeName}\"");
                }

                if (spec.SchedulingGates is { Count: > 0 })
                {
                    throw new BindingRefused($"pod {meta.Name} has non-empty .spec.schedulingGates");
                }

                spec.NodeName = node;
                foreach (var (name, value) in binding.Metadata.Annotations ?? new Dictionary<string, string>())
                {
                    (meta.Annotations ??= new Dictionary<string, string>())[name] = value;
                }

                Scheduled(pod.Status ??= new V1PodStatus(), pods.Now());
            }, dryRun, cancellationToken);
        }
        catch (BindingRefused refused)
        {
            throw StatusErrors.Conflict(Bindings, key.Name, refused.Message).AsException();
        }
    }

    /// <summary>podutil.UpdatePodCondition with PodScheduled=True: a new transition time only when the status changes.</summary>
    private static void Scheduled(V1PodStatus status, DateTime now)
    {
        var conditions = status.Conditions ??= [];
        var existing = conditions.FirstOrDefault(condition => condition.Type == "PodScheduled");
        if (existing is null)
        {
            conditions.Add(new V1PodCondition { Type = "PodScheduled", Status = "True", LastTransitionTime = now });
        }
        else if (existing.Status != "True")
        {
            (existing.Status, existing.LastTransitionTime, existing.Reason, existing.Message) = ("True", now, null, null);
        }
    }

    private sealed class BindingRefused(string message) : Exception(message);
}
