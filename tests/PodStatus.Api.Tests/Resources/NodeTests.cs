using System.Net;
using System.Text.Json.Nodes;
using PodStatus.Api.Tests.Infrastructure;

namespace PodStatus.Api.Tests.Resources;

/// <summary>Nodes as kube-apiserver serves them: a kubelet's registration and status writes, cordoning, selectors, printing.</summary>
public sealed class NodeTests : ServerTest
{
    private const string Nodes = "/api/v1/nodes";

    private static JsonObject Node(string name, string ready = "True") => JsonNode.Parse("""
        {"apiVersion":"v1","kind":"Node","metadata":{"name":"NAME","labels":{"node-role.kubernetes.io/worker":""}},
         "status":{"capacity":{"cpu":"4","memory":"8Gi","pods":"110"},
                   "conditions":[{"type":"Ready","status":"READY","reason":"KubeletReady","message":"kubelet is posting ready status"},
                                 {"type":"MemoryPressure","status":"False","reason":"KubeletHasSufficientMemory"}],
                   "addresses":[{"type":"InternalIP","address":"10.0.0.1"},{"type":"Hostname","address":"NAME"}],
                   "nodeInfo":{"kubeletVersion":"v1.33.0","osImage":"Debian GNU/Linux 12","kernelVersion":"6.1.0","containerRuntimeVersion":"containerd://1.7.0",
                               "architecture":"amd64","operatingSystem":"linux","bootID":"","kernelVersion":"6.1.0","machineID":"","systemUUID":"","kubeProxyVersion":""}}}
        """.Replace("NAME", name).Replace("READY", ready))!.AsObject();

    [Fact]
    public async Task ARegistration_KeepsTheKubeletsStatus_AndDefaultsAllocatableToCapacity()
    {
        var created = await Client.PostReplyAsync(Nodes, Node("node-1"));

        Assert.Equal(HttpStatusCode.Created, created.Code);
        Assert.Equal("/api/v1/nodes/node-1", (string?)created.Json["metadata"]!["selfLink"]);
        Assert.Equal("True", (string?)created.Json["status"]!["conditions"]![0]!["status"]);
        Assert.Equal("""{"cpu":"4","memory":"8Gi","pods":"110"}""", created.Json["status"]!["allocatable"]!.ToJsonString());
    }

