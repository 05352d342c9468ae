using System.Net;
using System.Text.Json.Nodes;
using PodStatus.Api.Tests.Infrastructure;

namespace PodStatus.Api.Tests;

/// <summary>PUT pods/{name}/status: status-only writes, preconditions and the order of checks.</summary>
public sealed class ReplaceStatusTests(ReplaceStatusTests.Server server) : IClassFixture<ReplaceStatusTests.Server>
{
    public sealed class Server : IDisposable
    {
        public PodStatusFactory Factory { get; } = new() { SeedPath = "none" };

        public HttpClient Client => Factory.CreateClient();

        public void Dispose() => Factory.Dispose();
    }

    private readonly HttpClient _client = server.Client;

    private async Task<JsonObject> NewPodAsync(string? nodeName = null)
    {
        var name = TestPods.UniqueName();
        return await _client.CreatePodAsync(TestPods.Pod(name, nodeName: nodeName));
    }

    private static string StatusPathOf(JsonObject pod) =>
        PodClient.StatusPath((string)pod["metadata"]!["namespace"]!, (string)pod["metadata"]!["name"]!);

    [Fact]
    public async Task ReplaceStatus_ChangesStatusAndBumpsResourceVersion()
    {
        var pod = await NewPodAsync();

        var reply = await _client.PutReplyAsync(StatusPathOf(pod), TestPods.StatusUpdate(pod, TestPods.Running()));

        Assert.Equal(HttpStatusCode.OK, reply.Code);
        Assert.Equal("Running", (string?)reply.Json["status"]!["phase"]);
        Assert.True(long.Parse(reply.ResourceVersion) > long.Parse((string)pod["metadata"]!["resourceVersion"]!));
        Assert.Equal(StatusPathOf(pod), (string?)reply.Json["metadata"]!["selfLink"]);
    }

    [Fact]
    public async Task ReplaceStatus_IgnoresSpecAndOwnerReferencesChanges()
    {
        var pod = await NewPodAsync();
        var update = TestPods.StatusUpdate(pod, TestPods.Running());
        update["spec"]!["containers"]![0]!["image"] = "changed:2";
        update["spec"]!["nodeName"] = "elsewhere";
        update["metadata"]!["ownerReferences"] = JsonNode.Parse("""[{"apiVersion":"v1","kind":"ReplicationController","name":"rc","uid":"1"}]""");

        var reply = await _client.PutReplyAsync(StatusPathOf(pod), update);

        Assert.Equal(HttpStatusCode.OK, reply.Code);
        Assert.True(JsonNode.DeepEquals(pod["spec"], reply.Json["spec"]), "spec is kept as stored");
        Assert.Null(reply.Json["metadata"]!["ownerReferences"]);
    }

    [Fact]
    public async Task ReplaceStatus_PersistsLabelsAnnotationsAndFinalizers()
    {
        var pod = await NewPodAsync();
        var update = TestPods.StatusUpdate(pod, TestPods.Running());
        update["metadata"]!["labels"] = new JsonObject { ["tier"] = "backend" };
        update["metadata"]!["annotations"] = new JsonObject { ["note"] = "set through status" };
        update["metadata"]!["finalizers"] = new JsonArray("example.com/hold");

        var reply = await _client.PutReplyAsync(StatusPathOf(pod), update);
        var stored = await _client.GetReplyAsync(StatusPathOf(pod));

        Assert.Equal(HttpStatusCode.OK, reply.Code);
        Assert.Equal("""{"tier":"backend"}""", stored.Json["metadata"]!["labels"]!.ToJsonString());
        Assert.Equal("set through status", (string?)stored.Json["metadata"]!["annotations"]!["note"]);
        Assert.Equal("example.com/hold", (string?)stored.Json["metadata"]!["finalizers"]![0]);
    }

    [Fact]
    public async Task ReplaceStatus_ReplacesStatusWholesale()
    {
        var pod = await NewPodAsync();
        await _client.PutReplyAsync(StatusPathOf(pod), TestPods.StatusUpdate(pod, TestPods.Running(), keepResourceVersion: false));

        var reply = await _client.PutReplyAsync(StatusPathOf(pod), TestPods.StatusUpdate(pod, new JsonObject { ["phase"] = "Running" }, keepResourceVersion: false));

        Assert.Null(reply.Json["status"]!["conditions"]);
        Assert.Null(reply.Json["status"]!["podIP"]);
    }

