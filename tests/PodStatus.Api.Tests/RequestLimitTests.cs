using System.Net;
using PodStatus.Api.Tests.Infrastructure;

namespace PodStatus.Api.Tests;

/// <summary>Max-in-flight: writes beyond the limit get 429 at once; reads, watches and health checks are counted apart or not at all.</summary>
public sealed class RequestLimitTests : IDisposable
{
    private const string Status = "/api/v1/namespaces/default/pods/hello-world/status";
    private readonly PodStatusFactory _factory = new() { Settings = { ["Limits:MaxMutatingRequestsInFlight"] = "1", ["Limits:MaxRequestsInFlight"] = "1" } };
    private readonly HttpClient _client;

    public RequestLimitTests()
    {
        // On a real port: the in-memory test server reads a request's whole body before serving it.
        _factory.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        _factory.StartServer();
        // A plain client: the factory's own buffers request bodies (to follow redirects), so none would be in flight.
        _client = new HttpClient { BaseAddress = _factory.ClientOptions.BaseAddress };
    }

    public void Dispose()
    {
        _client.Dispose();
        _factory.Dispose();
    }

    [Fact]
    public async Task AWriteBeyondTheLimit_Gets429WithRetryAfter_WhileReadsWatchesAndHealthChecksGoOn()
    {
        var body = await TestPods.FoundingStatusWriteAsync(_client);
        var held = new HalfThenRest(System.Text.Encoding.UTF8.GetBytes(body.Replace("172.16.0.4", "172.16.0.9", StringComparison.Ordinal)));
        var first = _client.PutAsync(Status, held, TestContext.Current.CancellationToken);
        await held.HalfSent.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        await Task.Delay(200, TestContext.Current.CancellationToken);

        using var second = new HttpRequestMessage(HttpMethod.Put, Status) { Content = new StringContent(body, null, "application/json") };
        var refused = await _client.SendAsync(second, TestContext.Current.CancellationToken);
        var read = await _client.GetReplyAsync("/api/v1/namespaces/default/pods/hello-world");
        var ready = await _client.GetAsync("/readyz", TestContext.Current.CancellationToken);
        await using var watch = await WatchStream.OpenAsync(_client, "/api/v1/namespaces/default/pods?watch=true");

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("1", refused.Headers.RetryAfter?.ToString());
        Assert.Equal("""{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Too many requests, please try again later.","reason":"TooManyRequests","details":{"retryAfterSeconds":1},"code":429}""",
            await refused.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal(HttpStatusCode.OK, read.Code);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal(HttpStatusCode.OK, watch.Code);

        held.SendRest();
        Assert.Equal(HttpStatusCode.OK, (await first).StatusCode);
        var next = await _client.SendAsync(HttpMethod.Put, Status, body.Replace("172.16.0.4", "172.16.0.7", StringComparison.Ordinal));
        Assert.NotEqual(HttpStatusCode.TooManyRequests, next.Code);
    }

    [Fact]
    public async Task WithoutALimit_AWriteIsServedWhileAnotherIsInFlight()
    {
        using var unlimited = new PodStatusFactory { Settings = { ["Limits:MaxMutatingRequestsInFlight"] = "0", ["Limits:MaxRequestsInFlight"] = "0" } };
        unlimited.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        unlimited.StartServer();
        using var client = new HttpClient { BaseAddress = unlimited.ClientOptions.BaseAddress };
        var body = await TestPods.FoundingStatusWriteAsync(client);
        var held = new HalfThenRest(System.Text.Encoding.UTF8.GetBytes(body.Replace("172.16.0.4", "172.16.0.9", StringComparison.Ordinal)));
        var first = client.PutAsync(Status, held, TestContext.Current.CancellationToken);
        await held.HalfSent.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);

        var second = await client.SendAsync(HttpMethod.Put, Status, body);

        Assert.Equal(HttpStatusCode.OK, second.Code);
        held.SendRest();
        Assert.NotEqual(HttpStatusCode.TooManyRequests, (await first).StatusCode);
    }
}
