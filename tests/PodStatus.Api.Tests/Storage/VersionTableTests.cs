using k8s.Models;
using PodStatus.Api.Resources.Pods;
using PodStatus.Api.Storage;

namespace PodStatus.Api.Tests.Storage;

/// <summary>
/// The in-memory store's table of current versions: entries are reused once their slot is removed, and the log of
/// versions behind it stays within twice what it holds while readers always find a slot's version.
/// </summary>
public sealed class VersionTableTests
{
    private static StoredObject Pod(string name, long revision) => new(
        EncodedPod.Encode(
            new V1ObjectMeta { Name = name, NamespaceProperty = "default", Uid = name },
            new V1PodSpec { Containers = [new V1Container { Name = "c", Image = "busybox" }] },
            new V1PodStatus()),
        revision);

    [Fact]
    public void ARemovedSlot_ReadsNothing_AfterItsEntryIsReused()
    {
        var table = new VersionTable();
        var a = table.Add(new ObjectKey("default", "a"), Pod("a", 1));
        table.Remove(a);

        var b = table.Add(new ObjectKey("default", "b"), Pod("b", 2));

        Assert.Equal(a.Index, b.Index);
        Assert.Null(table[a]);
        Assert.Equal("b", table[b]!.Key.Name);
    }

    [Fact]
    public void AnEntryTakenAgain_StartsWithNoExpiry()
    {
        var table = new VersionTable();
        var a = table.Add(new ObjectKey("default", "a"), Pod("a", 1));
        table.SetExpires(a, DateTimeOffset.UnixEpoch);
        table.Remove(a);

        var b = table.Add(new ObjectKey("default", "b"), Pod("b", 2));

        Assert.Null(table.Expires(b));
    }

    [Fact]
    public void ManyWrites_KeepEachSlotsLatestVersion_InALogNoLongerThanTwiceWhatItHolds()
    {
        var table = new VersionTable();
        var pod = Pod("a", 1).Object;
        var slots = Enumerable.Range(0, 10_000).Select(i => table.Add(new ObjectKey("default", $"p{i}"), new StoredObject(pod, i))).ToArray();

        // Writes at random, and a tenth of the slots never written again: the log moves those on as it lets go of
        // its oldest segments.
        var random = new Random(7);
        var latest = slots.Select(slot => (long)slot.Index).ToArray();
        for (var revision = 10_000L; revision < 500_000; revision++)
        {
            var i = random.Next(9_000);
            table[slots[i]] = new StoredObject(pod, revision);
            latest[i] = revision;
        }

        Assert.All(slots, (slot, i) => Assert.Equal(latest[i], table[slot]!.ResourceVersion));
        Assert.InRange(table.LoggedPositions, 10_000, (2 * 10_000) + (3 * 4_096));
    }

    [Fact]
    public void RemovingEverySlot_LetsGoOfTheLog()
    {
        var table = new VersionTable();
        var pod = Pod("a", 1).Object;
        var slots = Enumerable.Range(0, 50_000).Select(i => table.Add(new ObjectKey("default", $"p{i}"), new StoredObject(pod, i))).ToList();

        slots.ForEach(table.Remove);

        Assert.InRange(table.LoggedPositions, 0, 3 * 4_096);
    }

    [Fact]
    public async Task AReader_AlwaysFindsALiveSlotsVersion_WhileWritesMoveIt()
    {
        var table = new VersionTable();
        var pod = Pod("a", 1).Object;
        var watched = table.Add(new ObjectKey("default", "watched"), new StoredObject(pod, 0));
        var others = Enumerable.Range(0, 1_000).Select(i => table.Add(new ObjectKey("default", $"p{i}"), new StoredObject(pod, 0))).ToArray();
        using var done = new CancellationTokenSource();

        // The writer rewrites the watched slot now and then, and the others often: its version keeps being moved
        // along the log by compaction, and its old places emptied, while the reader reads.
        var writer = Task.Run(
            () =>
            {
                for (var revision = 1L; revision < 2_000_000; revision++)
                {
                    table[revision % 100 == 0 ? watched : others[revision % others.Length]] = new StoredObject(pod, revision);
                }

                done.Cancel();
            },
            TestContext.Current.CancellationToken);

        long reads = 0, seen = 0;
        while (!done.IsCancellationRequested)
        {
            var current = table[watched];
            Assert.NotNull(current);
            Assert.True(current.ResourceVersion >= seen, "a later read found an older version");
            seen = current.ResourceVersion;
            reads++;
        }

        await writer;
        Assert.True(reads > 1_000, $"only {reads} reads overlapped the writes");
    }
}
