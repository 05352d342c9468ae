using System.Net;
using System.Text.Json.Nodes;
using PodStatus.Api.Tests.Infrastructure;

namespace PodStatus.Api.Tests.Security;

/// <summary>SelfSubjectAccessReview and SelfSubjectReview, which kubectl auth can-i and whoami send.</summary>
public sealed class ReviewTests(SecuredServer server) : IClassFixture<SecuredServer>
{
    private const string AccessReviews = "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews";
    private const string SubjectReviews = "/apis/authentication.k8s.io/v1/selfsubjectreviews";

    private static string Review(JsonObject spec) => new JsonObject
    {
        ["kind"] = "SelfSubjectAccessReview",
        ["apiVersion"] = "authorization.k8s.io/v1",
        ["spec"] = spec,
    }.ToJsonString();

    private static JsonObject Resource(string verb, string resource, string ns = "default", string? subresource = null, string? name = null) => new()
    {
        ["resourceAttributes"] = new JsonObject
        {
            ["namespace"] = ns, ["verb"] = verb, ["resource"] = resource, ["subresource"] = subresource, ["name"] = name,
        },
    };

    public static TheoryData<string, string, string, string, bool, string?> Questions => new()
    {
        { SecuredServer.NodeAgent, "update", "pods", "status", true,
            "RBAC: allowed by RoleBinding \"node-agent-writes-status/default\" of Role \"pod-status-writer\" to ServiceAccount \"node-agent/default\"" },
        { SecuredServer.NodeAgent, "update", "pods", "", false, null },
        { SecuredServer.Admin, "delete", "pods", "", true,
            "RBAC: allowed by ClusterRoleBinding \"cluster-admin\" of ClusterRole \"cluster-admin\" to Group \"system:masters\"" },
        { SecuredServer.Dashboard, "watch", "pods", "", true,
            "RBAC: allowed by ClusterRoleBinding \"dashboard-views\" of ClusterRole \"view\" to Group \"dashboard\"" },
        { SecuredServer.Dashboard, "update", "pods", "status", false, null },
    };

    [Theory]
    [MemberData(nameof(Questions))]
    public async Task AccessReview_AnswersAsTheRequestWouldBeAnswered(string token, string verb, string resource, string subresource, bool allowed, string? reason)
    {
        var reply = await server.Client.SendAsAsync(token, HttpMethod.Post, AccessReviews,
            Review(Resource(verb, resource, subresource: subresource.Length > 0 ? subresource : null)));

        Assert.Equal(HttpStatusCode.Created, reply.Code);
        Assert.Equal("SelfSubjectAccessReview", (string?)reply.Json["kind"]);
        Assert.Equal(verb, (string?)reply.Json["spec"]!["resourceAttributes"]!["verb"]);
        Assert.Equal(allowed, (bool)reply.Json["status"]!["allowed"]!);
        Assert.Equal(reason, (string?)reply.Json["status"]!["reason"]);
    }

    [Fact]
    public async Task AccessReview_ForAPath_AndByName_UseTheSameRules()
    {
        var metrics = await server.Client.SendAsAsync(SecuredServer.Monitoring, HttpMethod.Post, AccessReviews,
            Review(new JsonObject { ["nonResourceAttributes"] = new JsonObject { ["path"] = "/metrics", ["verb"] = "get" } }));
        var helloWorld = await server.Client.SendAsAsync(SecuredServer.HelloWorldWriter, HttpMethod.Post, AccessReviews,
            Review(Resource("update", "pods", "kube-system", "status", "hello-world")));
        var other = await server.Client.SendAsAsync(SecuredServer.HelloWorldWriter, HttpMethod.Post, AccessReviews,
            Review(Resource("update", "pods", "kube-system", "status", "other")));

        Assert.True((bool)metrics.Json["status"]!["allowed"]!);
        Assert.True((bool)helloWorld.Json["status"]!["allowed"]!);
        Assert.False((bool)other.Json["status"]!["allowed"]!);
    }

    [Fact]
    public async Task AccessReview_WithNeitherOrBothAttributes_Is422()
    {
        var neither = await server.Client.SendAsAsync(SecuredServer.NodeAgent, HttpMethod.Post, AccessReviews, Review([]));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, neither.Code);
        Assert.Equal("SelfSubjectAccessReview.authorization.k8s.io \"\" is invalid: spec.resourceAttributes: Invalid value: \"null\": " +
            "exactly one of nonResourceAttributes or resourceAttributes must be specified", neither.Message);
    }

    [Fact]
    public async Task AccessReview_InProtobufWithoutItsPrefix_Is400()
    {
        var reply = await server.Client.SendAsAsync(SecuredServer.NodeAgent, HttpMethod.Post, AccessReviews, "not protobuf",
            "application/vnd.kubernetes.protobuf");

        Assert.Equal(HttpStatusCode.BadRequest, reply.Code);
        Assert.Equal("the request could not be decoded: the body does not start with the Kubernetes protobuf prefix", reply.Message);
    }

    [Fact]
    public async Task SubjectReview_NamesTheUserFromTheTokenFile_InSystemAuthenticated()
    {
        var reply = await server.Client.SendAsAsync(SecuredServer.TeamA, HttpMethod.Post, SubjectReviews,
            """{"kind":"SelfSubjectReview","apiVersion":"authentication.k8s.io/v1"}""");

        Assert.Equal(HttpStatusCode.Created, reply.Code);
        var user = reply.Json["status"]!["userInfo"]!;
        Assert.Equal("carol", (string?)user["username"]);
        Assert.Equal("u-carol", (string?)user["uid"]);
        Assert.Equal("""["team-a","developers","system:authenticated"]""", user["groups"]!.ToJsonString());
    }

    [Fact]
    public async Task WithAuthenticationOff_EveryoneIsAnonymous_AndMayDoAnything()
    {
        using var open = new PodStatusFactory();
        using var client = open.CreateClient();

        var whoami = await client.SendAsAsync(null, HttpMethod.Post, SubjectReviews, "{}");
        var canI = await client.SendAsAsync(null, HttpMethod.Post, AccessReviews, Review(Resource("delete", "pods")));

        Assert.Equal("system:anonymous", (string?)whoami.Json["status"]!["userInfo"]!["username"]);
        Assert.True((bool)canI.Json["status"]!["allowed"]!);
    }
}
