using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace PodStatus.Api.Tests.Infrastructure;

/// <summary>Raw HTTP helpers, so tests see exactly what a client sees: status codes and JSON bodies.</summary>
public static class PodClient
{
    public static string PodPath(string ns, string name) => $"/api/v1/namespaces/{ns}/pods/{name}";

    public static string StatusPath(string ns, string name) => PodPath(ns, name) + "/status";

    public static async Task<Reply> SendAsync(this HttpClient client, HttpMethod method, string path, string? body = null, string contentType = "application/json") =>
        (await client.SendBytesAsync(method, path, body is null ? null : Encoding.UTF8.GetBytes(body), contentType)).Reply;

    /// <summary>Sends <paramref name="body"/> byte for byte (it need not be UTF-8); the reply and the response's headers.</summary>
    public static async Task<(Reply Reply, HttpResponseHeaders Headers)> SendBytesAsync(
        this HttpClient client, HttpMethod method, string path, byte[]? body, string contentType = "application/json")
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        return (new Reply(response.StatusCode, text, response.Content.Headers.ContentType?.MediaType), response.Headers);
    }

    public static Task<Reply> GetReplyAsync(this HttpClient client, string path) => client.SendAsync(HttpMethod.Get, path);

    public static Task<Reply> PutReplyAsync(this HttpClient client, string path, JsonNode body) => client.SendAsync(HttpMethod.Put, path, body.ToJsonString());

    public static Task<Reply> PostReplyAsync(this HttpClient client, string path, JsonNode body) => client.SendAsync(HttpMethod.Post, path, body.ToJsonString());

    public static Task<Reply> DeleteReplyAsync(this HttpClient client, string path, JsonNode? body = null) =>
        client.SendAsync(HttpMethod.Delete, path, body?.ToJsonString());

    /// <summary>Creates a namespace, as a client must before it creates objects in it.</summary>
    public static async Task CreateNamespaceAsync(this HttpClient client, string name)
    {
        var reply = await client.PostReplyAsync("/api/v1/namespaces", new JsonObject { ["metadata"] = new JsonObject { ["name"] = name } });
        Assert.True(reply.Code == HttpStatusCode.Created, $"namespace create failed: {(int)reply.Code} {reply.Body}");
    }

    /// <summary>Creates a pod and returns the stored object.</summary>
    public static async Task<JsonObject> CreatePodAsync(this HttpClient client, JsonObject pod)
    {
        var ns = (string?)pod["metadata"]?["namespace"] ?? "default";
        var reply = await client.PostReplyAsync($"/api/v1/namespaces/{ns}/pods", pod);
        Assert.True(reply.Code == HttpStatusCode.Created, $"create failed: {(int)reply.Code} {reply.Body}");
        return reply.Json;
    }
}

public sealed record Reply(HttpStatusCode Code, string Body, string? ContentType)
{
    public JsonObject Json => JsonNode.Parse(Body)!.AsObject();

    public string? Message => (string?)Json["message"];

    public string? Reason => (string?)Json["reason"];

    public string ResourceVersion => (string)Json["metadata"]!["resourceVersion"]!;
}
