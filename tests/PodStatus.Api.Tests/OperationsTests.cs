using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using PodStatus.Api.Tests.Infrastructure;

namespace PodStatus.Api.Tests;

/// <summary>Health checks and metrics as an operator's tools read them.</summary>
public sealed partial class OperationsTests() : ServerTest(new PodStatusFactory())
{
    [Fact]
    public async Task Health_AnswersOk_AndVerboseListsEveryCheck()
    {
        var live = await Client.GetReplyAsync("/livez");
        await WaitUntilReadyAsync();
        var ready = await Client.GetReplyAsync("/readyz?verbose");
        var health = await Client.GetReplyAsync("/healthz");

        Assert.Equal((HttpStatusCode.OK, "ok"), (live.Code, live.Body));
        Assert.Equal((HttpStatusCode.OK, "[+]ping ok\n[+]storage ok\n[+]watch-cache ok\nreadyz check passed\n"), (ready.Code, ready.Body));
        Assert.Equal("text/plain", ready.ContentType);
        Assert.Equal((HttpStatusCode.OK, "ok"), (health.Code, health.Body));
    }

    [Fact]
    public async Task Metrics_CountRequestsByVerbAndCode_WithUpstreamsNamesAndLabels()
    {
        var founding = await TestPods.FoundingStatusWriteAsync(Client);
        var write = await Client.SendAsync(HttpMethod.Put, PodClient.StatusPath("default", "hello-world"), founding);
        var again = await Client.SendAsync(HttpMethod.Put, PodClient.StatusPath("default", "hello-world"), founding);
        await Client.GetReplyAsync("/api/v1/namespaces/default/pods");
        await Client.GetReplyAsync("/api/v1/namespaces/default/pods/missing");
        await using var watch = await WatchStream.OpenAsync(Client, "/api/v1/pods?watch=true");

        var metrics = await Client.GetReplyAsync("/metrics");

        Assert.Equal(HttpStatusCode.OK, metrics.Code);
        Assert.Equal(HttpStatusCode.OK, write.Code);
        Assert.Equal(HttpStatusCode.Conflict, again.Code);
        const string Labels = "dry_run=\"\",group=\"\",version=\"v1\",resource=\"pods\"";
        Assert.Contains($"apiserver_request_total{{verb=\"PUT\",{Labels},subresource=\"status\",scope=\"resource\",component=\"apiserver\",code=\"200\"}} 1\n", metrics.Body);
        Assert.Contains($"apiserver_request_total{{verb=\"PUT\",{Labels},subresource=\"status\",scope=\"resource\",component=\"apiserver\",code=\"409\"}} 1\n", metrics.Body);
        Assert.Contains($"apiserver_request_total{{verb=\"LIST\",{Labels},subresource=\"\",scope=\"namespace\",component=\"apiserver\",code=\"200\"}} 1\n", metrics.Body);
        Assert.Contains($"apiserver_request_total{{verb=\"GET\",{Labels},subresource=\"\",scope=\"resource\",component=\"apiserver\",code=\"404\"}} 1\n", metrics.Body);
        Assert.Contains($"apiserver_request_duration_seconds_count{{verb=\"PUT\",{Labels},subresource=\"status\",scope=\"resource\",component=\"apiserver\"}} 2\n", metrics.Body);
        Assert.Contains("apiserver_request_duration_seconds_bucket{verb=\"LIST\",", metrics.Body);
        Assert.Contains("apiserver_registered_watchers{group=\"\",version=\"v1\",kind=\"Pod\"} 1\n", metrics.Body);
        Assert.Contains("apiserver_storage_objects{resource=\"pods\"} 1\n", metrics.Body);
        Assert.Matches(ProcessMetric(), metrics.Body);
    }

    /// <summary>A route's requests are counted by what each asks: one collection path is LIST or WATCH by its query,
    /// a write DRY_RUN or not, and a method no route has under the verb upstream gives it.</summary>
    [Fact]
    public async Task Metrics_CountOneRoutesRequests_ByWhatEachAsks()
    {
        const string Pods = "/api/v1/namespaces/default/pods";
        await Client.GetReplyAsync(Pods);
        await Client.GetReplyAsync(Pods + "?limit=1");
        await using var watch = await WatchStream.OpenAsync(Client, Pods + "?watch=1");
        var pod = TestPods.Pod("metered");
        await Client.PostReplyAsync(Pods + "?dryRun=All", pod);
        await Client.PostReplyAsync(Pods, pod);
        await Client.SendAsync(new HttpMethod("FROB"), Pods + "/metered");

        var metrics = (await Client.GetReplyAsync("/metrics")).Body;

        const string Labels = "group=\"\",version=\"v1\",resource=\"pods\",subresource=\"\"";
        Assert.Contains($"apiserver_request_total{{verb=\"LIST\",dry_run=\"\",{Labels},scope=\"namespace\",component=\"apiserver\",code=\"200\"}} 2\n", metrics);
        // The watch is counted when it ends; while it is open, it is a watcher.
        Assert.Contains("apiserver_registered_watchers{group=\"\",version=\"v1\",kind=\"Pod\"} 1\n", metrics);
        Assert.Contains($"apiserver_request_total{{verb=\"POST\",dry_run=\"All\",{Labels},scope=\"namespace\",component=\"apiserver\",code=\"201\"}} 1\n", metrics);
        Assert.Contains($"apiserver_request_total{{verb=\"POST\",dry_run=\"\",{Labels},scope=\"namespace\",component=\"apiserver\",code=\"201\"}} 1\n", metrics);
        Assert.Contains($"apiserver_request_total{{verb=\"\",dry_run=\"\",{Labels},scope=\"resource\",component=\"apiserver\",code=\"405\"}} 1\n", metrics);
    }

