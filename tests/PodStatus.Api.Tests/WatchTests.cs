using System.Net;
using System.Text.Json.Nodes;
using PodStatus.Api.Tests.Infrastructure;

namespace PodStatus.Api.Tests;

/// <summary>Watch: start points, order, 410, selector transitions, bookmarks, initial events, resume.</summary>
public sealed class WatchTests : ServerTest
{
    private const string Pods = "/api/v1/namespaces/default/pods";

    private async Task<JsonObject> SetPhaseAsync(string name, string phase, JsonObject? labels = null)
    {
        var current = (await Client.GetReplyAsync(PodClient.PodPath("default", name))).Json;
        if (labels is not null)
        {
            current["metadata"]!["labels"] = labels;
        }

        var reply = await Client.PutReplyAsync(PodClient.StatusPath("default", name), TestPods.StatusUpdate(current, new JsonObject { ["phase"] = phase }));
        Assert.Equal(HttpStatusCode.OK, reply.Code);
        return reply.Json;
    }

    [Theory]
    [InlineData("/api/v1/watch/namespaces/default/pods/a", new[] { "MODIFIED a", "MODIFIED a" })]
    [InlineData("/api/v1/watch/namespaces/default/pods?labelSelector=app%3Dweb", new[] { "MODIFIED a", "MODIFIED a" })]
    [InlineData("/api/v1/watch/namespaces/default/pods", new[] { "MODIFIED a", "ADDED b", "MODIFIED a" })]
    [InlineData("/api/v1/watch/pods?watch=false", new[] { "MODIFIED a", "ADDED b", "ADDED c", "MODIFIED a" })]
    public async Task TheDeprecatedWatchPaths_AreWatches_OfOnePodANamespaceOrAll(string path, string[] expected)
    {
        await Client.CreateNamespaceAsync("other");
        await Client.CreatePodAsync(TestPods.Pod("a"));
        var from = (await Client.GetReplyAsync("/api/v1/pods")).ResourceVersion;
        await using var watch = await WatchStream.OpenAsync(Client, $"{path}{(path.Contains('?') ? '&' : '?')}resourceVersion={from}");

        await SetPhaseAsync("a", "Running");
        var db = TestPods.Pod("b");
        db["metadata"]!["labels"]!["app"] = "db";
        await Client.CreatePodAsync(db);
        await Client.CreatePodAsync(TestPods.Pod("c", "other"));
        await SetPhaseAsync("a", "Succeeded"); // Every path sees this last: nothing it should not see came before.

        Assert.Equal(HttpStatusCode.OK, watch.Code);
        Assert.Equal(expected, await watch.TakeAsync(expected.Length));
    }

    [Fact]
    public async Task WithoutResourceVersion_SendsCurrentPodsAsAdded_ThenChanges()
    {
        await Client.CreatePodAsync(TestPods.Pod("a"));
        await using var watch = await WatchStream.OpenAsync(Client, Pods + "?watch=true");

        var initial = await watch.TakeAsync(1);
        await SetPhaseAsync("a", "Running");
        await Client.CreatePodAsync(TestPods.Pod("b"));
        await Client.DeleteReplyAsync(PodClient.PodPath("default", "b"));

        Assert.Equal(HttpStatusCode.OK, watch.Code);
        Assert.Equal(["ADDED a"], initial);
        // A delete first marks the pod (deletionTimestamp), then removes it, as upstream's graceful path does.
        Assert.Equal(["MODIFIED a", "ADDED b", "MODIFIED b", "DELETED b"], await watch.TakeAsync(4));
    }

    [Fact]
    public async Task FromAResourceVersion_SendsExactlyTheLaterChanges_InOrder()
    {
        var a = await Client.CreatePodAsync(TestPods.Pod("a"));
        var from = (string)a["metadata"]!["resourceVersion"]!;
        await SetPhaseAsync("a", "Running");
        await Client.CreatePodAsync(TestPods.Pod("b"));

        await using var watch = await WatchStream.OpenAsync(Client, Pods + "?watch=1&resourceVersion=" + from);
        var first = await watch.NextAsync();
        var second = await watch.NextAsync();

        Assert.Equal("MODIFIED", (string?)first!["type"]);
        Assert.Equal("a", (string?)first["object"]!["metadata"]!["name"]);
        Assert.Equal("ADDED", (string?)second!["type"]);
        Assert.True(long.Parse((string)second["object"]!["metadata"]!["resourceVersion"]!) > long.Parse((string)first["object"]!["metadata"]!["resourceVersion"]!));
    }

