using System.Collections.Concurrent;
using PodStatus.Api.Storage;

namespace PodStatus.Api.Registry;

/// <summary>
/// Plays the kubelet's part in graceful deletion: when a marked object's grace period ends, its final delete runs,
/// so a delete always completes. Time comes from the injected <see cref="TimeProvider"/>.
/// </summary>
public sealed class GracefulDeletion(TimeProvider clock) : IDisposable
{
    private readonly ConcurrentDictionary<string, ITimer> _timers = new();

    public void Schedule(StoredObject value, DateTime deletionTimestamp, Func<StoredObject, Task> finish)
    {
        var due = deletionTimestamp - clock.GetUtcNow().UtcDateTime;
        if (due <= TimeSpan.Zero)
        {
            _ = finish(value);
            return;
        }

        var uid = value.Object.Uid;
        ITimer? timer = null;
        timer = clock.CreateTimer(_ =>
        {
            if (_timers.TryRemove(new KeyValuePair<string, ITimer>(uid, timer!)))
            {
                timer!.Dispose();
            }

            _ = finish(value);
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
