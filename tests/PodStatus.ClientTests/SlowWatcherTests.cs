using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace PodStatus.ClientTests;

/// <summary>A watcher that stops reading is ended once it falls out of the kept history; writers never wait for it.</summary>
public sealed class SlowWatcherTests : IDisposable
{
    private const int HistorySize = 10;
    private const int Writes = 150;

    private readonly RealPortServer _server = new(settings: new Dictionary<string, string> { ["Watch:HistorySize"] = $"{HistorySize}" });
    private readonly HttpClient _client;

    public SlowWatcherTests() => _client = new HttpClient { BaseAddress = new Uri(_server.Url) };

    public void Dispose()
    {
        _client.Dispose();
        _server.Dispose();
    }

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AWatcherThatStopsReading_IsEnded_AndWritersCarryOn()
    {
        var created = await _client.PostAsync("/api/v1/namespaces/default/pods",
            new StringContent("""{"metadata":{"name":"busy"},"spec":{"containers":[{"name":"c","image":"busybox"}]}}""", Encoding.UTF8, "application/json"), Token);
        var rv = (string)JsonNode.Parse(await created.Content.ReadAsStringAsync(Token))!["metadata"]!["resourceVersion"]!;
        using var watch = await _client.SendAsync(
            new HttpRequestMessage(HttpMethod.Get, $"/api/v1/namespaces/default/pods?watch=true&resourceVersion={rv}"), HttpCompletionOption.ResponseHeadersRead, Token);

        // Large events fill the socket while the watch is not read, so the server's watcher falls behind.
        var filler = new string('x', 64 * 1024);
        for (var i = 0; i < Writes; i++)
        {
            var body = $$$"""{"metadata":{"name":"busy","annotations":{"filler":"{{{filler}}}"}},"status":{"phase":"Running","message":"{{{i}}}"}}""";
            using var put = await _client.PutAsync("/api/v1/namespaces/default/pods/busy/status", new StringContent(body, Encoding.UTF8, "application/json"), Token);
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        }

        using var reader = new StreamReader(await watch.Content.ReadAsStreamAsync(Token));
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Token);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        var messages = new List<int>();
        while (await reader.ReadLineAsync(timeout.Token) is { } line)
        {
            messages.Add(int.Parse((string)JsonNode.Parse(line)!["object"]!["status"]!["message"]!));
        }

        Assert.True(messages.Count < Writes, $"the watcher should have been ended, but it received all {messages.Count} events");
        Assert.Equal(Enumerable.Range(0, messages.Count), messages);
    }
}
