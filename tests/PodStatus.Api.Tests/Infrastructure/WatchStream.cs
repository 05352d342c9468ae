using System.Net;
using System.Text.Json.Nodes;

namespace PodStatus.Api.Tests.Infrastructure;

/// <summary>An open watch, read one event (line) at a time, with a bound on how long each read may take.</summary>
public sealed class WatchStream : IAsyncDisposable
{
    private readonly HttpResponseMessage _response;
    private readonly StreamReader _reader;

    private WatchStream(HttpResponseMessage response, StreamReader reader)
    {
        _response = response;
        _reader = reader;
    }

    public HttpStatusCode Code => _response.StatusCode;

    public static async Task<WatchStream> OpenAsync(HttpClient client, string pathAndQuery, string? accept = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, pathAndQuery);
        if (accept is not null)
        {
            request.Headers.Accept.ParseAdd(accept);
        }

        var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, TestContext.Current.CancellationToken);
        var stream = await response.Content.ReadAsStreamAsync(TestContext.Current.CancellationToken);
        return new WatchStream(response, new StreamReader(stream));
    }

    /// <summary>The next event, or null when the server ended the stream.</summary>
    public async Task<JsonObject?> NextAsync(int timeoutSeconds = 10)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(timeoutSeconds));
        var line = await _reader.ReadLineAsync(timeout.Token);
        return line is null ? null : JsonNode.Parse(line)!.AsObject();
    }

    /// <summary>The next <paramref name="count"/> events as "TYPE name" strings.</summary>
    public async Task<List<string>> TakeAsync(int count)
    {
        var events = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var next = await NextAsync() ?? throw new InvalidOperationException($"the stream ended after {events.Count} events");
            events.Add($"{next["type"]} {next["object"]!["metadata"]!["name"]}");
        }

        return events;
    }

    public async ValueTask DisposeAsync()
    {
        _reader.Dispose();
        _response.Dispose();
        await Task.CompletedTask;
    }
}
