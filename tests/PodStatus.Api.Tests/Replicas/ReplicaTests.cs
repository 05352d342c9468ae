using System.Net;
using System.Text.Json.Nodes;
using PodStatus.Api.Tests.Infrastructure;

namespace PodStatus.Api.Tests.Replicas;

/// <summary>Two PodStatus replicas on one etcd see one consistent set of pods.</summary>
public sealed class ReplicaTests : IAsyncLifetime
{
    private const string Pods = "/api/v1/namespaces/default/pods";
    private PodStatusFactory? _a;
    private PodStatusFactory? _b;

    private HttpClient A { get; set; } = null!;

    private HttpClient B { get; set; } = null!;

    public async ValueTask InitializeAsync()
    {
        var etcd = await EtcdServer.SharedAsync();
        var shared = (etcd.Endpoints, EtcdServer.NewPrefix());
        _a = new PodStatusFactory { SeedPath = "none", Etcd = shared };
        _b = new PodStatusFactory { SeedPath = "none", Etcd = shared };
        A = _a.CreateClient();
        B = _b.CreateClient();
    }

    public async ValueTask DisposeAsync()
    {
        await _a!.DisposeAsync();
        await _b!.DisposeAsync();
    }

    [Fact]
    public async Task AWriteThroughOne_IsReadThroughTheOther_AsSoonAsItIsAcknowledged()
    {
        var pod = await A.CreatePodAsync(TestPods.Pod("shared"));
        for (var i = 0; i < 20; i++)
        {
            var (writer, reader) = i % 2 == 0 ? (A, B) : (B, A);
            var written = await writer.PutReplyAsync($"{Pods}/shared/status",
                TestPods.StatusUpdate(pod, TestPods.Running($"10.0.0.{i}"), keepResourceVersion: false));
            Assert.Equal(HttpStatusCode.OK, written.Code);

            var read = await reader.GetReplyAsync($"{Pods}/shared");
            var listed = await reader.GetReplyAsync(Pods);

            Assert.Equal(written.ResourceVersion, read.ResourceVersion);
            Assert.Equal($"10.0.0.{i}", (string?)read.Json["status"]!["podIP"]);
            Assert.Equal(written.ResourceVersion, (string?)listed.Json["items"]![0]!["metadata"]!["resourceVersion"]);
        }
    }

    [Fact]
    public async Task AStaleWrite_ThroughEitherReplica_Is409()
    {
        var pod = await A.CreatePodAsync(TestPods.Pod("contested"));
        // Both replicas now hold the pod as created; B writes, so A's is stale.
        Assert.Equal(HttpStatusCode.OK, (await A.GetReplyAsync($"{Pods}/contested")).Code);
        Assert.Equal(HttpStatusCode.OK, (await B.PutReplyAsync($"{Pods}/contested/status", TestPods.StatusUpdate(pod, TestPods.Running()))).Code);

        var stale = await A.PutReplyAsync($"{Pods}/contested/status", TestPods.StatusUpdate(pod, TestPods.Running("10.9.9.9")));

        Assert.Equal(HttpStatusCode.Conflict, stale.Code);
        Assert.Equal("Operation cannot be fulfilled on pods \"contested\": the object has been modified; please apply your changes to the latest version and try again", stale.Message);
    }

    [Fact]
    public async Task AnUnconditionalWrite_StartingFromAStaleVersion_LandsOnTheCurrentOne()
    {
        var pod = await A.CreatePodAsync(TestPods.Pod("retried"));
        await A.GetReplyAsync($"{Pods}/retried");
        var first = await B.PutReplyAsync($"{Pods}/retried/status", TestPods.StatusUpdate(pod, TestPods.Running("10.0.0.1"), keepResourceVersion: false));

        // A still holds the version before B's write: its transaction fails, and it retries on the current one.
        var second = await A.PutReplyAsync($"{Pods}/retried/status", TestPods.StatusUpdate(pod, TestPods.Running("10.0.0.2"), keepResourceVersion: false));

        Assert.Equal(HttpStatusCode.OK, second.Code);
        Assert.True(long.Parse(second.ResourceVersion) > long.Parse(first.ResourceVersion));
        Assert.Equal("10.0.0.2", (string?)(await B.GetReplyAsync($"{Pods}/retried")).Json["status"]!["podIP"]);
    }

