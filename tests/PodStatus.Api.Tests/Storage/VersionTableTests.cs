using k8s.Models;
using PodStatus.Api.Resources.Pods;
using PodStatus.Api.Storage;

namespace PodStatus.Api.Tests.Storage;

/// <summary>The in-memory store's table of current versions: entries are reused once their slot is removed.</summary>
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
}