    [Fact]
    public async Task ResumingAfterADisconnect_LosesNothing()
    {
        await Client.CreatePodAsync(TestPods.Pod("a"));
        string last;
        await using (var watch = await WatchStream.OpenAsync(Client, Pods + "?watch=true"))
        {
            await watch.TakeAsync(1);
            await SetPhaseAsync("a", "Running");
            last = (string)(await watch.NextAsync())!["object"]!["metadata"]!["resourceVersion"]!;
        }

        // Changes while no one watches.
        await SetPhaseAsync("a", "Succeeded");
        await Client.CreatePodAsync(TestPods.Pod("b"));

        await using var resumed = await WatchStream.OpenAsync(Client, Pods + "?watch=true&resourceVersion=" + last);
        Assert.Equal(["MODIFIED a", "ADDED b"], await resumed.TakeAsync(2));
    }

    [Fact]
    public async Task FromAResourceVersionOlderThanTheHistory_SendsOne410ExpiredError()
    {
        await using var factory = new PodStatusFactory { SeedPath = "none", HistorySize = 3 };
        var client = factory.CreateClient();
        var revisions = new List<long>();
        for (var i = 0; i < 4; i++)
        {
            revisions.Add(long.Parse((string)(await client.CreatePodAsync(TestPods.Pod($"p{i}")))["metadata"]!["resourceVersion"]!));
        }

        // The watch cache takes writes in as the store tells them: once a watch has seen the fifth, the cache holds it.
        await using (var follower = await WatchStream.OpenAsync(client, $"{Pods}?watch=true&resourceVersion={revisions[^1]}"))
        {
            revisions.Add(long.Parse((string)(await client.CreatePodAsync(TestPods.Pod("p4")))["metadata"]!["resourceVersion"]!));
            Assert.Equal("p4", (string?)(await follower.NextAsync())!["object"]!["metadata"]!["name"]);
        }

        await using var watch = await WatchStream.OpenAsync(client, Pods + "?watch=true&resourceVersion=1");
        var error = await watch.NextAsync();

        Assert.Equal(HttpStatusCode.OK, watch.Code);
        Assert.Equal("ERROR", (string?)error!["type"]);
        // The oldest revision kept: the third-newest write's, less one.
        Assert.Equal($$"""{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"too old resource version: 1 ({{revisions[2] - 1}})","reason":"Expired","code":410}""",
            error["object"]!.ToJsonString());
        Assert.Null(await watch.NextAsync());
    }

    [Fact]
    public async Task FromTheNextRevision_WaitsForIt_ThenStreams()
    {
        var pod = await Client.CreatePodAsync(TestPods.Pod("a"));
        var next = long.Parse((string)pod["metadata"]!["resourceVersion"]!) + 1;
        await using var watch = await WatchStream.OpenAsync(Client, Pods + "?watch=true&resourceVersion=" + next);

        var running = await SetPhaseAsync("a", "Running");
        await SetPhaseAsync("a", "Succeeded");

        // Only changes after the requested revision: the write that reached it is not among them. (On a shared
        // etcd another test's write may take the next revision, and this one comes after it.)
        var first = await watch.NextAsync();
        Assert.Equal("MODIFIED", (string?)first!["type"]);
        var reachedIt = (string?)running["metadata"]!["resourceVersion"] == next.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(reachedIt || !PodStatusFactory.OnEtcd ? "Succeeded" : "Running", (string?)first["object"]!["status"]!["phase"]);
    }

