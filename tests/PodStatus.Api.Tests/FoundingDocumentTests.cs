using System.Net;
using System.Text.Json.Nodes;
using PodStatus.Api.Tests.Infrastructure;

namespace PodStatus.Api.Tests;

/// <summary>The founding document's example request, sent as it stands to the pod PodStatus starts with.</summary>
public sealed class FoundingDocumentTests() : ServerTest(new PodStatusFactory())
{
    private async Task<Reply> SendExampleAsync(string? example = null) => await Client.SendAsync(
        HttpMethod.Put, "/api/v1/namespaces/default/pods/hello-world/status", example ?? await TestPods.FoundingStatusWriteAsync(Client));

    [Fact]
    public async Task StartsWithTheFoundingDocumentsPod()
    {
        var reply = await Client.GetReplyAsync("/api/v1/namespaces/default/pods/hello-world");

        Assert.Equal(HttpStatusCode.OK, reply.Code);
        // On etcd a pod's resourceVersion is etcd's revision of its write.
        Assert.Equal(PodStatusFactory.OnEtcd ? reply.ResourceVersion : "3636", reply.ResourceVersion);
        Assert.Equal("Pending", (string?)reply.Json["status"]!["phase"]);
        Assert.Equal("brace", (string?)reply.Json["metadata"]!["labels"]!["name"]);
    }

    [Fact]
    public async Task ExampleRequest_Returns200WithTheExampleResponse()
    {
        var expected = JsonNode.Parse(TestPods.Sample("hello-world-status-response.json"))!.AsObject();
        var before = long.Parse((await Client.GetReplyAsync("/api/v1/namespaces/default/pods/hello-world")).ResourceVersion!);

        var reply = await SendExampleAsync();

        Assert.Equal(HttpStatusCode.OK, reply.Code);
        var pod = reply.Json;
        Assert.Equal("Pod", (string?)pod["kind"]);
        Assert.Equal("v1", (string?)pod["apiVersion"]);
        Assert.True(JsonNode.DeepEquals(expected["spec"], pod["spec"]), $"spec differs: {pod["spec"]}");
        foreach (var field in new[] { "name", "namespace", "uid", "creationTimestamp", "labels", "selfLink" })
        {
            Assert.True(JsonNode.DeepEquals(expected["metadata"]![field], pod["metadata"]![field]), $"metadata.{field} differs");
        }

        // Every status field of the example comes back; podIPs is added from podIP, as the v1 conversion does.
        foreach (var (field, value) in expected["status"]!.AsObject())
        {
            var actual = pod["status"]![field];
            if (value is JsonArray conditions)
            {
                // Go's omitempty drops the example's "lastProbeTime": null.
                var stripped = JsonNode.Parse(conditions.ToJsonString().Replace("\"lastProbeTime\":null,", ""));
                Assert.True(JsonNode.DeepEquals(stripped, actual), $"status.{field} differs: {actual}");
            }
            else
            {
                Assert.True(JsonNode.DeepEquals(value, actual), $"status.{field} differs: {actual}");
            }
        }

        Assert.Equal("172.16.0.4", (string?)pod["status"]!["podIPs"]![0]!["ip"]);
        Assert.True(long.Parse(reply.ResourceVersion!) > before, "resourceVersion is bumped");
    }

    [Fact]
    public async Task ExampleRequest_SentTwice_Returns409Conflict()
    {
        var example = await TestPods.FoundingStatusWriteAsync(Client);
        Assert.Equal(HttpStatusCode.OK, (await SendExampleAsync(example)).Code);

        var second = await SendExampleAsync(example);

        Assert.Equal(HttpStatusCode.Conflict, second.Code);
        Assert.Equal("Status", (string?)second.Json["kind"]);
        Assert.Equal("Conflict", second.Reason);
        Assert.Equal(
            "Operation cannot be fulfilled on pods \"hello-world\": the object has been modified; please apply your changes to the latest version and try again",
            second.Message);
        Assert.Equal(409, (int?)second.Json["code"]);
        Assert.Equal("""{"name":"hello-world","kind":"pods"}""", second.Json["details"]!.ToJsonString());
    }

    [Fact]
    public async Task ExampleRequest_IsReflectedInLaterReads()
    {
        var put = await SendExampleAsync();

        var get = await Client.GetReplyAsync("/api/v1/namespaces/default/pods/hello-world");

        Assert.Equal(put.ResourceVersion, get.ResourceVersion);
        Assert.Equal("Running", (string?)get.Json["status"]!["phase"]);
        Assert.Equal("/api/v1/namespaces/default/pods/hello-world", (string?)get.Json["metadata"]!["selfLink"]);
    }
}