    [Fact]
    public async Task ReplaceStatus_WithoutResourceVersion_IsUnconditional()
    {
        var pod = await NewPodAsync();
        await _client.PutReplyAsync(StatusPathOf(pod), TestPods.StatusUpdate(pod, TestPods.Running("10.0.0.1")));

        // The same (now stale) pod without resourceVersion: last writer wins.
        var reply = await _client.PutReplyAsync(StatusPathOf(pod), TestPods.StatusUpdate(pod, TestPods.Running("10.0.0.2"), keepResourceVersion: false));

        Assert.Equal(HttpStatusCode.OK, reply.Code);
        Assert.Equal("10.0.0.2", (string?)reply.Json["status"]!["podIP"]);
    }

    [Fact]
    public async Task ReplaceStatus_WithStaleResourceVersion_Returns409Conflict()
    {
        var pod = await NewPodAsync();
        await _client.PutReplyAsync(StatusPathOf(pod), TestPods.StatusUpdate(pod, TestPods.Running()));

        var reply = await _client.PutReplyAsync(StatusPathOf(pod), TestPods.StatusUpdate(pod, TestPods.Running("10.0.0.9")));

        Assert.Equal(HttpStatusCode.Conflict, reply.Code);
        Assert.Equal("Conflict", reply.Reason);
        Assert.EndsWith("the object has been modified; please apply your changes to the latest version and try again", reply.Message);
    }

    [Fact]
    public async Task ReplaceStatus_WithStaleResourceVersionAndInvalidBody_Returns409BeforeValidation()
    {
        var pod = await NewPodAsync();
        await _client.PutReplyAsync(StatusPathOf(pod), TestPods.StatusUpdate(pod, TestPods.Running()));

        var reply = await _client.PutReplyAsync(StatusPathOf(pod), TestPods.StatusUpdate(pod, TestPods.Running("not-an-ip")));

        Assert.Equal(HttpStatusCode.Conflict, reply.Code);
    }

    [Fact]
    public async Task ReplaceStatus_WithOtherUid_Returns409PreconditionFailed()
    {
        var pod = await NewPodAsync();
        var uid = (string)pod["metadata"]!["uid"]!;
        var update = TestPods.StatusUpdate(pod, TestPods.Running());
        update["metadata"]!["uid"] = "00000000-0000-0000-0000-000000000000";

        var reply = await _client.PutReplyAsync(StatusPathOf(pod), update);

        var name = (string)pod["metadata"]!["name"]!;
        Assert.Equal(HttpStatusCode.Conflict, reply.Code);
        Assert.Equal(
            $"Operation cannot be fulfilled on pods \"{name}\": StorageError: invalid object, Code: 4, Key: /registry/pods/default/{name}, " +
            $"ResourceVersion: 0, AdditionalErrorMsg: Precondition failed: UID in precondition: 00000000-0000-0000-0000-000000000000, UID in object meta: {uid}",
            reply.Message);
    }

    [Fact]
    public async Task ReplaceStatus_ThatChangesNothing_KeepsResourceVersion()
    {
        var pod = await NewPodAsync();
        var first = await _client.PutReplyAsync(StatusPathOf(pod), TestPods.StatusUpdate(pod, TestPods.Running()));

        var again = await _client.PutReplyAsync(StatusPathOf(pod), TestPods.StatusUpdate(first.Json, TestPods.Running()));

        Assert.Equal(HttpStatusCode.OK, again.Code);
        Assert.Equal(first.ResourceVersion, again.ResourceVersion);
    }

    [Fact]
    public async Task ReplaceStatus_OfMissingPod_Returns404AndCreatesNothing()
    {
        var body = TestPods.Pod("ghost");
        body["status"] = TestPods.Running();

        var reply = await _client.PutReplyAsync(PodClient.StatusPath("default", "ghost"), body);
        var get = await _client.GetReplyAsync(PodClient.PodPath("default", "ghost"));

        Assert.Equal(HttpStatusCode.NotFound, reply.Code);
        Assert.Equal("pods \"ghost\" not found", reply.Message);
        Assert.Equal("""{"name":"ghost","kind":"pods"}""", reply.Json["details"]!.ToJsonString());
        Assert.Equal(HttpStatusCode.NotFound, get.Code);
    }