    [Fact]
    public async Task AWatchOnOne_SeesEveryWriteThroughBoth_InRevisionOrder()
    {
        var pod = await A.CreatePodAsync(TestPods.Pod("watched"));
        await using var watch = await WatchStream.OpenAsync(B, $"{Pods}?watch=true&resourceVersion={pod["metadata"]!["resourceVersion"]}");
        var written = new List<string>();
        for (var i = 0; i < 30; i++)
        {
            var writer = i % 2 == 0 ? A : B;
            var reply = await writer.PutReplyAsync($"{Pods}/watched/status", TestPods.StatusUpdate(pod, TestPods.Running($"10.1.0.{i}"), keepResourceVersion: false));
            written.Add(reply.ResourceVersion);
        }

        var seen = new List<string>();
        while (seen.Count < written.Count && await watch.NextAsync() is { } change)
        {
            Assert.Equal("MODIFIED", (string?)change["type"]);
            seen.Add((string)change["object"]!["metadata"]!["resourceVersion"]!);
        }

        Assert.Equal(written, seen);
    }

    [Fact]
    public async Task ADeletionThroughOne_Is404ThroughTheOther()
    {
        await A.CreatePodAsync(TestPods.Pod("gone"));
        Assert.Equal(HttpStatusCode.OK, (await B.GetReplyAsync($"{Pods}/gone")).Code);

        Assert.Equal(HttpStatusCode.OK, (await A.DeleteReplyAsync($"{Pods}/gone", new JsonObject { ["gracePeriodSeconds"] = 0 })).Code);

        Assert.Equal(HttpStatusCode.NotFound, (await B.GetReplyAsync($"{Pods}/gone")).Code);
        Assert.Equal(HttpStatusCode.NotFound, (await B.PutReplyAsync($"{Pods}/gone/status", TestPods.StatusUpdate(TestPods.Pod("gone"), TestPods.Running(), keepResourceVersion: false))).Code);
    }

    [Fact]
    public async Task AWatchFromAList_Starts_WhileAnotherServersKeysMoveEtcdsRevisionOn()
    {
        // etcd's revision counts every key's writes: a server on a prefix of its own moves it on while the watch opens.
        var etcd = await EtcdServer.SharedAsync();
        await using var other = new PodStatusFactory { SeedPath = "none", Etcd = (etcd.Endpoints, EtcdServer.NewPrefix()) };
        var elsewhere = other.CreateClient();
        var busy = await elsewhere.CreatePodAsync(TestPods.Pod("busy"));
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var writes = Task.Run(async () =>
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                await elsewhere.PutReplyAsync($"{Pods}/busy/status", TestPods.StatusUpdate(busy, TestPods.Running($"10.2.0.{i % 250}"), keepResourceVersion: false));
            }
        }, TestContext.Current.CancellationToken);

        try
        {
            for (var i = 0; i < 5; i++)
            {
                var ns = $"opened-{i}";
                await B.CreateNamespaceAsync(ns);
                await using var watch = await WatchStream.OpenAsync(A, $"/api/v1/namespaces/{ns}/pods?watch=true");
                await B.CreatePodAsync(TestPods.Pod("watched", ns));

                var change = await watch.NextAsync();
                Assert.Equal("ADDED", (string?)change!["type"]);
                Assert.Equal("watched", (string?)change["object"]!["metadata"]!["name"]);
            }
        }
        finally
        {
            await stop.CancelAsync();
            await writes;
        }
    }
}
