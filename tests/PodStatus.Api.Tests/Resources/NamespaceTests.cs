using System.Net;
using System.Text.Json.Nodes;
using PodStatus.Api.Tests.Infrastructure;

namespace PodStatus.Api.Tests.Resources;

/// <summary>Namespaces as kube-apiserver serves them: the cluster's own, the lifecycle rule on creates, and deletion.</summary>
public sealed class NamespaceTests : ServerTest
{
    private const string Namespaces = "/api/v1/namespaces";

    private static JsonObject Namespace(string name) => new() { ["metadata"] = new JsonObject { ["name"] = name } };

    /// <summary>The namespace controller works in the background: wait briefly for what it does.</summary>
    private async Task<Reply> EventuallyAsync(string path, HttpStatusCode code)
    {
        var reply = await Client.GetReplyAsync(path);
        for (var attempt = 0; attempt < 200 && reply.Code != code; attempt++)
        {
            await Task.Delay(25, TestContext.Current.CancellationToken);
            reply = await Client.GetReplyAsync(path);
        }

        return reply;
    }

    [Fact]
    public async Task ACreateInProtobuf_AsKubectlSendsIt_IsRead_TheLastOfTwoLabelsWithOneKeyWinning()
    {
        var body = KubeProtobufBodies.Namespace("team-a", ("team", "a"), ("tier", "x"), ("tier", "web"));

        var (created, _) = await Client.SendBytesAsync(HttpMethod.Post, Namespaces, body, "application/vnd.kubernetes.protobuf");

        Assert.Equal(HttpStatusCode.Created, created.Code);
        Assert.Equal("""{"kubernetes.io/metadata.name":"team-a","team":"a","tier":"web"}""", created.Json["metadata"]!["labels"]!.ToJsonString());
        Assert.Equal("""["kubernetes"]""", created.Json["spec"]!["finalizers"]!.ToJsonString());
    }

    [Fact]
    public async Task TheClustersOwnNamespaces_ExistFromTheStart_ActiveWithTheKubernetesFinalizerAndTheNameLabel()
    {
        var list = await Client.GetReplyAsync(Namespaces);

        Assert.Equal("NamespaceList", (string?)list.Json["kind"]);
        var items = list.Json["items"]!.AsArray().Select(item => item!).ToList();
        Assert.Equal(["default", "kube-node-lease", "kube-public", "kube-system"], items.Select(item => (string?)item["metadata"]!["name"]));
        Assert.All(items, item =>
        {
            Assert.Equal("Active", (string?)item["status"]!["phase"]);
            Assert.Equal("[\"kubernetes\"]", item["spec"]!["finalizers"]!.ToJsonString());
            Assert.Equal((string?)item["metadata"]!["name"], (string?)item["metadata"]!["labels"]!["kubernetes.io/metadata.name"]);
            Assert.Null(item["metadata"]!["namespace"]);
        });
    }

    [Fact]
    public async Task CreatingAPod_InANamespaceThatDoesNotExist_Returns404ForTheNamespace()
    {
        var reply = await Client.PostReplyAsync("/api/v1/namespaces/nowhere/pods", TestPods.Pod("web", "nowhere"));

        Assert.Equal(HttpStatusCode.NotFound, reply.Code);
        Assert.Equal("namespaces \"nowhere\" not found", reply.Message);
        Assert.Equal("""{"name":"nowhere","kind":"namespaces"}""", reply.Json["details"]!.ToJsonString());
    }

    [Fact]
    public async Task CreatingAPod_InANewNamespace_Succeeds()
    {
        var created = await Client.PostReplyAsync(Namespaces, Namespace("team-a"));
        await Client.CreatePodAsync(TestPods.Pod("web", "team-a"));

        Assert.Equal(HttpStatusCode.Created, created.Code);
        Assert.Equal("/api/v1/namespaces/team-a", (string?)created.Json["metadata"]!["selfLink"]);
        Assert.Equal(HttpStatusCode.OK, (await Client.GetReplyAsync(PodClient.PodPath("team-a", "web"))).Code);
    }

