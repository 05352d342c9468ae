using System.Net;
using System.Text.Json.Nodes;
using PodStatus.Api.Tests.Infrastructure;

namespace PodStatus.Api.Tests;

/// <summary>The query options of writes: fieldValidation and dryRun.</summary>
public sealed class WriteOptionsTests : ServerTest
{
    private static JsonObject PodWithUnknownFields(string name)
    {
        var pod = TestPods.Pod(name);
        pod["spec"]!["containers"]![0]!["imagee"] = "typo";
        pod["extra"] = true;
        return pod;
    }

    /// <summary>Creates a pod and returns the raw response, whose headers these tests read.</summary>
    private Task<HttpResponseMessage> CreateAsync(string query, JsonObject pod) =>
        Client.PostAsync("/api/v1/namespaces/default/pods" + query,
            new StringContent(pod.ToJsonString(), System.Text.Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);

    [Fact]
    public async Task UnknownFields_ByDefault_AreDroppedWithWarnings()
    {
        using var response = await CreateAsync("", PodWithUnknownFields("warned"));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(
            ["299 - \"unknown field \\\"spec.containers[0].imagee\\\"\"", "299 - \"unknown field \\\"extra\\\"\""],
            response.Headers.GetValues("Warning"));
    }

    [Fact]
    public async Task UnknownFields_WhenStrict_Return400()
    {
        var reply = await Client.PostReplyAsync("/api/v1/namespaces/default/pods?fieldValidation=Strict", PodWithUnknownFields("strict"));

        Assert.Equal(HttpStatusCode.BadRequest, reply.Code);
        Assert.Equal("strict decoding error: unknown field \"spec.containers[0].imagee\", unknown field \"extra\"", reply.Message);
    }

    [Fact]
    public async Task UnknownFields_WhenIgnored_AreDroppedSilently()
    {
        using var response = await CreateAsync("?fieldValidation=Ignore", PodWithUnknownFields("ignored"));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.False(response.Headers.Contains("Warning"));
    }

    [Fact]
    public async Task UnsupportedFieldValidation_Returns422OnTheOptions()
    {
        var reply = await Client.PostReplyAsync("/api/v1/namespaces/default/pods?fieldValidation=Loose", TestPods.Pod("loose"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, reply.Code);
        Assert.Equal("CreateOptions.meta.k8s.io \"\" is invalid: fieldValidation: Unsupported value: \"Loose\": supported values: \"\", \"Ignore\", \"Strict\", \"Warn\"", reply.Message);
    }

    [Fact]
    public async Task DryRun_ValidatesButWritesNothing()
    {
        var pod = await Client.CreatePodAsync(TestPods.Pod("dry"));
        var path = PodClient.StatusPath("default", "dry");

        var created = await Client.PostReplyAsync("/api/v1/namespaces/default/pods?dryRun=All", TestPods.Pod("dry-new"));
        var updated = await Client.PutReplyAsync(path + "?dryRun=All", TestPods.StatusUpdate(pod, TestPods.Running()));
        var invalid = await Client.PutReplyAsync(path + "?dryRun=All", TestPods.StatusUpdate(pod, TestPods.Running("abc")));
        var deleted = await Client.DeleteReplyAsync(PodClient.PodPath("default", "dry") + "?dryRun=All");
        var stored = await Client.GetReplyAsync(path);

        Assert.Equal(HttpStatusCode.Created, created.Code);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetReplyAsync(PodClient.PodPath("default", "dry-new"))).Code);
        Assert.Equal("Running", (string?)updated.Json["status"]!["phase"]);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, invalid.Code);
        Assert.Equal(HttpStatusCode.OK, deleted.Code);
        Assert.Equal("Pending", (string?)stored.Json["status"]!["phase"]);
        Assert.Equal((string?)pod["metadata"]!["resourceVersion"], stored.ResourceVersion);
    }
}
