using k8s.Models;
using PodStatus.Api.Registry;
using PodStatus.Api.Storage;

namespace PodStatus.Api.Simulation;

/// <summary>
/// Records core/v1 Events as client-go's legacy recorder makes them (<c>tools/record/event.go makeEvent</c>), which
/// both KWOK's controllers and kube-scheduler's fallback use: named after the object and the time in nanoseconds, in
/// the object's namespace (<c>default</c> for a cluster-scoped one), from the component given. As the recorder's, an
/// event that cannot be written is logged and dropped: it never stops what it reports on. Its names never repeat,
/// even on a clock held still (a test's), as each takes a nanosecond after the last.
/// </summary>
public sealed partial class EventRecorder(Registries registries, SimulatorAccess access, TimeProvider clock, ILogger logger)
{
    private long _lastNanoseconds;

    public async Task RecordAsync(string kind, StoredObject target, string type, string reason, string message, string component, CancellationToken cancellationToken)
    {
        var events = registries.Of<Corev1Event>();
        var now = clock.GetUtcNow();
        var key = target.Key;
        var @namespace = key.Namespace.Length > 0 ? key.Namespace : "default";
        var nanoseconds = NextNanoseconds((now - DateTimeOffset.UnixEpoch).Ticks * 100);
        var value = new Corev1Event
        {
            Metadata = new V1ObjectMeta { Name = $"{key.Name}.{nanoseconds:x}", NamespaceProperty = @namespace },
            // As reference.GetReference fills it, apiVersion included: `kubectl events --for` selects on it.
            InvolvedObject = new V1ObjectReference
            {
                ApiVersion = "v1",
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
        try
        {
            await access.WriteAsync("create", events.Resource, new ObjectKey(@namespace, value.Metadata.Name), "",
                async () => await events.CreateAsync(@namespace, value, dryRun: false, cancellationToken));
        }
        catch (Errors.StatusException error)
        {
            LogMessages.Dropped(logger, reason, key.ToString(), error.Status.Message);
        }
    }

    private long NextNanoseconds(long now)
    {
        while (true)
        {
            var last = Interlocked.Read(ref _lastNanoseconds);
            var next = Math.Max(now, last + 1);
            if (Interlocked.CompareExchange(ref _lastNanoseconds, next, last) == last)
            {
                return next;
            }
        }
    }

    private static partial class LogMessages
    {
        [LoggerMessage(Level = LogLevel.Warning, Message = "Event {Reason} about {Key} was dropped: {Problem}")]
        public static partial void Dropped(ILogger logger, string reason, string key, string problem);
    }
}
