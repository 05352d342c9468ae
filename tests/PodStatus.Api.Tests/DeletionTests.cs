using System.Net;
using System.Text.Json.Nodes;
using PodStatus.Api.Tests.Infrastructure;

namespace PodStatus.Api.Tests;

/// <summary>DELETE and graceful deletion, with PodStatus playing the kubelet's final delete on a fake clock.</summary>
public sealed class DeletionTests : ServerTest
{
    private async Task<Reply> GetAsync(string name) => await Client.GetReplyAsync(PodClient.PodPath("default", name));

    /// <summary>The final delete runs on a timer callback; wait for it briefly instead of for the grace period.</summary>
    private async Task AssertGoneSoonAsync(string name)
    {
        for (var attempt = 0; attempt < 100 && (await GetAsync(name)).Code != HttpStatusCode.NotFound; attempt++)
        {
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }

        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(name)).Code);
    }

    [Fact]
    public async Task Delete_OfUnscheduledPod_RemovesItAtOnceAndReturnsIt()
    {
        await Client.CreatePodAsync(TestPods.Pod("unscheduled"));

        var reply = await Client.DeleteReplyAsync(PodClient.PodPath("default", "unscheduled"));

        Assert.Equal(HttpStatusCode.OK, reply.Code);
        Assert.Equal("Pod", (string?)reply.Json["kind"]);
        Assert.Equal("unscheduled", (string?)reply.Json["metadata"]!["name"]);
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync("unscheduled")).Code);
    }

    [Fact]
    public async Task Delete_OfScheduledPod_MarksItAndRemovesItWhenTheGracePeriodEnds()
    {
        await Client.CreatePodAsync(TestPods.Pod("scheduled", nodeName: "node-1"));

        var reply = await Client.DeleteReplyAsync(PodClient.PodPath("default", "scheduled"));

        Assert.Equal(HttpStatusCode.OK, reply.Code);
        Assert.Equal(Factory.Timestamp(30), (string?)reply.Json["metadata"]!["deletionTimestamp"]);
        Assert.Equal(30, (int?)reply.Json["metadata"]!["deletionGracePeriodSeconds"]);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("scheduled")).Code);

        Factory.Clock.Advance(TimeSpan.FromSeconds(29));
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("scheduled")).Code);

        Factory.Clock.Advance(TimeSpan.FromSeconds(1));
        await AssertGoneSoonAsync("scheduled");
    }

    [Fact]
    public async Task Delete_WithGracePeriodZero_RemovesScheduledPodAtOnce()
    {
        await Client.CreatePodAsync(TestPods.Pod("forced", nodeName: "node-1"));

        var reply = await Client.DeleteReplyAsync(PodClient.PodPath("default", "forced") + "?gracePeriodSeconds=0");

        Assert.Equal(HttpStatusCode.OK, reply.Code);
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync("forced")).Code);
    }

    [Fact]
    public async Task Delete_WithDeleteOptionsBody_UsesItsGracePeriod()
    {
        await Client.CreatePodAsync(TestPods.Pod("body-options", nodeName: "node-1"));

        var reply = await Client.DeleteReplyAsync(PodClient.PodPath("default", "body-options"),
            JsonNode.Parse("""{"kind":"DeleteOptions","apiVersion":"v1","gracePeriodSeconds":5,"propagationPolicy":"Background"}"""));

        Assert.Equal(5, (int?)reply.Json["metadata"]!["deletionGracePeriodSeconds"]);
        Factory.Clock.Advance(TimeSpan.FromSeconds(5));
        await AssertGoneSoonAsync("body-options");
    }

    [Theory]
    [InlineData("application/json", "", false)]
    [InlineData("application/yaml", "", false)]
    [InlineData("application/json", "null", true)]
    [InlineData("application/yaml", "# no options", true)]
    public async Task Delete_TakesTheQuerysOptions_OnlyWithoutABody_AsUpstreamDoes(string contentType, string body, bool deleted)
    {
        await Client.CreatePodAsync(TestPods.Pod("query-options", nodeName: "node-1"));

        var reply = await Client.SendAsync(HttpMethod.Delete, PodClient.PodPath("default", "query-options") + "?dryRun=All", body, contentType);

        Assert.Equal(HttpStatusCode.OK, reply.Code);
        Assert.Equal(deleted, (await GetAsync("query-options")).Json["metadata"]!["deletionTimestamp"] is not null);
    }

    [Fact]
    public async Task Delete_OfTerminalPod_RemovesItAtOnce()
    {
        var pod = await Client.CreatePodAsync(TestPods.Pod("finished", nodeName: "node-1"));
        await Client.PutReplyAsync(PodClient.StatusPath("default", "finished"), TestPods.StatusUpdate(pod, new JsonObject { ["phase"] = "Succeeded" }));

        await Client.DeleteReplyAsync(PodClient.PodPath("default", "finished"));

        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync("finished")).Code);
    }

    [Fact]
    public async Task Delete_AgainWithShorterGracePeriod_ShortensIt()
    {
        await Client.CreatePodAsync(TestPods.Pod("shorten", nodeName: "node-1"));
        await Client.DeleteReplyAsync(PodClient.PodPath("default", "shorten"));

        var reply = await Client.DeleteReplyAsync(PodClient.PodPath("default", "shorten") + "?gracePeriodSeconds=2");

        Assert.Equal(Factory.Timestamp(2), (string?)reply.Json["metadata"]!["deletionTimestamp"]);
        Factory.Clock.Advance(TimeSpan.FromSeconds(2));
        await AssertGoneSoonAsync("shorten");
    }

    [Fact]
    public async Task Delete_AgainWithoutShorterGracePeriod_ChangesNothing()
    {
        await Client.CreatePodAsync(TestPods.Pod("pending", nodeName: "node-1"));
        var first = await Client.DeleteReplyAsync(PodClient.PodPath("default", "pending"));

        var second = await Client.DeleteReplyAsync(PodClient.PodPath("default", "pending"));

        Assert.Equal(HttpStatusCode.OK, second.Code);
        Assert.Equal(first.ResourceVersion, second.ResourceVersion);
    }

    [Fact]
    public async Task Delete_OfPodWithFinalizers_WaitsUntilAStatusWriteRemovesThem()
    {
        var pod = TestPods.Pod("held");
        pod["metadata"]!["finalizers"] = new JsonArray("example.com/hold");
        await Client.CreatePodAsync(pod);

        var deleted = await Client.DeleteReplyAsync(PodClient.PodPath("default", "held"));
        Assert.NotNull(deleted.Json["metadata"]!["deletionTimestamp"]);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("held")).Code);

        var release = deleted.Json.DeepClone().AsObject();
        release["metadata"]!.AsObject().Remove("finalizers");
        var reply = await Client.PutReplyAsync(PodClient.StatusPath("default", "held"), release);

        Assert.Equal(HttpStatusCode.OK, reply.Code);
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync("held")).Code);
    }

    [Fact]
    public async Task AddingFinalizers_ToAPodBeingDeleted_Returns422()
    {
        await Client.CreatePodAsync(TestPods.Pod("closing", nodeName: "node-1"));
        var deleted = await Client.DeleteReplyAsync(PodClient.PodPath("default", "closing"));
        var update = deleted.Json.DeepClone().AsObject();
        update["metadata"]!["finalizers"] = new JsonArray("example.com/late");

        var reply = await Client.PutReplyAsync(PodClient.StatusPath("default", "closing"), update);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, reply.Code);
        Assert.Contains("metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{\"example.com/late\"}", reply.Message);
    }

    [Fact]
    public async Task Delete_WithOtherUidPrecondition_Returns409()
    {
        await Client.CreatePodAsync(TestPods.Pod("guarded"));

        var reply = await Client.DeleteReplyAsync(PodClient.PodPath("default", "guarded"),
            JsonNode.Parse("""{"kind":"DeleteOptions","apiVersion":"v1","preconditions":{"uid":"other"}}"""));

        Assert.Equal(HttpStatusCode.Conflict, reply.Code);
        Assert.Contains("Precondition failed: UID in precondition: other", reply.Message);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("guarded")).Code);
    }

    [Theory]
    [InlineData("""{"propagationPolicy":"Sometimes"}""",
        "propagationPolicy: Unsupported value: \"Sometimes\": supported values: \"Foreground\", \"Background\", \"Orphan\", \"nil\"")]
    [InlineData("""{"propagationPolicy":"Orphan","orphanDependents":true}""",
        "propagationPolicy: Invalid value: \"Orphan\": orphanDependents and deletionPropagation cannot be both set")]
    [InlineData("""{"dryRun":["Some"]}""", "dryRun: Unsupported value: []string{\"Some\"}: supported values: \"All\"")]
    public async Task Delete_WithInvalidDeleteOptions_Returns422AndKeepsThePod(string options, string error)
    {
        await Client.CreatePodAsync(TestPods.Pod("kept"));

        var reply = await Client.DeleteReplyAsync(PodClient.PodPath("default", "kept"), JsonNode.Parse(options));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, reply.Code);
        Assert.Equal($"DeleteOptions.meta.k8s.io \"\" is invalid: {error}", reply.Message);
        Assert.Equal("meta.k8s.io", (string?)reply.Json["details"]!["group"]);
        Assert.Equal("DeleteOptions", (string?)reply.Json["details"]!["kind"]);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("kept")).Code);
    }

    [Fact]
    public async Task Delete_OfMissingPod_Returns404()
    {
        var reply = await Client.DeleteReplyAsync(PodClient.PodPath("default", "absent"));

        Assert.Equal(HttpStatusCode.NotFound, reply.Code);
        Assert.Equal("pods \"absent\" not found", reply.Message);
    }

    [Fact]
    public async Task DeleteCollection_DeletesWhatTheSelectorsSelect_EachAsADeleteWould_AndAnswersTheListedPods()
    {
        foreach (var (name, app, node) in new[] { ("web-1", "web", null), ("web-2", "web", "node-1"), ("db", "db", null) })
        {
            var pod = TestPods.Pod(name, nodeName: node);
            pod["metadata"]!["labels"]!["app"] = app;
            await Client.CreatePodAsync(pod);
        }

        var reply = await Client.DeleteReplyAsync("/api/v1/namespaces/default/pods?labelSelector=app%3Dweb");

        Assert.Equal(HttpStatusCode.OK, reply.Code);
        Assert.Equal("PodList", (string?)reply.Json["kind"]);
        Assert.Equal(["web-1", "web-2"], reply.Json["items"]!.AsArray().Select(item => (string?)item!["metadata"]!["name"]));
        // The items as listed, before their deletion marked them.
        Assert.Null(reply.Json["items"]![1]!["metadata"]!["deletionTimestamp"]);
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync("web-1")).Code);
        // A scheduled pod is deleted gracefully, as a DELETE of it would be.
        var marked = (await GetAsync("web-2")).Json["metadata"]!;
        Assert.NotNull(marked["deletionTimestamp"]);
        Assert.Equal(30, (int?)marked["deletionGracePeriodSeconds"]);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("db")).Code);
    }

    [Fact]
    public async Task DeleteCollection_TakesDeleteOptionsFromTheQueryOrTheBody()
    {
        await Client.CreatePodAsync(TestPods.Pod("scheduled", nodeName: "node-1"));
        await Client.CreatePodAsync(TestPods.Pod("kept"));

        var dryRun = await Client.DeleteReplyAsync("/api/v1/namespaces/default/pods?dryRun=All");
        var forced = await Client.DeleteReplyAsync("/api/v1/namespaces/default/pods?fieldSelector=spec.nodeName%3Dnode-1",
            new JsonObject { ["gracePeriodSeconds"] = 0 });

        Assert.Equal(2, dryRun.Json["items"]!.AsArray().Count);
        Assert.Equal(HttpStatusCode.OK, forced.Code);
        Assert.Single(forced.Json["items"]!.AsArray());
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync("scheduled")).Code);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("kept")).Code);
    }

    [Fact]
    public async Task DeleteCollection_RefusesBadOptions_AndIsNotServedForNamespacesOrAcrossNamespaces()
    {
        var badSelector = await Client.DeleteReplyAsync("/api/v1/namespaces/default/pods?labelSelector=a%3D%3D%3Db");
        var badPolicy = await Client.DeleteReplyAsync("/api/v1/namespaces/default/pods?propagationPolicy=Sideways");
        var namespaces = await Client.DeleteReplyAsync("/api/v1/namespaces");
        var allNamespaces = await Client.DeleteReplyAsync("/api/v1/pods");

        Assert.Equal(HttpStatusCode.BadRequest, badSelector.Code);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, badPolicy.Code);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, namespaces.Code);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, allNamespaces.Code);
    }
}
