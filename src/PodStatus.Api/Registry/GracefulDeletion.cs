using System.Collections.Concurrent;
using PodStatus.Api.Storage;

namespace PodStatus.Api.Registry;

/// <summary>
/// Plays the kubelet's part in graceful deletion: when a marked pod's grace period ends, its final delete runs,
/// so a delete always completes. Time comes from the injected <see cref="TimeProvider"/>.
/// </summary>
public sealed class GracefulDeletion(TimeProvider clock) : IDisposable
{
    private readonly ConcurrentDictionary<string, ITimer> _timers = new();

    public void Schedule(StoredPod pod, DateTime deletionTimestamp, Func<StoredPod, Task> finish)
    {
        var due = deletionTimestamp - clock.GetUtcNow().UtcDateTime;
        if (due <= TimeSpan.Zero)
        {
            _ = finish(pod);
            return;
        }

        var uid = pod.Pod.Uid;
        ITimer? timer = null;
        timer = clock.CreateTimer(_ =>
        {
            if (_timers.TryRemove(new KeyValuePair<string, ITimer>(uid, timer!)))
            {
                timer!.Dispose();
            }

            _ = finish(pod);
        }, null, due, Timeout.InfiniteTimeSpan);

        // A shortened grace period replaces the earlier timer.
        if (_timers.TryGetValue(uid, out var earlier) && _timers.TryUpdate(uid, timer, earlier))
        {
            earlier.Dispose();
        }
        else if (!_timers.TryAdd(uid, timer))
        {
            timer.Dispose();
        }
    }

    public void Dispose()
    {
        foreach (var timer in _timers.Values)
        {
            timer.Dispose();
        }

        _timers.Clear();
    }
}
