using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using k8s.Models;
using PodStatus.Api.Registry;
using PodStatus.Api.Storage;
using PodStatus.Api.Tests.Infrastructure;

namespace PodStatus.Api.Tests;

/// <summary>Lists with label and field selectors, and paging with limit and continue.</summary>
public sealed class ListTests : ServerTest
{
    private async Task CreateAsync(string name, string app, string? nodeName = null, string ns = "default")
    {
        var pod = TestPods.Pod(name, ns, nodeName);
        pod["metadata"]!["labels"] = new JsonObject { ["app"] = app };
        await Client.CreatePodAsync(pod);
    }

    private async Task<List<string>> NamesAsync(string query)
    {
        var reply = await Client.GetReplyAsync("/api/v1/namespaces/default/pods?" + query);
        Assert.True(reply.Code == HttpStatusCode.OK, reply.Body);
        return reply.Json["items"]!.AsArray().Select(i => (string)i!["metadata"]!["name"]!).ToList();
    }

    [Theory]
    [InlineData("app=web", "a,c")]
    [InlineData("app==web", "a,c")]
    [InlineData("app!=web", "b,d")]
    [InlineData("app in (db,cache)", "b,d")]
    [InlineData("app notin (web)", "b,d")]
    [InlineData("app", "a,b,c,d")]
    [InlineData("!app", "")]
    [InlineData("app=web,app!=db", "a,c")]
    public async Task LabelSelector_SelectsAsUpstream(string selector, string expected)
    {
        await CreateAsync("a", "web");
        await CreateAsync("b", "db");
        await CreateAsync("c", "web");
        await CreateAsync("d", "cache");

        var names = await NamesAsync("labelSelector=" + Uri.EscapeDataString(selector));

        Assert.Equal(expected, string.Join(",", names));
    }

    [Fact]
    public async Task MalformedLabelSelector_Returns400()
    {
        var reply = await Client.GetReplyAsync("/api/v1/namespaces/default/pods?labelSelector=" + Uri.EscapeDataString("app in (web"));

        Assert.Equal(HttpStatusCode.BadRequest, reply.Code);
        Assert.StartsWith("unable to parse requirement: ", reply.Message);
    }

    [Theory]
    [InlineData("spec.nodeName=node-1", "a")]
    [InlineData("spec.nodeName!=node-1", "b")]
    [InlineData("metadata.name=b", "b")]
    [InlineData("status.phase=Pending,spec.host=node-1", "a")]
    [InlineData("spec.restartPolicy=Always,spec.schedulerName=default-scheduler", "a,b")]
    [InlineData("spec.hostNetwork=false,spec.serviceAccountName!=x", "a,b")]
    [InlineData("spec.hostNetwork=true", "")]
    [InlineData("status.podIP=,status.nominatedNodeName=", "a,b")]
    public async Task FieldSelector_SelectsSupportedPodFields(string selector, string expected)
    {
        await CreateAsync("a", "web", nodeName: "node-1");
        await CreateAsync("b", "web");

        var names = await NamesAsync("fieldSelector=" + Uri.EscapeDataString(selector));

        Assert.Equal(expected, string.Join(",", names));
    }

    [Fact]
    public async Task FieldSelector_OnPodIP_MatchesTheFirstPodIP()
    {
        await CreateAsync("a", "web", nodeName: "node-1");
        await CreateAsync("b", "web", nodeName: "node-1");
        var b = (await Client.GetReplyAsync(PodClient.PodPath("default", "b"))).Json;
        await Client.PutReplyAsync(PodClient.StatusPath("default", "b"), TestPods.StatusUpdate(b, TestPods.Running("10.0.0.9")));

        Assert.Equal(["b"], await NamesAsync("fieldSelector=" + Uri.EscapeDataString("status.podIP=10.0.0.9,status.phase=Running")));
    }

    [Fact]
    public async Task Selectors_SeeLabelsAndFields_AsEachKindOfWriteLeavesThem()
    {
        await CreateAsync("a", "web", nodeName: "node-1");
        await CreateAsync("b", "web", nodeName: "node-2");

        // A metadata patch relabels a; a status write (which may relabel too) moves b to Running on its node.
        await Client.SendAsync(HttpMethod.Patch, PodClient.PodPath("default", "a"), """{"metadata":{"labels":{"app":"db","tier":"1"}}}""",
            "application/merge-patch+json");
        var b = (await Client.GetReplyAsync(PodClient.PodPath("default", "b"))).Json;
        b["metadata"]!["labels"]!["app"] = "cache";
        await Client.PutReplyAsync(PodClient.StatusPath("default", "b"), TestPods.StatusUpdate(b, TestPods.Running("10.0.0.7")));

        Assert.Equal(["a"], await NamesAsync("labelSelector=" + Uri.EscapeDataString("app=db,tier")));
        Assert.Empty(await NamesAsync("labelSelector=app%3Dweb"));
        Assert.Equal(["b"], await NamesAsync("labelSelector=app%3Dcache&fieldSelector=" +
            Uri.EscapeDataString("spec.nodeName=node-2,status.phase=Running,status.podIP=10.0.0.7")));
        Assert.Equal(["a"], await NamesAsync("fieldSelector=" + Uri.EscapeDataString("spec.nodeName=node-1,status.phase=Pending")));
    }

