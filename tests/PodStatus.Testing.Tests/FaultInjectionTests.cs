using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace PodStatus.Testing.Tests;

/// <summary>Faults on demand: each answers as kube-apiserver would, is used up, and leaves the rest untouched.</summary>
public sealed class FaultInjectionTests : IAsyncLifetime
{
    private PodStatusServer _server = null!;
    private IKubernetes _client = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _server = await PodStatusServer.StartAsync(cancellationToken: Token);
        _client = _server.CreateClient();
        await _client.CoreV1.CreateNamespacedPodAsync(PodStatusServerTests.Pod("web"), "default", cancellationToken: Token);
        await _client.CoreV1.CreateNamespacedPodAsync(PodStatusServerTests.Pod("other"), "default", cancellationToken: Token);
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    private Task<V1Pod> WriteStatusAsync(string name, string phase) =>
        _client.CoreV1.PatchNamespacedPodStatusAsync(new V1Patch($$$"""{"status":{"phase":"{{{phase}}}"}}""", V1Patch.PatchType.MergePatch), name, "default", cancellationToken: Token);

    [Theory]
    [InlineData(HttpStatusCode.Conflict, "Conflict", "Operation cannot be fulfilled on pods \\\"web\\\": the object has been modified")]
    [InlineData(HttpStatusCode.TooManyRequests, "TooManyRequests", "Too many requests, please try again later.")]
    [InlineData(HttpStatusCode.InternalServerError, "InternalError", "Internal error occurred: injected fault")]
    [InlineData(HttpStatusCode.ServiceUnavailable, "ServiceUnavailable", "injected fault: the server is unavailable")]
    public async Task TheNextWritesToAPod_FailWithTheStatusAsked_ThenWritesGoThrough(HttpStatusCode code, string reason, string message)
    {
        _server.Faults.FailNextWrites(code, count: 2, @namespace: "default", name: "web");

        var first = await Assert.ThrowsAsync<HttpOperationException>(() => WriteStatusAsync("web", "Running"));
        var otherPod = await WriteStatusAsync("other", "Running");
        var second = await Assert.ThrowsAsync<HttpOperationException>(() => WriteStatusAsync("web", "Running"));
        var third = await WriteStatusAsync("web", "Running");

        Assert.Equal((code, code), (first.Response.StatusCode, second.Response.StatusCode));
        Assert.Contains($"\"reason\":\"{reason}\"", first.Response.Content);
        Assert.Contains(message, first.Response.Content);
        Assert.Equal("Running", otherPod.Status.Phase);
        Assert.Equal("Running", third.Status.Phase);
        Assert.Equal(0, _server.Faults.Pending);
        Assert.Single(_server.History("default", "web"), change => change.Type == WatchEventType.Modified);
    }

    [Fact]
    public async Task AFailedWrite_WithRetryAfter_For429()
    {
        _server.Faults.FailNextWrites(HttpStatusCode.TooManyRequests);
        using var http = _server.CreateHttpClient();

        using var response = await http.PatchAsync("/api/v1/namespaces/default/pods/web/status",
            new StringContent("""{"status":{"phase":"Running"}}""", null, "application/merge-patch+json"), Token);

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal("1", response.Headers.RetryAfter?.ToString());
    }

    [Fact]
    public async Task AMatchingPredicate_PicksTheWrites_ADelayHoldsThem()
    {
        _server.Faults.FailNextWrites(HttpStatusCode.Conflict, match: request => request.Subresource == "status" && request.Name == "other");
        _server.Faults.DelayNextWrites(TimeSpan.FromMilliseconds(300), name: "web");

        var spec = await _client.CoreV1.PatchNamespacedPodAsync(new V1Patch("""{"metadata":{"labels":{"x":"y"}}}""", V1Patch.PatchType.MergePatch), "other", "default", cancellationToken: Token);
        var refused = await Assert.ThrowsAsync<HttpOperationException>(() => WriteStatusAsync("other", "Running"));
        var started = System.Diagnostics.Stopwatch.StartNew();
        await WriteStatusAsync("web", "Running");

        Assert.Equal("y", spec.Metadata.Labels["x"]);
        Assert.Equal(HttpStatusCode.Conflict, refused.Response.StatusCode);
        Assert.True(started.Elapsed >= TimeSpan.FromMilliseconds(280), $"the write took {started.Elapsed.TotalMilliseconds} ms");
    }

    [Fact]
    public async Task AnExpiredWatch_GetsA410ErrorEvent_AndACutWatchEnds()
    {
        using var http = _server.CreateHttpClient();
        _server.Faults.ExpireNextWatches();

        var expired = await http.GetStringAsync("/api/v1/namespaces/default/pods?watch=true", Token);
        using var open = await http.GetAsync("/api/v1/namespaces/default/pods?watch=true", HttpCompletionOption.ResponseHeadersRead, Token);
        using var reader = new StreamReader(await open.Content.ReadAsStreamAsync(Token));
        var initial = new[] { await reader.ReadLineAsync(Token), await reader.ReadLineAsync(Token) };
        var cut = _server.Faults.CutWatches();

        Assert.StartsWith("""{"type":"ERROR","object":{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"too old resource version""", expired);
        Assert.Contains("\"code\":410", expired);
        Assert.All(initial, line => Assert.StartsWith("""{"type":"ADDED""", line));
        Assert.Equal(1, cut);
        await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            while (await reader.ReadLineAsync(Token) is not null)
            {
            }

            throw new EndOfStreamException("the stream ended cleanly");
        });
    }
}
