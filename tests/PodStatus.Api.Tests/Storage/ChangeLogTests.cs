using k8s.Models;
using PodStatus.Api.Resources.Pods;
using PodStatus.Api.Storage;

namespace PodStatus.Api.Tests.Storage;

/// <summary>The change log stores keep and every watcher reads: order, history window, waiting, and starting over.</summary>
public sealed class ChangeLogTests
{
    private static readonly EncodedObject Pod = EncodedPod.Encode(
        new V1ObjectMeta { Name = "p", NamespaceProperty = "default", Uid = "u" },
        new V1PodSpec { Containers = [new V1Container { Name = "c", Image = "busybox" }] },
        new V1PodStatus());

    private static ChangeLog LogOf(int historySize, long start, int events)
    {
        var log = new ChangeLog(historySize);
        log.Reset(start);
        for (var i = 1; i <= events; i++)
        {
            log.Append(new ObjectEvent(EventTypes.Modified, new StoredObject(Pod, start + i), previous: null));
        }

        return log;
    }

    [Fact]
    public void PositionAfter_FindsTheFirstLaterEvent()
    {
        var log = LogOf(historySize: 10, start: 100, events: 5);

        Assert.Equal(0, log.PositionAfter(100, out _));
        Assert.Equal(103, log.At(log.PositionAfter(102, out _)!.Value)!.ResourceVersion);
        Assert.Equal(5, log.PositionAfter(105, out _));
    }

    [Fact]
    public void ARevisionOlderThanTheWindow_IsExpired_NamingTheOldestKept()
    {
        var log = LogOf(historySize: 3, start: 100, events: 5);

        Assert.Null(log.PositionAfter(101, out var oldest));
        Assert.Equal(102, oldest);
        Assert.Equal(2, log.PositionAfter(102, out _));
    }

    [Fact]
    public void UntilAnEventLeavesTheWindow_EveryRevisionSinceTheStartIsServed_ThoughRevisionsSkip()
    {
        // etcd's revisions are shared by every key: a log started at 100 may see its first event at 150.
        var log = new ChangeLog(3);
        log.Reset(100);
        log.Append(new ObjectEvent(EventTypes.Modified, new StoredObject(Pod, 150), previous: null));
        log.Append(new ObjectEvent(EventTypes.Modified, new StoredObject(Pod, 160), previous: null));

        Assert.Equal(0, log.PositionAfter(120, out var oldest));
        Assert.Equal(100, oldest);
        Assert.Null(log.PositionAfter(99, out _));

        log.Append(new ObjectEvent(EventTypes.Modified, new StoredObject(Pod, 170), previous: null));
        log.Append(new ObjectEvent(EventTypes.Modified, new StoredObject(Pod, 180), previous: null));
        Assert.Null(log.PositionAfter(120, out oldest));
        Assert.Equal(159, oldest);
    }

    [Fact]
    public void AnEmptyLogMovedOnByProgress_StillServesRevisionsSinceItsStart()
    {
        var log = new ChangeLog(3);
        log.Reset(100);
        log.Advance(140);

        Assert.Equal(0, log.PositionAfter(120, out _));
    }

    [Fact]
    public void AnEventThatLeftTheWindow_IsGone_SoItsReaderIsEnded()
    {
        var log = LogOf(historySize: 3, start: 0, events: 5);

        Assert.Null(log.At(0));
        Assert.Null(log.At(1));
        Assert.Equal(3, log.At(2)!.ResourceVersion);
    }

    [Fact]
    public async Task AReaderRacingTheWriter_GetsTheEventAtItsPosition_OrNothing()
    {
        var log = LogOf(historySize: 2, start: 0, events: 0);
        const int events = 300_000;
        var wrong = 0;
        var reader = Task.Run(() =>
        {
            while (log.Count < events)
            {
                // Just behind the window's edge, where a slot is being overwritten.
                var position = log.Count - 2;
                if (position >= 0 && log.At(position) is { } change && change.ResourceVersion != position + 1)
                {
                    wrong++;
                }
            }
        }, TestContext.Current.CancellationToken);

        for (var i = 1; i <= events; i++)
        {
            log.Append(new ObjectEvent(EventTypes.Modified, new StoredObject(Pod, i), previous: null));
        }

        await reader;
        Assert.Equal(0, wrong);
    }

    [Fact]
    public async Task WaitBeyond_CompletesOnTheNextAppend()
    {
        var log = LogOf(historySize: 3, start: 0, events: 1);

        var waiting = log.WaitBeyondAsync(1, TestContext.Current.CancellationToken);
        Assert.False(waiting.IsCompleted);
        log.Append(new ObjectEvent(EventTypes.Modified, new StoredObject(Pod, 2), previous: null));

        await waiting.WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);
        Assert.True(log.WaitBeyondAsync(1, TestContext.Current.CancellationToken).IsCompleted);
    }

    [Fact]
    public void Reset_EndsEveryReader_AndStartsEmptyAtTheRevision()
    {
        var log = LogOf(historySize: 10, start: 0, events: 3);
        var reader = log.PositionAfter(1, out _)!.Value;

        log.Reset(50);

        Assert.Null(log.At(reader));
        Assert.Equal(50, log.Revision);
        Assert.Null(log.PositionAfter(10, out var oldest));
        Assert.Equal(50, oldest);
        Assert.Equal(log.Count, log.PositionAfter(50, out _));
        Assert.True(log.WaitBeyondAsync(reader, TestContext.Current.CancellationToken).IsCompleted);
    }

    [Fact]
    public void Advance_MovesTheRevisionOn_WithoutAnEvent()
    {
        var log = LogOf(historySize: 10, start: 0, events: 2);

        log.Advance(9);

        Assert.Equal(9, log.Revision);
        Assert.Equal(2, log.PositionAfter(9, out _));
    }
}
