using System.Net;
using System.Text.Json.Nodes;
using PodStatus.Api.Tests.Infrastructure;

namespace PodStatus.Api.Tests;

/// <summary>Indented JSON for people (curl, Wget, browsers, or <c>pretty=true</c>), compact bytes for programs.</summary>
public sealed class PrettyPrintTests() : ServerTest(new PodStatusFactory())
{
    private const string HelloWorld = "/api/v1/namespaces/default/pods/hello-world";

    private async Task<string> GetAsync(string path, string? userAgent = null) =>
        (await SendAsync(new HttpRequestMessage(HttpMethod.Get, path), userAgent)).Body;

    /// <summary>The answer's body, checked against the Content-Length the server declared.</summary>
    private async Task<(HttpStatusCode Code, string Body)> SendAsync(HttpRequestMessage request, string? userAgent)
    {
        using (request)
        {
            if (userAgent is not null)
            {
                request.Headers.TryAddWithoutValidation("User-Agent", userAgent);
            }

            using var response = await Client.SendAsync(request, TestContext.Current.CancellationToken);
            var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
            Assert.Equal(body.Length, response.Content.Headers.ContentLength);
            return (response.StatusCode, body);
        }
    }

    [Theory]
    [InlineData("curl/8.5.0")]
    [InlineData("Wget/1.21")]
    [InlineData("Mozilla/5.0 (X11; Linux x86_64)")]
    public async Task Read_ByAHumanClient_IsIndented(string userAgent)
    {
        var body = await GetAsync(HelloWorld, userAgent);

        Assert.StartsWith("{\n  \"kind\": \"Pod\",\n  \"apiVersion\": \"v1\",\n  \"metadata\": {\n", body);
        Assert.EndsWith("}\n", body);
        Assert.Equal("hello-world", (string?)JsonNode.Parse(body)!["metadata"]!["name"]);
    }

    [Fact]
    public async Task Read_ByAProgram_IsCompact()
    {
        var body = await GetAsync(HelloWorld, "kubectl/v1.32.4 (linux/amd64) kubernetes/59526cd");

        Assert.StartsWith("{\"kind\":\"Pod\",\"apiVersion\":\"v1\",\"metadata\":{", body);
    }

    [Theory]
    [InlineData("?pretty=true", null, true)]
    [InlineData("?pretty=1", null, true)]
    [InlineData("?pretty=false", "curl/8.5.0", false)]
    [InlineData("?pretty=nonsense", "curl/8.5.0", false)]
    public async Task PrettyParameter_OverridesTheUserAgent(string query, string? userAgent, bool indented)
    {
        var body = await GetAsync(HelloWorld + query, userAgent);

        Assert.Equal(indented, body.StartsWith("{\n", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ErrorStatus_ForCurl_IsIndented()
    {
        var body = await GetAsync("/api/v1/namespaces/default/pods/nobody", "curl/8.5.0");

        Assert.Contains("\n  \"reason\": \"NotFound\",\n", body);
    }

    [Fact]
    public async Task Watch_IsNeverIndented()
    {
        var body = await GetAsync("/api/v1/namespaces/default/pods?watch=true&timeoutSeconds=1&pretty=true", "curl/8.5.0");

        Assert.StartsWith("{\"type\":\"ADDED\",\"object\":{\"kind\":\"Pod\"", body);
    }

    [Fact]
    public async Task StatusWrite_ForCurl_ReturnsTheIndentedPod()
    {
        var before = long.Parse((await Client.GetReplyAsync(HelloWorld)).ResourceVersion);
        var request = new HttpRequestMessage(HttpMethod.Put, HelloWorld + "/status")
        {
            Content = new StringContent(await TestPods.FoundingStatusWriteAsync(Client), null, "application/json"),
        };

        var (code, body) = await SendAsync(request, "curl/8.5.0");

        Assert.Equal(HttpStatusCode.OK, code);
        var written = long.Parse(System.Text.RegularExpressions.Regex.Match(body, "\n    \"resourceVersion\": \"(\\d+)\",\n").Groups[1].Value);
        Assert.True(written > before);
    }
}
