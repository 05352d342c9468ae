using System.Net;
using System.Text.Json.Nodes;
using PodStatus.Api.Tests.Infrastructure;

namespace PodStatus.Api.Tests;

/// <summary>PATCH on pods and pods/status in the three patch formats, with status semantics as for PUT.</summary>
public sealed class PatchTests : ServerTest
{
    private const string Strategic = "application/strategic-merge-patch+json";
    private const string Merge = "application/merge-patch+json";
    private const string JsonPatch = "application/json-patch+json";

    private async Task<JsonObject> RunningPodAsync(string name)
    {
        var pod = await Client.CreatePodAsync(TestPods.Pod(name, nodeName: "node-1"));
        var status = JsonNode.Parse("""
            {"phase":"Running","podIP":"10.0.0.1","podIPs":[{"ip":"10.0.0.1"}],
             "conditions":[{"type":"PodScheduled","status":"True"},{"type":"Ready","status":"False"}],
             "containerStatuses":[{"name":"app","image":"nginx:1.27","imageID":"","ready":false,"restartCount":0,"state":{"running":{}}}]}
            """)!.AsObject();
        return (await Client.PutReplyAsync(PodClient.StatusPath("default", name), TestPods.StatusUpdate(pod, status))).Json;
    }

    private Task<Reply> PatchStatusAsync(string name, string patch, string type) =>
        Client.SendAsync(HttpMethod.Patch, PodClient.StatusPath("default", name), patch, type);

    [Fact]
    public async Task StrategicMerge_MergesConditionsByType_AsTheKubeletSends()
    {
        await RunningPodAsync("sm");

        var reply = await PatchStatusAsync("sm", """
            {"metadata":{"uid":null},"status":{"$setElementOrder/conditions":[{"type":"PodScheduled"},{"type":"Ready"}],
             "conditions":[{"type":"Ready","status":"True"}]}}
            """, Strategic);

        Assert.Equal(HttpStatusCode.OK, reply.Code);
        var conditions = reply.Json["status"]!["conditions"]!.AsArray();
        Assert.Equal(["PodScheduled:True", "Ready:True"], conditions.Select(c => $"{c!["type"]}:{c["status"]}"));
        Assert.Equal("Running", (string?)reply.Json["status"]!["phase"]);
        Assert.Equal("10.0.0.1", (string?)reply.Json["status"]!["podIP"]);
    }

    [Fact]
    public async Task StrategicMerge_DeleteDirective_RemovesTheKeyedElement()
    {
        await RunningPodAsync("sm-delete");

        var reply = await PatchStatusAsync("sm-delete", """{"status":{"conditions":[{"type":"Ready","$patch":"delete"}]}}""", Strategic);

        Assert.Equal(["PodScheduled"], reply.Json["status"]!["conditions"]!.AsArray().Select(c => (string?)c!["type"]));
    }

    [Fact]
    public async Task StrategicMerge_ReplacesContainerStatusesWhole()
    {
        await RunningPodAsync("sm-replace");

        var reply = await PatchStatusAsync("sm-replace", """
            {"status":{"containerStatuses":[{"name":"app","image":"nginx:1.27","imageID":"","ready":true,"restartCount":1,"state":{"running":{}}}]}}
            """, Strategic);

        var statuses = reply.Json["status"]!["containerStatuses"]!.AsArray();
        Assert.Single(statuses);
        Assert.Equal(1, (int?)statuses[0]!["restartCount"]);
    }

    [Fact]
    public async Task MergePatch_ReplacesListsAndNullDeletes()
    {
        await RunningPodAsync("merge");

        var reply = await PatchStatusAsync("merge", """{"status":{"conditions":[{"type":"Ready","status":"True"}],"podIP":null,"podIPs":null}}""", Merge);

        Assert.Equal(HttpStatusCode.OK, reply.Code);
        Assert.Single(reply.Json["status"]!["conditions"]!.AsArray());
        Assert.Null(reply.Json["status"]!["podIP"]);
    }

    [Fact]
    public async Task JsonPatch_AppliesOperations()
    {
        await RunningPodAsync("json");

        var reply = await PatchStatusAsync("json", """[{"op":"replace","path":"/status/phase","value":"Succeeded"},{"op":"add","path":"/metadata/labels/done","value":"yes"}]""", JsonPatch);

        Assert.Equal(HttpStatusCode.OK, reply.Code);
        Assert.Equal("Succeeded", (string?)reply.Json["status"]!["phase"]);
        Assert.Equal("yes", (string?)reply.Json["metadata"]!["labels"]!["done"]);
    }