    [Fact]
    public async Task ANamespaceInTheBody_OfAClusterScopedObject_IsDropped()
    {
        var body = Namespace("team-a");
        body["metadata"]!["namespace"] = "default";

        var created = await Client.PostReplyAsync(Namespaces, body);

        Assert.Equal(HttpStatusCode.Created, created.Code);
        Assert.Null(created.Json["metadata"]!["namespace"]);
    }

    [Theory]
    [InlineData("default")]
    [InlineData("kube-system")]
    [InlineData("kube-public")]
    public async Task TheImmortalNamespaces_MayNotBeDeleted(string name)
    {
        var reply = await Client.DeleteReplyAsync($"{Namespaces}/{name}");

        Assert.Equal(HttpStatusCode.Forbidden, reply.Code);
        Assert.Equal($"namespaces \"{name}\" is forbidden: this namespace may not be deleted", reply.Message);
    }

    [Fact]
    public async Task ANameThatIsNotADnsLabel_Returns422()
    {
        var reply = await Client.PostReplyAsync(Namespaces, Namespace("team.a"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, reply.Code);
        Assert.StartsWith("Namespace \"team.a\" is invalid: metadata.name: Invalid value: \"team.a\": a lowercase RFC 1123 label must consist of", reply.Message);
    }

    [Fact]
    public async Task Deleting_MarksItTerminating_RefusesNewContent_EmptiesIt_AndRemovesIt()
    {
        await Client.PostReplyAsync(Namespaces, Namespace("doomed"));
        await Client.CreatePodAsync(TestPods.Pod("unscheduled", "doomed"));
        await Client.CreatePodAsync(TestPods.Pod("running", "doomed", nodeName: "node-1"));

        var deleted = await Client.DeleteReplyAsync($"{Namespaces}/doomed");
        var refused = await Client.PostReplyAsync("/api/v1/namespaces/doomed/pods", TestPods.Pod("late", "doomed"));

        Assert.Equal(HttpStatusCode.OK, deleted.Code);
        Assert.Equal("Terminating", (string?)deleted.Json["status"]!["phase"]);
        Assert.Equal(Factory.Timestamp(), (string?)deleted.Json["metadata"]!["deletionTimestamp"]);
        Assert.Equal(HttpStatusCode.Forbidden, refused.Code);
        Assert.Equal("pods \"late\" is forbidden: unable to create new content in namespace doomed because it is being terminated", refused.Message);
        Assert.Equal("""[{"reason":"NamespaceTerminating","message":"namespace doomed is being terminated","field":"metadata.namespace"}]""",
            refused.Json["details"]!["causes"]!.ToJsonString());

        // The unscheduled pod goes at once; the running one is deleted gracefully, as any client's delete of it.
        Assert.Equal(HttpStatusCode.NotFound, (await EventuallyAsync(PodClient.PodPath("doomed", "unscheduled"), HttpStatusCode.NotFound)).Code);
        var terminating = await EventuallyAsync(PodClient.PodPath("doomed", "running"), HttpStatusCode.OK);
        Assert.NotNull(terminating.Json["metadata"]!["deletionTimestamp"]);
        var again = await Client.DeleteReplyAsync($"{Namespaces}/doomed");
        Assert.Equal(HttpStatusCode.OK, again.Code);
        Assert.Equal("Terminating", (string?)again.Json["status"]!["phase"]);

        Factory.Clock.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(HttpStatusCode.NotFound, (await EventuallyAsync($"{Namespaces}/doomed", HttpStatusCode.NotFound)).Code);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetReplyAsync(PodClient.PodPath("doomed", "running"))).Code);
    }

    [Fact]
    public async Task AnUpdate_KeepsTheSpecsFinalizersAndTheStatus_AndFinalizeRemovesThem()
    {
        var created = (await Client.PostReplyAsync(Namespaces, Namespace("team-a"))).Json;
        created["spec"] = new JsonObject { ["finalizers"] = new JsonArray() };
        created["status"] = new JsonObject { ["phase"] = "Terminating" };

        var updated = await Client.PutReplyAsync($"{Namespaces}/team-a", created);
        var withoutFinalizers = updated.Json;
        withoutFinalizers["spec"] = new JsonObject();
        var finalized = await Client.PutReplyAsync($"{Namespaces}/team-a/finalize", withoutFinalizers);

        Assert.Equal(HttpStatusCode.OK, updated.Code);
        Assert.Equal("[\"kubernetes\"]", updated.Json["spec"]!["finalizers"]!.ToJsonString());
        Assert.Equal("Active", (string?)updated.Json["status"]!["phase"]);
        Assert.Equal(HttpStatusCode.OK, finalized.Code);
        Assert.Null(finalized.Json["spec"]!["finalizers"]);
        Assert.Equal("/api/v1/namespaces/team-a/finalize", (string?)finalized.Json["metadata"]!["selfLink"]);
    }

    [Fact]
    public async Task AStatusWrite_OfAPhaseThatDoesNotFollowTheDeletion_Returns422()
    {
        var created = (await Client.PostReplyAsync(Namespaces, Namespace("team-a"))).Json;
        created["status"] = new JsonObject { ["phase"] = "Terminating" };

        var reply = await Client.PutReplyAsync($"{Namespaces}/team-a/status", created);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, reply.Code);
        Assert.Equal("Namespace \"team-a\" is invalid: status.Phase: Invalid value: \"Terminating\": may only be 'Active' if `deletionTimestamp` is empty", reply.Message);
    }

    [Fact]
    public async Task FieldSelectors_AreUpstreamsForNamespaces()
    {
        await Client.PostReplyAsync(Namespaces, Namespace("team-a"));

        var named = await Client.GetReplyAsync($"{Namespaces}?fieldSelector=metadata.name%3Dteam-a");
        var active = await Client.GetReplyAsync($"{Namespaces}?fieldSelector=status.phase%3DActive");
        var unknown = await Client.GetReplyAsync($"{Namespaces}?fieldSelector=spec.finalizers%3Dx");

        Assert.Equal(["team-a"], named.Json["items"]!.AsArray().Select(item => (string?)item!["metadata"]!["name"]));
        Assert.Equal(5, active.Json["items"]!.AsArray().Count);
        Assert.Equal(HttpStatusCode.BadRequest, unknown.Code);
        Assert.Equal("field label not supported: spec.finalizers", unknown.Message);
    }

    [Fact]
    public async Task AWatch_AtTheDeprecatedWatchPath_SeesANamespaceComeAndGo()
    {
        var from = (await Client.GetReplyAsync(Namespaces)).ResourceVersion;
        await using var watch = await WatchStream.OpenAsync(Client, $"/api/v1/watch/namespaces/team-a?resourceVersion={from}");

        await Client.PostReplyAsync(Namespaces, Namespace("other"));
        await Client.PostReplyAsync(Namespaces, Namespace("team-a"));
        await Client.DeleteReplyAsync($"{Namespaces}/team-a");

        Assert.Equal(["ADDED team-a", "MODIFIED team-a"], await watch.TakeAsync(2));
        Assert.Equal(["DELETED team-a"], await watch.TakeAsync(1));
    }

    [Fact]
    public async Task TheTable_HasUpstreamsColumns()
    {
        Factory.Clock.Advance(TimeSpan.FromSeconds(5));
        using var request = new HttpRequestMessage(HttpMethod.Get, Namespaces);
        request.Headers.Accept.ParseAdd("application/json;as=Table;v=v1;g=meta.k8s.io");
        using var response = await Client.SendAsync(request, TestContext.Current.CancellationToken);
        var table = JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!;

        Assert.Equal(["Name", "Status", "Age"], table["columnDefinitions"]!.AsArray().Select(column => (string?)column!["name"]));
        Assert.Equal("""["default","Active","5s"]""", table["rows"]![0]!["cells"]!.ToJsonString());
    }
}
