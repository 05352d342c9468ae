using System.Text.Json.Nodes;
using System.Net;
using PodStatus.Api.Tests.Infrastructure;

namespace PodStatus.Api.Tests;

/// <summary>Legacy discovery, as kubectl reads it.</summary>
public sealed class DiscoveryTests : ServerTest
{
    [Fact]
    public async Task Api_ListsCoreV1_AsPlainJson()
    {
        var reply = await Client.GetReplyAsync("/api");

        Assert.Equal(HttpStatusCode.OK, reply.Code);
        Assert.Equal("application/json", reply.ContentType);
        Assert.Equal("APIVersions", (string?)reply.Json["kind"]);
        Assert.Equal("v1", (string?)reply.Json["versions"]![0]);
    }

    [Fact]
    public async Task CoreV1_ListsPodsAndPodsStatus()
    {
        var reply = await Client.GetReplyAsync("/api/v1");

        var resources = reply.Json["resources"]!.AsArray();
        var pods = resources.Single(r => (string?)r!["name"] == "pods")!;
        var status = resources.Single(r => (string?)r!["name"] == "pods/status")!;
        Assert.Equal("APIResourceList", (string?)reply.Json["kind"]);
        Assert.Equal("Pod", (string?)pods["kind"]);
        Assert.True((bool)pods["namespaced"]!);
        Assert.Equal("po", (string?)pods["shortNames"]![0]);
        Assert.Equal(["get", "patch", "update"], status["verbs"]!.AsArray().Select(v => (string?)v));
    }

    [Fact]
    public async Task Apis_ListsTheServedAndReviewGroups_AndVersionNamesTheRelease()
    {
        var apis = await Client.GetReplyAsync("/apis");
        var reviews = await Client.GetReplyAsync("/apis/authorization.k8s.io/v1");
        var leases = await Client.GetReplyAsync("/apis/coordination.k8s.io/v1");
        var version = await Client.GetReplyAsync("/version");

        Assert.Equal(["coordination.k8s.io", "events.k8s.io", "authentication.k8s.io", "authorization.k8s.io"],
            apis.Json["groups"]!.AsArray().Select(group => (string?)group!["name"]));
        Assert.Equal("authorization.k8s.io/v1", (string?)apis.Json["groups"]![3]!["preferredVersion"]!["groupVersion"]);
        Assert.True(JsonNode.DeepEquals(
            JsonNode.Parse("""{"name":"leases","singularName":"lease","namespaced":true,"kind":"Lease","verbs":["create","delete","deletecollection","get","list","patch","update","watch"]}"""),
            leases.Json["resources"]![0]), leases.Body);
        Assert.Equal("selfsubjectaccessreviews", (string?)reviews.Json["resources"]![0]!["name"]);
        Assert.Equal("""["create"]""", reviews.Json["resources"]![0]!["verbs"]!.ToJsonString());
        Assert.Equal("1", (string?)version.Json["major"]);
        Assert.StartsWith("v1.", (string?)version.Json["gitVersion"]);
    }
}