    [Fact]
    public async Task ListsAndWatches_ReleaseTheirSnapshots_OnceDone()
    {
        Assert.SkipWhen(PodStatusFactory.OnEtcd, "only the in-memory store holds snapshots open");
        await CreateAsync("a", "web");
        await CreateAsync("b", "db");
        var store = (InMemoryStore)Factory.Services.GetRequiredService<Registries>().Of<V1Pod>().Store;

        await Client.GetReplyAsync("/api/v1/pods");
        await Client.GetReplyAsync("/api/v1/namespaces/default/pods?limit=1");
        await Client.GetReplyAsync("/api/v1/namespaces/default/pods?labelSelector=app%3Dweb");
        using var table = new HttpRequestMessage(HttpMethod.Get, "/api/v1/pods");
        table.Headers.Accept.ParseAdd("application/json;as=Table;v=v1;g=meta.k8s.io");
        using var tableReply = await Client.SendAsync(table, TestContext.Current.CancellationToken);
        Assert.Contains("\"kind\":\"Table\"", await tableReply.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        await Client.GetReplyAsync("/api/v1/namespaces/default/pods?watch=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&timeoutSeconds=1");

        // A response is released just after its last byte leaves; the paged list's snapshot is kept a minute for
        // its next page, and let go at the first write after that.
        for (var waited = 0; store.OpenSnapshots > 1 && waited < 100; waited++)
        {
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }

        Assert.Equal(1, store.OpenSnapshots);
        Factory.Clock.Advance(InMemoryStore.KeptForLaterPages);
        await CreateAsync("c", "web");
        Assert.Equal(0, store.OpenSnapshots);
    }

    [Fact]
    public async Task List_AtARevisionTheServerHasNotReached_Returns504TooLargeResourceVersion()
    {
        await CreateAsync("a", "web");
        var current = (await Client.GetReplyAsync("/api/v1/namespaces/default/pods")).ResourceVersion;
        await WaitForCacheAsync(current);

        // Upstream waits up to 3 s for a fresh enough state.
        var reply = await Factory.AdvanceClockUntilAsync(
            Client.GetReplyAsync("/api/v1/namespaces/default/pods?resourceVersion=99999"), TimeSpan.FromSeconds(3));
        Assert.Equal(HttpStatusCode.GatewayTimeout, reply.Code);
        Assert.Equal($"Timeout: Too large resource version: 99999, current: {ReportedCurrent(reply.Message!, current)}", reply.Message);
        Assert.Equal("ResourceVersionTooLarge", (string?)reply.Json["details"]!["causes"]![0]!["reason"]);
    }

    [Fact]
    public async Task List_AtAnOlderRevision_ServesTheCurrentState()
    {
        await CreateAsync("a", "web");
        var reply = await Client.GetReplyAsync("/api/v1/namespaces/default/pods?resourceVersion=1");

        Assert.Equal(HttpStatusCode.OK, reply.Code);
        Assert.Single(reply.Json["items"]!.AsArray());
    }

    [Fact]
    public async Task FieldSelector_OnUnsupportedField_Returns400()
    {
        var reply = await Client.GetReplyAsync("/api/v1/namespaces/default/pods?fieldSelector=spec.priority%3D1");

        Assert.Equal(HttpStatusCode.BadRequest, reply.Code);
        Assert.Equal("field label not supported: spec.priority", reply.Message);
    }

    [Fact]
    public async Task Limit_PagesThroughWithContinue_AsThePodsStoodAtTheFirstPage()
    {
        foreach (var name in new[] { "p1", "p2", "p3", "p4", "p5" })
        {
            await CreateAsync(name, "web");
        }

        var first = await Client.GetReplyAsync("/api/v1/namespaces/default/pods?limit=2");
        var p4 = (await Client.GetReplyAsync(PodClient.PodPath("default", "p4"))).Json;
        await CreateAsync("p6", "web");
        await Client.DeleteReplyAsync(PodClient.PodPath("default", "p3"));
        await Client.PutReplyAsync(PodClient.StatusPath("default", "p4"), TestPods.StatusUpdate(p4, TestPods.Running()));
        var second = await NextPageAsync(first);
        var third = await NextPageAsync(second);

        Assert.Equal(["p1", "p2"], Names(first));
        Assert.Equal(3, (int?)first.Json["metadata"]!["remainingItemCount"]);
        Assert.Equal(["p3", "p4"], Names(second));
        Assert.Equal((string?)p4["metadata"]!["resourceVersion"], (string?)second.Json["items"]![1]!["metadata"]!["resourceVersion"]);
        Assert.Equal(first.ResourceVersion, second.ResourceVersion);
        Assert.Equal(["p5"], Names(third));
        Assert.Null(third.Json["metadata"]!["continue"]);
    }

    [Fact]
    public async Task Continue_WithinAMinute_ReadsTheFirstPagesSnapshot_HoweverManyWritesCameBetween()
    {
        using var factory = new PodStatusFactory { SeedPath = "none", HistorySize = 2 };
        using var client = factory.CreateClient();
        var first = await FirstOfTwoPagesAsync(client);
        await client.DeleteReplyAsync(PodClient.PodPath("default", "p4"), new JsonObject { ["gracePeriodSeconds"] = 0 });
        foreach (var name in new[] { "p5", "p6", "p7" })
        {
            await client.CreatePodAsync(TestPods.Pod(name));
        }

        factory.Clock.Advance(TimeSpan.FromSeconds(59));
        var second = await client.GetReplyAsync("/api/v1/namespaces/default/pods?limit=2&continue=" + Uri.EscapeDataString((string)first.Json["metadata"]!["continue"]!));

        Assert.True(second.Code == HttpStatusCode.OK, second.Body);
        Assert.Equal(["p3", "p4"], Names(second));
        Assert.Equal(first.ResourceVersion, second.ResourceVersion);
    }

    [Fact]
    public async Task Continue_PastTheKeptHistory_Returns410_WithATokenForTheRest()
    {
        Assert.SkipWhen(PodStatusFactory.OnEtcd, "etcd keeps old revisions until it is compacted; EtcdStoreTests reads at a compacted revision");
        using var factory = new PodStatusFactory { SeedPath = "none", HistorySize = 2 };
        using var client = factory.CreateClient();
        var first = await FirstOfTwoPagesAsync(client);
        // The first page's snapshot is kept for the next page for a minute only.
        factory.Clock.Advance(InMemoryStore.KeptForLaterPages);
        await client.CreatePodAsync(TestPods.Pod("p5"));
        await client.CreatePodAsync(TestPods.Pod("p6"));
        await client.CreatePodAsync(TestPods.Pod("p7"));
        var expired = await client.GetReplyAsync("/api/v1/namespaces/default/pods?limit=2&continue=" + Uri.EscapeDataString((string)first.Json["metadata"]!["continue"]!));
        var rest = await client.GetReplyAsync("/api/v1/namespaces/default/pods?continue=" + Uri.EscapeDataString((string)expired.Json["metadata"]!["continue"]!));

        Assert.Equal(HttpStatusCode.Gone, expired.Code);
        Assert.Equal("Expired", expired.Reason);
        Assert.StartsWith("The provided continue parameter is too old to display a consistent list result.", expired.Message);
        Assert.Equal(["p3", "p4", "p5", "p6", "p7"], Names(rest));
    }

    /// <summary>Pods p1 to p4, and the first page of two.</summary>
    private static async Task<Reply> FirstOfTwoPagesAsync(HttpClient client)
    {
        foreach (var name in new[] { "p1", "p2", "p3", "p4" })
        {
            await client.CreatePodAsync(TestPods.Pod(name));
        }

        return await client.GetReplyAsync("/api/v1/namespaces/default/pods?limit=2");
    }

    private async Task<Reply> NextPageAsync(Reply page) =>
        await Client.GetReplyAsync("/api/v1/namespaces/default/pods?limit=2&continue=" + Uri.EscapeDataString((string)page.Json["metadata"]!["continue"]!));

    private static List<string?> Names(Reply page) => page.Json["items"]!.AsArray().Select(i => (string?)i!["metadata"]!["name"]).ToList();

    [Fact]
    public async Task InvalidContinueToken_Returns400()
    {
        var reply = await Client.GetReplyAsync("/api/v1/namespaces/default/pods?limit=2&continue=not-a-token");

        Assert.Equal(HttpStatusCode.BadRequest, reply.Code);
        Assert.StartsWith("continue key is not valid: ", reply.Message);
    }
}
