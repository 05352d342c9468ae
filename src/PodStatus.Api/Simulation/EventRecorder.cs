using k8s.Models;
using PodStatus.Api.Registry;
using PodStatus.Api.Storage;

namespace PodStatus.Api.Simulation;

/// <summary>
/// Records core/v1 Events as client-go's legacy recorder makes them (<c>tools/record/event.go makeEvent</c>), which
/// both KWOK's controllers and kube-scheduler's fallback use: named after the object and the time in nanoseconds, in
/// the object's namespace (<c>default</c> for a cluster-scoped one), from the component given.
/// </summary>
public sealed class EventRecorder(Registries registries, SimulatorAccess access, TimeProvider clock)
{
    public async Task RecordAsync(string kind, StoredObject target, string type, string reason, string message, string component, CancellationToken cancellationToken)
    {
        var events = registries.Of<Corev1Event>();
        var now = clock.GetUtcNow();
        var key = target.Key;
        var @namespace = key.Namespace.Length > 0 ? key.Namespace : "default";
        var nanoseconds = (now - DateTimeOffset.UnixEpoch).Ticks * 100;
        var value = new Corev1Event
        {
            Metadata = new V1ObjectMeta { Name = $"{key.Name}.{nanoseconds:x}", NamespaceProperty = @namespace },
            InvolvedObject = new V1ObjectReference
            {
                Kind = kind,
                Name = key.Name,
                NamespaceProperty = key.Namespace.Length > 0 ? key.Namespace : null,
                Uid = target.Object.Uid,
            },
            Reason = reason,
            Message = message,
            Type = type,
            Source = new V1EventSource { Component = component },
            FirstTimestamp = now.UtcDateTime,
            LastTimestamp = now.UtcDateTime,
            Count = 1,
        };
        await access.WriteAsync("create", events.Resource, new ObjectKey(@namespace, value.Metadata.Name), "",
            async () => await events.CreateAsync(@namespace, value, dryRun: false, cancellationToken));
    }
}
