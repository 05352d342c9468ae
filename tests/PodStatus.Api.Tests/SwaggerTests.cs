using System.Net;
using System.Text.Json.Nodes;
using PodStatus.Api.Tests.Infrastructure;

namespace PodStatus.Api.Tests;

/// <summary>The Swagger document and UI.</summary>
public sealed class SwaggerTests() : ServerTest(new PodStatusFactory())
{
    private async Task<JsonObject> DocumentAsync()
    {
        var reply = await Client.GetReplyAsync("/swagger/v1/swagger.json");
        Assert.Equal(HttpStatusCode.OK, reply.Code);
        return reply.Json;
    }

    [Fact]
    public async Task Document_UsesUpstreamOperationIds()
    {
        var document = await DocumentAsync();

        var ids = document["paths"]!.AsObject()
            .SelectMany(path => path.Value!.AsObject().Select(op => $"{op.Key.ToUpperInvariant()} {path.Key} {op.Value!["operationId"]}"))
            .Order()
            .ToList();

        Assert.Equal(
        [
            "DELETE /api/v1/namespaces/{namespace}/pods/{name} deleteCoreV1NamespacedPod",
            "GET /api getCoreAPIVersions",
            "GET /api/v1 getCoreV1APIResources",
            "GET /api/v1/namespaces/{namespace}/pods listCoreV1NamespacedPod",
            "GET /api/v1/namespaces/{namespace}/pods/{name} readCoreV1NamespacedPod",
            "GET /api/v1/namespaces/{namespace}/pods/{name}/status readCoreV1NamespacedPodStatus",
            "GET /api/v1/pods listCoreV1PodForAllNamespaces",
            "GET /api/v1/watch/namespaces/{namespace}/pods watchCoreV1NamespacedPodList",
            "GET /api/v1/watch/namespaces/{namespace}/pods/{name} watchCoreV1NamespacedPod",
            "GET /api/v1/watch/pods watchCoreV1PodListForAllNamespaces",
            "GET /apis getAPIVersions",
            "GET /openapi/v3 getOpenAPIV3Root",
            "GET /version getCodeVersion",
            "PATCH /api/v1/namespaces/{namespace}/pods/{name} patchCoreV1NamespacedPod",
            "PATCH /api/v1/namespaces/{namespace}/pods/{name}/status patchCoreV1NamespacedPodStatus",
            "POST /api/v1/namespaces/{namespace}/pods createCoreV1NamespacedPod",
            "POST /apis/authentication.k8s.io/v1/selfsubjectreviews createAuthenticationV1SelfSubjectReview",
            "POST /apis/authorization.k8s.io/v1/selfsubjectaccessreviews createAuthorizationV1SelfSubjectAccessReview",
            "PUT /api/v1/namespaces/{namespace}/pods/{name} replaceCoreV1NamespacedPod",
            "PUT /api/v1/namespaces/{namespace}/pods/{name}/status replaceCoreV1NamespacedPodStatus",
        ], ids);
    }

    [Fact]
    public async Task EveryOperation_HasASummary_AndDescribedParametersWithUpstreamNames()
    {
        var document = await DocumentAsync();
        var operations = document["paths"]!.AsObject().SelectMany(path => path.Value!.AsObject().Select(op => op.Value!)).ToList();

        Assert.All(operations, op => Assert.False(string.IsNullOrEmpty((string?)op["summary"]), (string?)op["operationId"]));
        var parameters = operations.SelectMany(op => op["parameters"]?.AsArray() ?? []).ToList();
        Assert.All(parameters, p => Assert.False(string.IsNullOrEmpty((string?)p!["description"]), (string?)p!["name"]));
        var list = document["paths"]!["/api/v1/namespaces/{namespace}/pods"]!["get"]!["parameters"]!.AsArray().Select(p => (string?)p!["name"]);
        Assert.Equal(
            ["namespace", "allowWatchBookmarks", "continue", "fieldSelector", "labelSelector", "limit", "resourceVersion",
             "resourceVersionMatch", "sendInitialEvents", "timeoutSeconds", "watch", "includeObject", "pretty"],
            list);
        var watch = document["paths"]!["/api/v1/namespaces/{namespace}/pods"]!["get"]!["parameters"]!.AsArray().Single(p => (string?)p!["name"] == "watch");
        Assert.Equal("boolean", (string?)watch!["schema"]!["type"]);
    }