    [Fact]
    public async Task ReplaceStatus_WithOtherName_Returns400()
    {
        var pod = await NewPodAsync();
        var update = TestPods.StatusUpdate(pod, TestPods.Running());
        update["metadata"]!["name"] = "other";

        var reply = await _client.PutReplyAsync(StatusPathOf(pod), update);

        Assert.Equal(HttpStatusCode.BadRequest, reply.Code);
        Assert.Equal($"the name of the object (other) does not match the name on the URL ({pod["metadata"]!["name"]})", reply.Message);
        Assert.Null(reply.Json["details"]);
    }

    [Fact]
    public async Task ReplaceStatus_WithoutName_Returns400WithEmptyParentheses()
    {
        var pod = await NewPodAsync();
        var update = TestPods.StatusUpdate(pod, TestPods.Running());
        update["metadata"]!.AsObject().Remove("name");

        var reply = await _client.PutReplyAsync(StatusPathOf(pod), update);

        Assert.Equal(HttpStatusCode.BadRequest, reply.Code);
        Assert.StartsWith("the name of the object () does not match", reply.Message);
    }

    [Fact]
    public async Task ReplaceStatus_WithOtherNamespace_Returns400()
    {
        var pod = await NewPodAsync();
        var update = TestPods.StatusUpdate(pod, TestPods.Running());
        update["metadata"]!["namespace"] = "kube-system";

        var reply = await _client.PutReplyAsync(StatusPathOf(pod), update);

        Assert.Equal(HttpStatusCode.BadRequest, reply.Code);
        Assert.Equal("the namespace of the provided object does not match the namespace sent on the request", reply.Message);
    }

    [Fact]
    public async Task ReplaceStatus_WithOtherApiVersion_Returns400()
    {
        var pod = await NewPodAsync();
        var update = TestPods.StatusUpdate(pod, TestPods.Running());
        update["apiVersion"] = "apps/v1";

        var reply = await _client.PutReplyAsync(StatusPathOf(pod), update);

        Assert.Equal(HttpStatusCode.BadRequest, reply.Code);
        Assert.Equal("the API version in the data (apps/v1) does not match the expected API version (v1)", reply.Message);
    }

    [Fact]
    public async Task ReplaceStatus_WithOtherKind_Returns400()
    {
        var pod = await NewPodAsync();
        var update = TestPods.StatusUpdate(pod, TestPods.Running());
        update["kind"] = "Service";

        var reply = await _client.PutReplyAsync(StatusPathOf(pod), update);

        Assert.Equal(HttpStatusCode.BadRequest, reply.Code);
        Assert.StartsWith("Service in version \"v1\" cannot be handled as a Pod", reply.Message);
    }

    [Fact]
    public async Task ReplaceStatus_WithoutKindAndApiVersion_IsDecodedAsPod()
    {
        var pod = await NewPodAsync();
        var update = TestPods.StatusUpdate(pod, TestPods.Running());
        update.Remove("kind");
        update.Remove("apiVersion");

        var reply = await _client.PutReplyAsync(StatusPathOf(pod), update);

        Assert.Equal(HttpStatusCode.OK, reply.Code);
    }

    [Fact]
    public async Task ReplaceStatus_WithMalformedJson_Returns400()
    {
        var pod = await NewPodAsync();

        var reply = await _client.SendAsync(HttpMethod.Put, StatusPathOf(pod), """{"kind":"Pod","metadata":{""");

        Assert.Equal(HttpStatusCode.BadRequest, reply.Code);
        Assert.Equal("BadRequest", reply.Reason);
        Assert.StartsWith("the object provided is unrecognized (must be of type Pod): couldn't get version/kind; json parse error: ", reply.Message);
    }

    [Fact]
    public async Task ReplaceStatus_WithWrongFieldType_Returns400NamingTheKind()
    {
        var pod = await NewPodAsync();

        var reply = await _client.SendAsync(HttpMethod.Put, StatusPathOf(pod), """{"kind":"Pod","apiVersion":"v1","status":{"phase":5}}""");

        Assert.Equal(HttpStatusCode.BadRequest, reply.Code);
        Assert.StartsWith("Pod in version \"v1\" cannot be handled as a Pod: ", reply.Message);
    }

    [Theory]
    [InlineData("""{"metadata":{"name":"NAME"},"status":{"startTime":"not a time"}}""")]
    [InlineData("""{"metadata":{"name":"NAME","creationTimestamp":12}}""")]
    public async Task ReplaceStatus_WithUnparsableValue_Returns400(string body)
    {
        var pod = await NewPodAsync();

        var reply = await _client.SendAsync(HttpMethod.Put, StatusPathOf(pod), body.Replace("NAME", (string)pod["metadata"]!["name"]!));

        Assert.Equal(HttpStatusCode.BadRequest, reply.Code);
        Assert.StartsWith("Pod in version \"v1\" cannot be handled as a Pod: ", reply.Message);
    }