    [Fact]
    public async Task ANegativeCapacity_Returns422_PrintedAsUpstreamPrintsTheQuantity()
    {
        var node = Node("node-1");
        node["status"]!["capacity"]!["memory"] = "-1Gi";

        var reply = await Client.PostReplyAsync(Nodes, node);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, reply.Code);
        Assert.Contains("status.capacity.memory: Invalid value: \"-1Gi\": must be greater than or equal to 0", reply.Message);
    }

    [Fact]
    public async Task NodeInfoAndDaemonEndpoints_AreServedAsGoWritesThem_EvenWhenNotGiven()
    {
        var created = await Client.PostReplyAsync(Nodes, JsonNode.Parse("""{"metadata":{"name":"bare"}}""")!.AsObject());
        var reported = await Client.SendAsync(HttpMethod.Patch, $"{Nodes}/bare/status",
            """{"status":{"nodeInfo":{"kubeletVersion":"v1.33.0"}}}""", "application/merge-patch+json");

        Assert.Equal(HttpStatusCode.Created, created.Code);
        Assert.Equal("""{"kubeletEndpoint":{"Port":0}}""", created.Json["status"]!["daemonEndpoints"]!.ToJsonString());
        var info = reported.Json["status"]!["nodeInfo"]!.AsObject();
        Assert.Equal(
            ["architecture", "bootID", "containerRuntimeVersion", "kernelVersion", "kubeProxyVersion", "kubeletVersion", "machineID",
             "operatingSystem", "osImage", "systemUUID"],
            info.Select(field => field.Key).Order(StringComparer.Ordinal));
        Assert.Equal("v1.33.0", (string?)info["kubeletVersion"]);
        Assert.All(info.Where(field => field.Key != "kubeletVersion"), field => Assert.Equal("", (string?)field.Value));
    }

    [Fact]
    public async Task AStatusPatch_MergesConditionsAndAddressesByType_AndLeavesTheSpec()
    {
        await Client.PostReplyAsync(Nodes, Node("node-1"));
        var patch = """{"spec":{"unschedulable":true},"status":{"conditions":[{"type":"Ready","status":"False","reason":"KubeletNotReady"}],"addresses":[{"type":"ExternalIP","address":"1.2.3.4"}]}}""";

        var patched = await Client.SendAsync(HttpMethod.Patch, $"{Nodes}/node-1/status", patch, "application/strategic-merge-patch+json");

        Assert.Equal(HttpStatusCode.OK, patched.Code);
        var conditions = patched.Json["status"]!["conditions"]!.AsArray();
        Assert.Equal(["Ready", "MemoryPressure"], conditions.Select(c => (string?)c!["type"]));
        Assert.Equal(("False", "KubeletNotReady", "kubelet is posting ready status"),
            ((string?)conditions[0]!["status"], (string?)conditions[0]!["reason"], (string?)conditions[0]!["message"]));
        Assert.Equal(["InternalIP", "Hostname", "ExternalIP"], patched.Json["status"]!["addresses"]!.AsArray().Select(a => (string?)a!["type"]));
        Assert.Null(patched.Json["spec"]!["unschedulable"]);
    }

    [Fact]
    public async Task AnUpdateOfTheNode_KeepsItsStatus()
    {
        var node = (await Client.PostReplyAsync(Nodes, Node("node-1"))).Json;
        node["spec"] = new JsonObject { ["unschedulable"] = true };
        node["status"] = new JsonObject();

        var updated = await Client.PutReplyAsync($"{Nodes}/node-1", node);

        Assert.Equal(HttpStatusCode.OK, updated.Code);
        Assert.True((bool?)updated.Json["spec"]!["unschedulable"]);
        Assert.Equal("v1.33.0", (string?)updated.Json["status"]!["nodeInfo"]!["kubeletVersion"]);
    }

    [Fact]
    public async Task FieldSelectors_AreMetadataNameAndSpecUnschedulable()
    {
        await Client.PostReplyAsync(Nodes, Node("node-1"));
        await Client.PostReplyAsync(Nodes, Node("node-2"));
        await Client.SendAsync(HttpMethod.Patch, $"{Nodes}/node-2", """{"spec":{"unschedulable":true}}""", "application/strategic-merge-patch+json");

        var cordoned = await Client.GetReplyAsync($"{Nodes}?fieldSelector=spec.unschedulable%3Dtrue");
        var named = await Client.GetReplyAsync($"{Nodes}?fieldSelector=metadata.name%3Dnode-1");
        var unknown = await Client.GetReplyAsync($"{Nodes}?fieldSelector=status.phase%3DRunning");

        Assert.Equal(["node-2"], cordoned.Json["items"]!.AsArray().Select(item => (string?)item!["metadata"]!["name"]));
        Assert.Equal(["node-1"], named.Json["items"]!.AsArray().Select(item => (string?)item!["metadata"]!["name"]));
        Assert.Equal(HttpStatusCode.BadRequest, unknown.Code);
        Assert.Equal("field label not supported: status.phase", unknown.Message);
    }

    [Fact]
    public async Task TheTable_PrintsStatusRolesAndVersion_AndTheWideColumns()
    {
        await Client.PostReplyAsync(Nodes, Node("node-1"));
        await Client.PostReplyAsync(Nodes, Node("node-2", ready: "False"));
        await Client.SendAsync(HttpMethod.Patch, $"{Nodes}/node-2", """{"spec":{"unschedulable":true}}""", "application/strategic-merge-patch+json");
        Factory.Clock.Advance(TimeSpan.FromSeconds(5));
        using var request = new HttpRequestMessage(HttpMethod.Get, Nodes);
        request.Headers.Accept.ParseAdd("application/json;as=Table;v=v1;g=meta.k8s.io");

        using var response = await Client.SendAsync(request, TestContext.Current.CancellationToken);
        var table = JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!;

        Assert.Equal(["Name", "Status", "Roles", "Age", "Version", "Internal-IP", "External-IP", "OS-Image", "Kernel-Version", "Container-Runtime"],
            table["columnDefinitions"]!.AsArray().Select(column => (string?)column!["name"]));
        Assert.Equal(["node-1", "Ready", "worker", "5s", "v1.33.0", "10.0.0.1", "<none>", "Debian GNU/Linux 12", "6.1.0", "containerd://1.7.0"],
            table["rows"]![0]!["cells"]!.AsArray().Select(cell => (string?)cell));
        Assert.Equal("NotReady,SchedulingDisabled", (string?)table["rows"]![1]!["cells"]![1]);
    }

    [Fact]
    public async Task BadTaintsAndCidrs_Return422WithUpstreamsPaths()
    {
        var node = Node("node-1");
        node["spec"] = JsonNode.Parse("""{"podCIDRs":["10.0.0.0/24","10.1.0.0/24"],"taints":[{"key":"a","effect":"Sometimes"}]}""");

        var reply = await Client.PostReplyAsync(Nodes, node);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, reply.Code);
        Assert.Equal("Node \"node-1\" is invalid: [metadata.taints[0].effect: Unsupported value: \"Sometimes\": supported values: \"NoSchedule\", " +
            "\"PreferNoSchedule\", \"NoExecute\", spec.podCIDRs: Invalid value: \"10.0.0.0/24,10.1.0.0/24\": may specify no more than one CIDR for each IP family]",
            reply.Message);
    }

    [Fact]
    public async Task APodCidr_OnceSet_MayNotChange()
    {
        var node = Node("node-1");
        node["spec"] = JsonNode.Parse("""{"podCIDRs":["10.0.0.0/24"]}""");
        var created = (await Client.PostReplyAsync(Nodes, node)).Json;
        created["spec"]!["podCIDRs"] = JsonNode.Parse("""["10.9.0.0/24"]""");

        var reply = await Client.PutReplyAsync($"{Nodes}/node-1", created);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, reply.Code);
        Assert.Equal("Node \"node-1\" is invalid: spec.podCIDRs: Forbidden: node updates may not change podCIDR except from \"\" to valid", reply.Message);
    }

    [Fact]
    public async Task Deleting_ANode_AnswersWithUpstreamsSuccessStatus()
    {
        var created = (await Client.PostReplyAsync(Nodes, Node("node-1"))).Json;

        var reply = await Client.DeleteReplyAsync($"{Nodes}/node-1");

        Assert.Equal(HttpStatusCode.OK, reply.Code);
        Assert.Equal($$$"""{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Success","details":{"name":"node-1","kind":"nodes","uid":"{{{created["metadata"]!["uid"]}}}"}}""", reply.Body);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetReplyAsync($"{Nodes}/node-1")).Code);
    }
}