    [Fact]
    public async Task ReplaceStatus_ShowsTheFoundingDocumentsExample()
    {
        var document = await DocumentAsync();
        var operation = document["paths"]!["/api/v1/namespaces/{namespace}/pods/{name}/status"]!["put"]!;

        var request = operation["requestBody"]!["content"]!["application/json"]!["example"]!;
        var response = operation["responses"]!["200"]!["content"]!["application/json"]!["example"]!;

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(TestPods.Sample("hello-world-status.json")), request));
        Assert.Equal("3641", (string?)response["metadata"]!["resourceVersion"]);
        Assert.NotNull(operation["responses"]!["409"]);
        Assert.NotNull(operation["responses"]!["422"]);
    }

    [Fact]
    public async Task EveryErrorResponse_ShowsAStatusWithItsCode()
    {
        var document = await DocumentAsync();
        var errors = document["paths"]!.AsObject()
            .SelectMany(path => path.Value!.AsObject())
            .SelectMany(op => op.Value!["responses"]!.AsObject().Where(r => r.Key[0] is '4' or '5'))
            .ToList();

        Assert.NotEmpty(errors);
        Assert.All(errors, response =>
        {
            var example = response.Value!["content"]!["application/json"]!["example"]!;
            Assert.Equal("Status", (string?)example["kind"]);
            Assert.Equal(int.Parse(response.Key), (int?)example["code"]);
        });
        var patch415 = document["paths"]!["/api/v1/namespaces/{namespace}/pods/{name}/status"]!["patch"]!["responses"]!["415"]!;
        Assert.Contains("application/strategic-merge-patch+json", (string?)patch415["content"]!["application/json"]!["example"]!["message"]);
    }

    [Fact]
    public async Task OpenApiV3_ServesTheSameDocument_WithWhatKubectlLooksFor()
    {
        var root = await Client.GetReplyAsync("/openapi/v3");
        var document = (await Client.GetReplyAsync((string)root.Json["paths"]!["api/v1"]!["serverRelativeURL"]!)).Json;
        var ui = await DocumentAsync();

        var pod = document["components"]!["schemas"]!["io.k8s.api.core.v1.Pod"]!;
        Assert.True(JsonNode.DeepEquals(ui["components"]!["schemas"]!["io.k8s.api.core.v1.Pod"], pod));
        Assert.Equal("Pod", (string?)pod["x-kubernetes-group-version-kind"]![0]!["kind"]);
        Assert.Equal("string", (string?)document["components"]!["schemas"]!["io.k8s.api.core.v1.PodStatus"]!["properties"]!["phase"]!["type"]);
        foreach (var path in new[] { "/api/v1/namespaces/{namespace}/pods/{name}", "/api/v1/namespaces/{namespace}/pods/{name}/status" })
        {
            var patch = document["paths"]![path]!["patch"]!;
            Assert.Equal("Pod", (string?)patch["x-kubernetes-group-version-kind"]!["kind"]);
            Assert.Contains(patch["parameters"]!.AsArray(), p => (string?)p!["name"] == "fieldValidation" && (string?)p["in"] == "query");
        }
    }

    [Fact]
    public async Task UiPage_IsServed()
    {
        var reply = await Client.GetReplyAsync("/swagger/index.html");

        Assert.Equal(HttpStatusCode.OK, reply.Code);
        Assert.Contains("swagger-ui", reply.Body);
    }
}