    [Fact]
    public async Task FromARevisionTheServerNeverReaches_EndsWithTooLargeResourceVersion()
    {
        var pod = await Client.CreatePodAsync(TestPods.Pod("a"));
        var current = (string)pod["metadata"]!["resourceVersion"]!;
        await WaitForCacheAsync(current);
        await using var watch = await WatchStream.OpenAsync(Client, Pods + "?watch=true&resourceVersion=99999");

        var error = await NextAdvancingTheClockAsync(watch);

        Assert.Equal(HttpStatusCode.OK, watch.Code);
        Assert.Equal("ERROR", (string?)error["type"]);
        var reported = ReportedCurrent((string)error["object"]!["message"]!, current);
        Assert.Equal(
            $$"""{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Timeout: Too large resource version: 99999, current: {{reported}}","reason":"Timeout","details":{"causes":[{"reason":"ResourceVersionTooLarge","message":"Too large resource version"}],"retryAfterSeconds":1},"code":504}""",
            error["object"]!.ToJsonString());
        Assert.Null(await watch.NextAsync());
    }

    [Fact]
    public async Task WithALabelSelector_APodLeavingIsDeleted_AndOneEnteringIsAdded()
    {
        await Client.CreatePodAsync(TestPods.Pod("a"));
        await using var watch = await WatchStream.OpenAsync(Client, Pods + "?watch=true&labelSelector=app%3Dweb");
        await watch.TakeAsync(1);

        await SetPhaseAsync("a", "Running", new JsonObject { ["app"] = "db" });
        await SetPhaseAsync("a", "Running", new JsonObject { ["app"] = "db", ["x"] = "1" });
        await SetPhaseAsync("a", "Running", new JsonObject { ["app"] = "web" });

        Assert.Equal(["DELETED a", "ADDED a"], await watch.TakeAsync(2));
    }

    [Fact]
    public async Task WithAStatusFieldSelector_APodEnteringAndLeavingThePhase_IsAddedThenDeleted()
    {
        await Client.CreatePodAsync(TestPods.Pod("a", nodeName: "node-1"));
        await using var watch = await WatchStream.OpenAsync(Client, Pods + "?watch=true&fieldSelector=" +
            Uri.EscapeDataString("status.phase=Running,spec.nodeName=node-1"));

        await SetPhaseAsync("a", "Running");
        await SetPhaseAsync("a", "Running", new JsonObject { ["x"] = "1" });
        await SetPhaseAsync("a", "Succeeded");

        Assert.Equal(["ADDED a", "MODIFIED a", "DELETED a"], await watch.TakeAsync(3));
    }

    [Fact]
    public async Task WithAFieldSelector_OnlyThatPodIsSent()
    {
        await Client.CreatePodAsync(TestPods.Pod("a"));
        await Client.CreatePodAsync(TestPods.Pod("b"));
        await using var watch = await WatchStream.OpenAsync(Client, Pods + "?watch=true&fieldSelector=metadata.name%3Db");

        await SetPhaseAsync("a", "Running");
        await SetPhaseAsync("b", "Running");

        Assert.Equal(["ADDED b", "MODIFIED b"], await watch.TakeAsync(2));
    }

    [Fact]
    public async Task TimeoutSeconds_EndsTheStreamCleanly_WithABookmarkWhenAllowed()
    {
        var pod = await Client.CreatePodAsync(TestPods.Pod("a"));
        await using var watch = await WatchStream.OpenAsync(Client,
            Pods + "?watch=true&timeoutSeconds=1&allowWatchBookmarks=true&resourceVersion=" + pod["metadata"]!["resourceVersion"]);

        var bookmark = await watch.NextAsync();

        Assert.Equal("BOOKMARK", (string?)bookmark!["type"]);
        Assert.Equal((string?)pod["metadata"]!["resourceVersion"], (string?)bookmark["object"]!["metadata"]!["resourceVersion"]);
        Assert.Null(await watch.NextAsync());
    }

    [Fact]
    public async Task Bookmarks_ComeEveryInterval_CarryingTheLatestRevision()
    {
        var pod = await Client.CreatePodAsync(TestPods.Pod("a"));
        await using var watch = await WatchStream.OpenAsync(Client,
            Pods + "?watch=true&allowWatchBookmarks=true&resourceVersion=" + pod["metadata"]!["resourceVersion"]);

        foreach (var phase in new[] { "Running", "Succeeded" })
        {
            var changed = await SetPhaseAsync("a", phase);
            Assert.Equal("MODIFIED", (string?)(await watch.NextAsync())!["type"]);
            var bookmark = await NextAdvancingTheClockAsync(watch);

            Assert.Equal("BOOKMARK", (string?)bookmark["type"]);
            Assert.Equal((string?)changed["metadata"]!["resourceVersion"], (string?)bookmark["object"]!["metadata"]!["resourceVersion"]);
        }
    }

