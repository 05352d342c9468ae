using System.Net;
using System.Text.Json.Nodes;
using PodStatus.Api.Tests.Infrastructure;

namespace PodStatus.Api.Tests.Resources;

/// <summary>pods/binding as kube-apiserver's BindingREST serves it: how a scheduler assigns a pod to a node.</summary>
public sealed class PodBindingTests : ServerTest
{
    private static string BindingPath(string name) => PodClient.PodPath("default", name) + "/binding";

    private static JsonObject Binding(string name, string node, string? uid = null) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Binding",
        ["metadata"] = new JsonObject { ["name"] = name, ["uid"] = uid, ["annotations"] = new JsonObject { ["scheduler.example.com/score"] = "7" } },
        ["target"] = new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Node", ["name"] = node },
    };

    [Fact]
    public async Task ABinding_SetsTheNode_TheAnnotations_AndPodScheduled_AndAnswersSuccess()
    {
        var pod = await Client.CreatePodAsync(TestPods.Pod("web"));

        var bound = await Client.PostReplyAsync(BindingPath("web"), Binding("web", "node-1", (string?)pod["metadata"]!["uid"]));

        Assert.Equal(HttpStatusCode.Created, bound.Code);
        Assert.Equal("""{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Success","code":201}""", bound.Body);
        var stored = (await Client.GetReplyAsync(PodClient.PodPath("default", "web"))).Json;
        Assert.Equal("node-1", (string?)stored["spec"]!["nodeName"]);
        Assert.Equal("7", (string?)stored["metadata"]!["annotations"]!["scheduler.example.com/score"]);
        var scheduled = Assert.Single(stored["status"]!["conditions"]!.AsArray());
        Assert.Equal(("PodScheduled", "True"), ((string?)scheduled!["type"], (string?)scheduled["status"]));
        Assert.NotEqual(pod["metadata"]!["resourceVersion"]!.ToString(), stored["metadata"]!["resourceVersion"]!.ToString());
    }

    [Fact]
    public async Task ABoundPod_CannotBeBoundAgain_AConflictOnPodsBinding()
    {
        await Client.CreatePodAsync(TestPods.Pod("web", nodeName: "node-1"));

        var again = await Client.PostReplyAsync(BindingPath("web"), Binding("web", "node-2"));

        Assert.Equal(HttpStatusCode.Conflict, again.Code);
        Assert.Equal("Operation cannot be fulfilled on pods/binding \"web\": pod web is already assigned to node \"node-1\"", again.Message);
        Assert.Equal("pods/binding", (string?)again.Json["details"]!["kind"]);
    }

    [Fact]
    public async Task AStaleUid_IsTheStoragesPreconditionConflict_OnThePod()
    {
        await Client.CreatePodAsync(TestPods.Pod("web"));

        var stale = await Client.PostReplyAsync(BindingPath("web"), Binding("web", "node-1", "00000000-0000-0000-0000-000000000000"));

        Assert.Equal(HttpStatusCode.Conflict, stale.Code);
        Assert.StartsWith("Operation cannot be fulfilled on pods \"web\": Precondition failed: UID in precondition: 00000000-0000-0000-0000-000000000000, UID in object meta: ", stale.Message);
    }

    [Theory]
    [InlineData("other", "node-1", HttpStatusCode.BadRequest, "name in URL does not match name in Binding object")]
    [InlineData("web", "", HttpStatusCode.UnprocessableEntity, "Binding \"web\" is invalid: target.name: Required value")]
    public async Task ABindingThatIsWrong_IsRefused_AndThePodIsUntouched(string name, string node, HttpStatusCode code, string message)
    {
        var pod = await Client.CreatePodAsync(TestPods.Pod("web"));

        var refused = await Client.PostReplyAsync(BindingPath("web"), Binding(name, node));

        Assert.Equal((code, message), (refused.Code, refused.Message));
        Assert.Equal(pod["metadata"]!["resourceVersion"]!.ToString(), (await Client.GetReplyAsync(PodClient.PodPath("default", "web"))).ResourceVersion);
    }

    [Fact]
    public async Task APodBeingDeleted_OrMissing_IsNotBound()
    {
        await Client.CreatePodAsync(TestPods.Pod("leaving"));
        var finalizer = await Client.SendAsync(HttpMethod.Patch, PodClient.PodPath("default", "leaving"),
            """{"metadata":{"finalizers":["example.com/hold"]}}""", "application/merge-patch+json");
        Assert.Equal(HttpStatusCode.OK, finalizer.Code);
        await Client.DeleteReplyAsync(PodClient.PodPath("default", "leaving"));

        var deleting = await Client.PostReplyAsync(BindingPath("leaving"), Binding("leaving", "node-1"));
        var missing = await Client.PostReplyAsync(BindingPath("none"), Binding("none", "node-1"));

        Assert.Equal((HttpStatusCode.Conflict, "Operation cannot be fulfilled on pods/binding \"leaving\": pod leaving is being deleted, cannot be assigned to a host"),
            (deleting.Code, deleting.Message));
        Assert.Equal((HttpStatusCode.NotFound, "pods \"none\" not found"), (missing.Code, missing.Message));
    }
}
