using Microsoft.Extensions.Time.Testing;
using PodStatus.Api.Simulation.Lifecycle;

namespace PodStatus.Api.Tests.Simulation;

/// <summary>One timer for every waiting object: items fall due on the clock, in time order, one per key.</summary>
public sealed class DueQueueTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 6, 0, 0, 0, TimeSpan.Zero));

    private static List<string> Drain(DueQueue<string, string> queue)
    {
        var ready = new List<string>();
        while (queue.Ready.TryRead(out var item))
        {
            ready.Add(item);
        }

        return ready;
    }

    [Fact]
    public void Items_FallDueOnTheClock_InTimeOrder_AndNoDelayIsAtOnce()
    {
        using var queue = new DueQueue<string, string>(_clock);
        queue.Schedule("a", "a after 3s", TimeSpan.FromSeconds(3));
        queue.Schedule("b", "b after 1s", TimeSpan.FromSeconds(1));
        queue.Schedule("c", "c now", TimeSpan.Zero);

        Assert.Equal(["c now"], Drain(queue));
        _clock.Advance(TimeSpan.FromMilliseconds(999));
        Assert.Empty(Drain(queue));
        _clock.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(["b after 1s", "a after 3s"], Drain(queue));
        Assert.Equal(0, queue.Waiting);
    }

    [Fact]
    public void ALaterItemForAKey_ReplacesTheOneBefore_AndACancelledKeyNeverFallsDue()
    {
        using var queue = new DueQueue<string, string>(_clock);
        queue.Schedule("pod", "old version", TimeSpan.FromSeconds(1));
        queue.Schedule("pod", "new version", TimeSpan.FromSeconds(2));
        queue.Schedule("gone", "deleted", TimeSpan.FromSeconds(1));
        queue.Cancel("gone");

        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Empty(Drain(queue));
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(["new version"], Drain(queue));
    }

    [Fact]
    public void AnEarlierItem_ScheduledAfterALaterOne_StillFallsDueFirst()
    {
        using var queue = new DueQueue<string, string>(_clock);
        queue.Schedule("late", "late", TimeSpan.FromMinutes(10));
        queue.Schedule("early", "early", TimeSpan.FromSeconds(1));

        _clock.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(["early"], Drain(queue));
        Assert.Equal(1, queue.Waiting);
    }
}