    /// <summary>The next event, moving the server's clock a bookmark interval on until it comes.</summary>
    private async Task<JsonObject> NextAdvancingTheClockAsync(WatchStream watch) =>
        (await Factory.AdvanceClockUntilAsync(watch.NextAsync(), TimeSpan.FromMinutes(1)))!;

    [Fact]
    public async Task SendInitialEvents_SendsPodsThenTheInitialEventsEndBookmark()
    {
        await Client.CreatePodAsync(TestPods.Pod("a"));
        await using var watch = await WatchStream.OpenAsync(Client,
            Pods + "?watch=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true");

        var added = await watch.NextAsync();
        var bookmark = await watch.NextAsync();
        await SetPhaseAsync("a", "Running");
        var modified = await watch.NextAsync();

        Assert.Equal("ADDED", (string?)added!["type"]);
        Assert.Equal("BOOKMARK", (string?)bookmark!["type"]);
        Assert.Equal("true", (string?)bookmark["object"]!["metadata"]!["annotations"]!["k8s.io/initial-events-end"]);
        Assert.Equal("MODIFIED", (string?)modified!["type"]);
    }

    [Fact]
    public async Task UnparsableResourceVersion_Returns400BeforeTheStreamStarts()
    {
        var reply = await Client.GetReplyAsync(Pods + "?watch=true&resourceVersion=abc");

        Assert.Equal(HttpStatusCode.BadRequest, reply.Code);
        Assert.Equal("resourceVersion: Invalid value: \"abc\": strconv.ParseUint: parsing \"abc\": invalid syntax", reply.Message);
    }

    [Fact]
    public async Task SendInitialEvents_WithoutItsCompanions_Returns422()
    {
        var reply = await Client.GetReplyAsync(Pods + "?watch=true&sendInitialEvents=true");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, reply.Code);
        Assert.Contains("resourceVersionMatch: Forbidden: sendInitialEvents requires setting resourceVersionMatch to NotOlderThan", reply.Message);
        Assert.Contains("allowWatchBookmarks: Forbidden: sendInitialEvents requires setting allowWatchBookmarks to true", reply.Message);
    }

    [Fact]
    public async Task TableWatch_SendsColumnDefinitionsOnlyWithTheFirstEvent()
    {
        await Client.CreatePodAsync(TestPods.Pod("a"));
        await using var watch = await WatchStream.OpenAsync(Client, Pods + "?watch=true",
            "application/json;as=Table;v=v1;g=meta.k8s.io,application/json");

        var first = await watch.NextAsync();
        await SetPhaseAsync("a", "Running");
        var second = await watch.NextAsync();

        Assert.Equal("Table", (string?)first!["object"]!["kind"]);
        Assert.NotNull(first["object"]!["columnDefinitions"]);
        Assert.Null(second!["object"]!["columnDefinitions"]);
        Assert.Equal("Running", (string?)second["object"]!["rows"]![0]!["cells"]![2]);
    }

    [Fact]
    public async Task ServerShutdown_EndsOpenWatchesCleanly()
    {
        var factory = new PodStatusFactory { SeedPath = "none" };
        var client = factory.CreateClient();
        await using var watch = await WatchStream.OpenAsync(client, Pods + "?watch=true&resourceVersion=0");

        var stopping = Task.Run(factory.Dispose, TestContext.Current.CancellationToken);

        Assert.Null(await watch.NextAsync(timeoutSeconds: 10));
        await stopping.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task EveryWatcher_GetsTheSameBytesForAnEvent()
    {
        await using var first = await WatchStream.OpenAsync(Client, Pods + "?watch=true");
        await using var second = await WatchStream.OpenAsync(Client, "/api/v1/pods?watch=true");

        await Client.CreatePodAsync(TestPods.Pod("shared"));

        var a = (await first.NextAsync())!.ToJsonString();
        Assert.Equal(a, (await second.NextAsync())!.ToJsonString());
    }
}
