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
            "DELETE /api/v1/namespaces/{namespace}/events deleteCoreV1CollectionNamespacedEvent",
            "DELETE /api/v1/namespaces/{namespace}/events/{name} deleteCoreV1NamespacedEvent",
            "DELETE /api/v1/namespaces/{namespace}/pods deleteCoreV1CollectionNamespacedPod",
            "DELETE /api/v1/namespaces/{namespace}/pods/{name} deleteCoreV1NamespacedPod",
            "DELETE /api/v1/namespaces/{name} deleteCoreV1Namespace",
            "DELETE /api/v1/nodes deleteCoreV1CollectionNode",
            "DELETE /api/v1/nodes/{name} deleteCoreV1Node",
            "GET /api getCoreAPIVersions",
            "GET /api/v1 getCoreV1APIResources",
            "GET /api/v1/events listCoreV1EventForAllNamespaces",
            "GET /api/v1/namespaces listCoreV1Namespace",
            "GET /api/v1/namespaces/{namespace}/events listCoreV1NamespacedEvent",
            "GET /api/v1/namespaces/{namespace}/events/{name} readCoreV1NamespacedEvent",
            "GET /api/v1/namespaces/{namespace}/pods listCoreV1NamespacedPod",
            "GET /api/v1/namespaces/{namespace}/pods/{name} readCoreV1NamespacedPod",
            "GET /api/v1/namespaces/{namespace}/pods/{name}/status readCoreV1NamespacedPodStatus",
            "GET /api/v1/namespaces/{name} readCoreV1Namespace",
            "GET /api/v1/namespaces/{name}/status readCoreV1NamespaceStatus",
            "GET /api/v1/nodes listCoreV1Node",
            "GET /api/v1/nodes/{name} readCoreV1Node",
            "GET /api/v1/nodes/{name}/status readCoreV1NodeStatus",
            "GET /api/v1/pods listCoreV1PodForAllNamespaces",
            "GET /api/v1/watch/events watchCoreV1EventListForAllNamespaces",
            "GET /api/v1/watch/namespaces watchCoreV1NamespaceList",
            "GET /api/v1/watch/namespaces/{namespace}/events watchCoreV1NamespacedEventList",
            "GET /api/v1/watch/namespaces/{namespace}/events/{name} watchCoreV1NamespacedEvent",
            "GET /api/v1/watch/namespaces/{namespace}/pods watchCoreV1NamespacedPodList",
            "GET /api/v1/watch/namespaces/{namespace}/pods/{name} watchCoreV1NamespacedPod",
            "GET /api/v1/watch/namespaces/{name} watchCoreV1Namespace",
            "GET /api/v1/watch/nodes watchCoreV1NodeList",
            "GET /api/v1/watch/nodes/{name} watchCoreV1Node",
            "GET /api/v1/watch/pods watchCoreV1PodListForAllNamespaces",
            "GET /apis getAPIVersions",
            "GET /openapi/v3 getOpenAPIV3Root",
            "GET /version getCodeVersion",
            "PATCH /api/v1/namespaces/{namespace}/events/{name} patchCoreV1NamespacedEvent",
            "PATCH /api/v1/namespaces/{namespace}/pods/{name} patchCoreV1NamespacedPod",
            "PATCH /api/v1/namespaces/{namespace}/pods/{name}/status patchCoreV1NamespacedPodStatus",
            "PATCH /api/v1/namespaces/{name} patchCoreV1Namespace",
            "PATCH /api/v1/namespaces/{name}/status patchCoreV1NamespaceStatus",
            "PATCH /api/v1/nodes/{name} patchCoreV1Node",
            "PATCH /api/v1/nodes/{name}/status patchCoreV1NodeStatus",
            "POST /api/v1/namespaces createCoreV1Namespace",
            "POST /api/v1/namespaces/{namespace}/events createCoreV1NamespacedEvent",
            "POST /api/v1/namespaces/{namespace}/pods createCoreV1NamespacedPod",
            "POST /api/v1/namespaces/{namespace}/pods/{name}/binding createCoreV1NamespacedPodBinding",
            "POST /api/v1/nodes createCoreV1Node",
            "POST /apis/authentication.k8s.io/v1/selfsubjectreviews createAuthenticationV1SelfSubjectReview",
            "POST /apis/authorization.k8s.io/v1/selfsubjectaccessreviews createAuthorizationV1SelfSubjectAccessReview",
            "PUT /api/v1/namespaces/{namespace}/events/{name} replaceCoreV1NamespacedEvent",
            "PUT /api/v1/namespaces/{namespace}/pods/{name} replaceCoreV1NamespacedPod",
            "PUT /api/v1/namespaces/{namespace}/pods/{name}/status replaceCoreV1NamespacedPodStatus",
            "PUT /api/v1/namespaces/{name} replaceCoreV1Namespace",
            "PUT /api/v1/namespaces/{name}/finalize replaceCoreV1NamespaceFinalize",
            "PUT /api/v1/namespaces/{name}/status replaceCoreV1NamespaceStatus",
            "PUT /api/v1/nodes/{name} replaceCoreV1Node",
            "PUT /api/v1/nodes/{name}/status replaceCoreV1NodeStatus",
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

    [Theory]
    [InlineData("apis/coordination.k8s.io/v1", "io.k8s.api.coordination.v1.Lease", "coordination.k8s.io", "Lease",
        "PUT /apis/coordination.k8s.io/v1/namespaces/{namespace}/leases/{name} replaceCoordinationV1NamespacedLease")]
    [InlineData("apis/events.k8s.io/v1", "io.k8s.api.events.v1.Event", "events.k8s.io", "Event",
        "GET /apis/events.k8s.io/v1/watch/events watchEventsV1EventListForAllNamespaces")]
    public async Task OpenApiV3_ServesADocumentPerGroupVersion_WithItsOwnPathsAndKinds(
        string groupVersion, string schema, string group, string kind, string operation)
    {
        var root = await Client.GetReplyAsync("/openapi/v3");
        var document = (await Client.GetReplyAsync((string)root.Json["paths"]![groupVersion]!["serverRelativeURL"]!)).Json;

        var operations = document["paths"]!.AsObject()
            .SelectMany(path => path.Value!.AsObject().Select(op => $"{op.Key.ToUpperInvariant()} {path.Key} {op.Value!["operationId"]}"))
            .ToList();
        Assert.Contains(operation, operations);
        Assert.All(document["paths"]!.AsObject(), path => Assert.StartsWith($"/{groupVersion}/", path.Key));
        var gvk = document["components"]!["schemas"]![schema]!["x-kubernetes-group-version-kind"]![0]!;
        Assert.Equal((group, "v1", kind), ((string?)gvk["group"], (string?)gvk["version"], (string?)gvk["kind"]));
        var listGvk = document["components"]!["schemas"]![schema + "List"]!["x-kubernetes-group-version-kind"]![0]!;
        Assert.Equal((group, "v1", kind + "List"), ((string?)listGvk["group"], (string?)listGvk["version"], (string?)listGvk["kind"]));
        Assert.Null(document["components"]!["schemas"]!["io.k8s.api.core.v1.Pod"]);
    }

    [Fact]
    public async Task UiPage_IsServed()
    {
        var reply = await Client.GetReplyAsync("/swagger/index.html");

        Assert.Equal(HttpStatusCode.OK, reply.Code);
        Assert.Contains("swagger-ui", reply.Body);
    }
}