    [Fact]
    public async Task ReplaceStatus_WithUnsupportedContentType_Returns415()
    {
        var pod = await NewPodAsync();

        var reply = await _client.SendAsync(HttpMethod.Put, StatusPathOf(pod), pod.ToJsonString(), "application/x-www-form-urlencoded");

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, reply.Code);
        Assert.Equal("UnsupportedMediaType", reply.Reason);
        Assert.StartsWith("the body of the request was in an unknown format - accepted media types include: application/json", reply.Message);
    }

    [Fact]
    public async Task ReplaceStatus_WithBodyOver3MiB_Returns413()
    {
        var pod = await NewPodAsync();
        var update = TestPods.StatusUpdate(pod, TestPods.Running());
        update["metadata"]!["annotations"] = new JsonObject { ["big"] = new string('x', 3 * 1024 * 1024) };

        var reply = await _client.PutReplyAsync(StatusPathOf(pod), update);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, reply.Code);
        Assert.Equal("RequestEntityTooLarge", reply.Reason);
        Assert.Equal("Request entity too large: limit is 3145728", reply.Message);
    }

    [Fact]
    public async Task ReplaceStatus_WithYamlBody_IsAccepted()
    {
        var pod = await NewPodAsync();
        var yaml = $"""
            apiVersion: v1
            kind: Pod
            metadata:
              name: {pod["metadata"]!["name"]}
              namespace: default
            status:
              phase: Running
              podIP: 10.1.2.3
            """;

        var reply = await _client.SendAsync(HttpMethod.Put, StatusPathOf(pod), yaml, "application/yaml");

        Assert.Equal(HttpStatusCode.OK, reply.Code);
        Assert.Equal("10.1.2.3", (string?)reply.Json["status"]!["podIP"]);
    }

    [Fact]
    public async Task ReplaceStatus_WithoutQosClass_KeepsTheStoredOne()
    {
        var pod = await NewPodAsync();

        var reply = await _client.PutReplyAsync(StatusPathOf(pod), TestPods.StatusUpdate(pod, TestPods.Running()));

        Assert.Equal("BestEffort", (string?)reply.Json["status"]!["qosClass"]);
    }

    [Fact]
    public async Task ReplaceStatus_KeepsDeletionTimestampAsStored()
    {
        var pod = await NewPodAsync(nodeName: "node-1");
        var deleted = await _client.DeleteReplyAsync(PodClient.PodPath("default", (string)pod["metadata"]!["name"]!));
        var update = TestPods.StatusUpdate(deleted.Json, TestPods.Running());
        update["metadata"]!.AsObject().Remove("deletionTimestamp");

        var reply = await _client.PutReplyAsync(StatusPathOf(pod), update);

        Assert.Equal(HttpStatusCode.OK, reply.Code);
        Assert.Equal((string?)deleted.Json["metadata"]!["deletionTimestamp"], (string?)reply.Json["metadata"]!["deletionTimestamp"]);
    }

    [Fact]
    public async Task GetStatus_ReturnsTheWholePod()
    {
        var pod = await NewPodAsync();

        var reply = await _client.GetReplyAsync(StatusPathOf(pod));

        Assert.Equal(HttpStatusCode.OK, reply.Code);
        Assert.Equal("Pod", (string?)reply.Json["kind"]);
        Assert.NotNull(reply.Json["spec"]!["containers"]);
    }

    [Theory]
    [InlineData("POST")]
    [InlineData("DELETE")]
    public async Task StatusSubresource_WithOtherVerbs_Returns405Status(string method)
    {
        var pod = await NewPodAsync();

        var reply = await _client.SendAsync(new HttpMethod(method), StatusPathOf(pod), "{}");

        Assert.Equal(HttpStatusCode.MethodNotAllowed, reply.Code);
        Assert.Equal("MethodNotAllowed", reply.Reason);
        Assert.Equal("Status", (string?)reply.Json["kind"]);
    }

    [Fact]
    public async Task UnknownPath_Returns404Status()
    {
        var reply = await _client.GetReplyAsync("/api/v1/namespaces/default/pods/x/logs");

        Assert.Equal(HttpStatusCode.NotFound, reply.Code);
        Assert.Equal("the server could not find the requested resource", reply.Message);
    }
}