    [Fact]
    public async Task JsonPatch_WithFailingTest_Returns422()
    {
        await RunningPodAsync("json-test");

        var reply = await PatchStatusAsync("json-test", """[{"op":"test","path":"/status/phase","value":"Pending"}]""", JsonPatch);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, reply.Code);
        Assert.Equal("the server rejected our request due to an error in our request", reply.Message);
        Assert.Equal("UnexpectedServerResponse", (string?)reply.Json["details"]!["causes"]![0]!["reason"]);
    }

    [Theory]
    [InlineData("""[{"op":"bogus","path":"/status/phase","value":"Failed"}]""", "Unexpected kind: bogus")]
    [InlineData("""[{"path":"/status/phase","value":"Failed"}]""", "Unexpected kind: unknown")]
    [InlineData("""[{"op":"replace","value":"Failed"}]""", "replace operation failed to decode path: operation missing path field: missing value")]
    [InlineData("""[{"op":"replace","path":5}]""", "replace operation failed to decode path: json: cannot unmarshal number into Go value of type string")]
    [InlineData("""[{"op":"add","path":5}]""", "add operation failed to decode path: missing value")]
    [InlineData("""[{"op":"move","path":"/status/reason"}]""", "move operation failed to decode from: operation, missing from field: missing value")]
    [InlineData("""[{"op":"copy","from":"","path":"/status/reason"}]""", "copy operation does not apply: doc is missing from path: : missing value")]
    [InlineData("""[{"op":"add","path":"","value":{}}]""", "add operation does not apply: doc is missing path: \"\": missing value")]
    [InlineData("""[{"op":"add","path":"/status/nothing/here","value":1}]""", "add operation does not apply: doc is missing path: \"/status/nothing/here\": missing value")]
    [InlineData("""[{"op":"remove","path":"/status/nothing"}]""", "error in remove for path: '/status/nothing': Unable to remove nonexistent key: nothing: missing value")]
    [InlineData("""[{"op":"test","path":"/status/phase","value":"Pending"}]""", "testing value /status/phase failed: test failed")]
    [InlineData("""[{"op":"replace","path":"/status/conditions/5","value":{}}]""", "replace operation does not apply: doc is missing key: /status/conditions/5: missing value")]
    [InlineData("""[{"op":"add","path":"/status/conditions/x","value":{}}]""",
        "error in add for path: '/status/conditions/x': value was not a proper array index: 'x': strconv.Atoi: parsing \"x\": invalid syntax")]
    [InlineData("""[{"op":"remove","path":"/status/conditions/-9"}]""", "error in remove for path: '/status/conditions/-9': Unable to access invalid index: -9: invalid index referenced")]
    [InlineData("""[null]""", "Unexpected kind: unknown")]
    public async Task JsonPatch_WithMalformedOperation_Returns422AndWritesNothing(string patch, string cause)
    {
        var pod = await RunningPodAsync("json-bad-op");

        var reply = await PatchStatusAsync("json-bad-op", patch, JsonPatch);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, reply.Code);
        Assert.Equal(cause, (string?)reply.Json["details"]!["causes"]![0]!["message"]);
        var stored = await Client.GetReplyAsync(PodClient.PodPath("default", "json-bad-op"));
        Assert.Equal((string?)pod["metadata"]!["resourceVersion"], stored.ResourceVersion);
    }

    /// <summary>Where evanphx/json-patch v4, which kube-apiserver applies JSON patches with, departs from RFC 6902.</summary>
    [Theory]
    [InlineData("""[{"op":"replace","path":"/status/message","value":"added by replace"}]""", "/status/message", "\"added by replace\"")]
    [InlineData("""[{"op":"add","path":"/status/conditions/-1","value":{"type":"Last","status":"True"}}]""", "/status/conditions/2/type", "\"Last\"")]
    [InlineData("""[{"op":"replace","path":"/status/conditions/-1/status","value":"True"}]""", "/status/conditions/1/status", "\"True\"")]
    public async Task JsonPatch_FollowsUpstreamsLibrary(string patch, string pointer, string expected)
    {
        await RunningPodAsync("json-upstream");

        var reply = await PatchStatusAsync("json-upstream", patch, JsonPatch);

        Assert.Equal(HttpStatusCode.OK, reply.Code);
        JsonNode? value = reply.Json;
        foreach (var segment in pointer.Split('/')[1..])
        {
            value = value is JsonArray list ? list[int.Parse(segment, System.Globalization.CultureInfo.InvariantCulture)] : value?[segment];
        }

        Assert.Equal(expected, value?.ToJsonString() ?? "null");
    }

    [Fact]
    public async Task JsonPatch_ReplacingTheWholeDocument_SwapsItAndFailsTheNameCheck()
    {
        var pod = await RunningPodAsync("json-root");

        var reply = await PatchStatusAsync("json-root", """[{"op":"replace","path":"","value":{"metadata":{"name":"other"}}}]""", JsonPatch);

        Assert.Equal(HttpStatusCode.BadRequest, reply.Code);
        Assert.Equal((string?)pod["metadata"]!["resourceVersion"], (await Client.GetReplyAsync(PodClient.PodPath("default", "json-root"))).ResourceVersion);
    }

    [Fact]
    public async Task JsonPatch_WithMoreThanTenThousandOperations_Returns413()
    {
        await RunningPodAsync("json-many");
        var operations = string.Join(",", Enumerable.Repeat("""{"op":"test","path":"/status/phase","value":"Running"}""", 10001));

        var reply = await PatchStatusAsync("json-many", $"[{operations}]", JsonPatch);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, reply.Code);
        Assert.Equal("Request entity too large: The allowed maximum operations in a JSON patch is 10000, got 10001", reply.Message);
    }

    [Fact]
    public async Task StatusPatch_IgnoresSpecChanges()
    {
        var pod = await RunningPodAsync("spec-ignored");

        var reply = await PatchStatusAsync("spec-ignored", """{"spec":{"nodeName":"elsewhere"},"status":{"phase":"Failed"}}""", Merge);

        Assert.Equal(HttpStatusCode.OK, reply.Code);
        Assert.Equal("node-1", (string?)reply.Json["spec"]!["nodeName"]);
        Assert.Equal("Failed", (string?)reply.Json["status"]!["phase"]);
        Assert.True(JsonNode.DeepEquals(pod["spec"], reply.Json["spec"]));
    }

    [Fact]
    public async Task Patch_WithStaleResourceVersion_Returns409()
    {
        await RunningPodAsync("stale-patch");

        var reply = await PatchStatusAsync("stale-patch", """{"metadata":{"resourceVersion":"1"},"status":{"phase":"Failed"}}""", Merge);

        Assert.Equal(HttpStatusCode.Conflict, reply.Code);
        Assert.EndsWith("the object has been modified; please apply your changes to the latest version and try again", reply.Message);
    }

    [Fact]
    public async Task Patch_ThatChangesNothing_KeepsResourceVersion()
    {
        var pod = await RunningPodAsync("no-change");

        var reply = await PatchStatusAsync("no-change", """{"status":{"phase":"Running"}}""", Strategic);

        Assert.Equal((string?)pod["metadata"]!["resourceVersion"], reply.ResourceVersion);
    }

    [Fact]
    public async Task Patch_ChangingUid_Returns422Immutable()
    {
        await RunningPodAsync("uid");

        var reply = await PatchStatusAsync("uid", """{"metadata":{"uid":"other"}}""", Merge);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, reply.Code);
        Assert.Contains("metadata.uid: Invalid value: \"other\": field is immutable", reply.Message);
    }

    [Fact]
    public async Task Patch_OfMissingPod_Returns404()
    {
        var reply = await PatchStatusAsync("nobody", """{"status":{"phase":"Running"}}""", Merge);

        Assert.Equal(HttpStatusCode.NotFound, reply.Code);
        Assert.Equal("pods \"nobody\" not found", reply.Message);
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData("text/plain")]
    public async Task Patch_WithOtherContentType_Returns415(string contentType)
    {
        await RunningPodAsync("media-" + contentType.Replace('/', '-'));

        var reply = await PatchStatusAsync("media-" + contentType.Replace('/', '-'), "{}", contentType);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, reply.Code);
        Assert.Equal(
            "the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json",
            reply.Message);
    }

    [Fact]
    public async Task MalformedPatch_Returns400()
    {
        await RunningPodAsync("malformed");

        var reply = await PatchStatusAsync("malformed", "{not json", Merge);

        Assert.Equal(HttpStatusCode.BadRequest, reply.Code);
    }

    [Fact]
    public async Task StrategicMergeOnPod_ChangesAnImageByContainerName()
    {
        await RunningPodAsync("image");

        var reply = await Client.SendAsync(HttpMethod.Patch, PodClient.PodPath("default", "image"),
            """{"spec":{"containers":[{"name":"app","image":"nginx:1.28"}]}}""", Strategic);

        Assert.Equal(HttpStatusCode.OK, reply.Code);
        Assert.Equal("nginx:1.28", (string?)reply.Json["spec"]!["containers"]![0]!["image"]);
        Assert.Equal("Running", (string?)reply.Json["status"]!["phase"]);
    }
}