    [Fact]
    public async Task Metrics_CountStoredObjectsAndWatchersOfEveryResource_ByUpstreamsNames()
    {
        await Client.PostReplyAsync("/api/v1/nodes", new JsonObject { ["metadata"] = new JsonObject { ["name"] = "node-1" } });
        await Client.PostReplyAsync("/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases",
            new JsonObject { ["metadata"] = new JsonObject { ["name"] = "node-1" }, ["spec"] = new JsonObject { ["holderIdentity"] = "node-1" } });
        foreach (var name in new[] { "a", "b" })
        {
            await Client.PostReplyAsync("/api/v1/namespaces/default/events", new JsonObject
            {
                ["metadata"] = new JsonObject { ["name"] = name },
                ["involvedObject"] = new JsonObject { ["kind"] = "Node", ["name"] = "node-1", ["namespace"] = "default" },
            });
        }

        await using var nodes = await WatchStream.OpenAsync(Client, "/api/v1/nodes?watch=true");
        await using var events = await WatchStream.OpenAsync(Client, "/apis/events.k8s.io/v1/events?watch=true");
        var metrics = (await Client.GetReplyAsync("/metrics")).Body;

        Assert.Contains("apiserver_storage_objects{resource=\"namespaces\"} 4\n", metrics);
        Assert.Contains("apiserver_storage_objects{resource=\"nodes\"} 1\n", metrics);
        Assert.Contains("apiserver_storage_objects{resource=\"leases.coordination.k8s.io\"} 1\n", metrics);
        Assert.Contains("apiserver_storage_objects{resource=\"events\"} 2\n", metrics);
        Assert.Contains("apiserver_registered_watchers{group=\"\",version=\"v1\",kind=\"Node\"} 1\n", metrics);
        Assert.Contains("apiserver_registered_watchers{group=\"events.k8s.io\",version=\"v1\",kind=\"Event\"} 1\n", metrics);
        Assert.Contains("apiserver_registered_watchers{group=\"\",version=\"v1\",kind=\"Event\"} 0\n", metrics);
    }

    [Fact]
    public async Task Metrics_CountTheBytesAllocated_WhichGrowWithTheRequestsServed()
    {
        var before = Allocated((await Client.GetReplyAsync("/metrics")).Body);
        for (var i = 0; i < 20; i++)
        {
            await Client.GetReplyAsync("/api/v1/namespaces/default/pods");
        }

        var after = Allocated((await Client.GetReplyAsync("/metrics")).Body);

        Assert.True(after > before, $"{after} bytes allocated after 20 lists, {before} before");
    }

    [Fact]
    public async Task Metrics_SumTheGarbageCollectorsPauses_SinceTheProcessStarted()
    {
        Assert.SkipUnless(PodStatusFactory.InProcess, "compares the server's collector with this process's");
        GC.Collect();
        var paused = GC.GetTotalPauseDuration().TotalSeconds;

        var metric = Sample((await Client.GetReplyAsync("/metrics")).Body, "dotnet_gc_pause_seconds_total");

        Assert.True(metric >= paused && metric > 0, $"{metric} s paused in /metrics, {paused} s before the scrape");
    }

    private static double Allocated(string metrics) => Sample(metrics, "dotnet_gc_allocated_bytes_total");

    private static double Sample(string metrics, string name) =>
        double.Parse(Regex.Match(metrics, $@"\n{name} ([0-9.eE+-]+)\n").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task Metrics_CountOnlyResourcesTheServerServes_SoMadeUpPathsAddNoSeries()
    {
        await Client.GetReplyAsync("/api/v1/namespaces/default/madeup-1");
        await Client.GetReplyAsync("/api/v1/namespaces/default/pods/hello-world/madeup-2");
        await Client.GetReplyAsync("/apis/madeup-3/v1/things");

        var metrics = await Client.GetReplyAsync("/metrics");

        Assert.DoesNotContain("madeup", metrics.Body);
    }

    [GeneratedRegex(@"\nprocess_cpu_seconds_total [0-9.e+-]+\n(.|\n)*\nprocess_working_set_bytes [0-9.e+-]+\n(.|\n)*\ndotnet_total_memory_bytes [0-9.e+-]+\n")]
    private static partial Regex ProcessMetric();
}
