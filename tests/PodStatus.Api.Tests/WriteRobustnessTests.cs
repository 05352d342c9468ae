using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using PodStatus.Api.Tests.Infrastructure;

namespace PodStatus.Api.Tests;

/// <summary>
/// Every write route against damaged bodies: the founding document's request with an invalid byte at each position
/// (as JSON and as YAML), every truncation, random bytes and deep nesting. Each answer must be a 2xx, or a 4xx
/// carrying a Status; a failed write must leave the stored pod byte for byte as it was.
/// </summary>
public sealed class WriteRobustnessTests() : ServerTest(new PodStatusFactory())
{
    private const string HelloWorld = "/api/v1/namespaces/default/pods/hello-world";

    private static readonly (HttpMethod Method, string Path, string ContentType)[] Routes =
    [
        (HttpMethod.Put, HelloWorld + "/status", "application/json"),
        (HttpMethod.Put, HelloWorld, "application/json"),
        (HttpMethod.Post, "/api/v1/namespaces/default/pods", "application/json"),
        (HttpMethod.Patch, HelloWorld + "/status", "application/merge-patch+json"),
        (HttpMethod.Patch, HelloWorld + "/status", "application/strategic-merge-patch+json"),
        (HttpMethod.Patch, HelloWorld, "application/json-patch+json"),
        (HttpMethod.Delete, HelloWorld + "?dryRun=All", "application/json"),
    ];

    private static readonly string[] DotNetPhrases =
        ["LineNumber", "BytePosition", "Path: $", "could not be converted", "System.", "is an invalid", "The JSON", "target location"];

    private int _requests;

    [Fact]
    public async Task AnInvalidByteAtEachPosition_AsJsonAndAsYaml()
    {
        foreach (var (method, path, contentType) in Routes)
        {
            var body = await BodyForAsync(method, path, contentType);
            foreach (var type in new[] { contentType, "application/yaml" }.Distinct())
            {
                if (type == "application/yaml" && method == HttpMethod.Patch)
                {
                    continue; // YAML patches are apply patches, which are not served.
                }

                for (var at = 0; at < body.Length; at++)
                {
                    var damaged = (byte[])body.Clone();
                    damaged[at] = (byte)(at % 2 == 0 ? 0xFF : 0xC3);
                    await SendAndCheckAsync(method, path, type, damaged);
                }
            }
        }

        Assert.True(_requests > 5_000, $"only {_requests} requests were sent");
    }

    [Fact]
    public async Task EveryTruncation()
    {
        foreach (var (method, path, contentType) in Routes)
        {
            var body = await BodyForAsync(method, path, contentType);
            for (var length = 0; length < body.Length; length++)
            {
                await SendAndCheckAsync(method, path, contentType, body[..length]);
            }
        }
    }

    [Fact]
    public async Task RandomBytes()
    {
        var random = new Random(20261201);
        foreach (var (method, path, contentType) in Routes)
        {
            foreach (var type in new[] { contentType, "application/yaml" })
            {
                for (var i = 0; i < 100; i++)
                {
                    var body = new byte[random.Next(0, 300)];
                    random.NextBytes(body);
                    if (i % 2 == 0 && body.Length > 0)
                    {
                        body[0] = (byte)'{'; // Half of them start like JSON, to get past the first byte.
                    }

                    await SendAndCheckAsync(method, path, type, body);
                }
            }
        }
    }

    [Theory]
    [InlineData(100)]
    [InlineData(129)]
    [InlineData(100_000)]
    public async Task DeepNesting(int depth)
    {
        foreach (var (method, path, contentType) in Routes)
        {
            var arrays = "{\"metadata\":{\"name\":\"hello-world\"},\"status\":{\"x\":" + new string('[', depth) + new string(']', depth) + "}}";
            var objects = "{\"metadata\":{\"name\":\"hello-world\"},\"status\":{\"x\":" +
                string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1" + new string('}', depth) + "}}";
            foreach (var body in new[] { arrays, objects })
            {
                await SendAndCheckAsync(method, path, contentType, Encoding.UTF8.GetBytes(body));
                if (method != HttpMethod.Patch)
                {
                    await SendAndCheckAsync(method, path, "application/yaml", Encoding.UTF8.GetBytes(body));
                }
            }
        }
    }

    /// <summary>A valid body for the route, from the founding document, at the pod's current resourceVersion.</summary>
    private async Task<byte[]> BodyForAsync(HttpMethod method, string path, string contentType)
    {
        var current = (await Client.GetReplyAsync(HelloWorld)).Json;
        var request = JsonNode.Parse(TestPods.Sample("hello-world-status.json"))!;
        request["metadata"]!["resourceVersion"] = (string?)current["metadata"]!["resourceVersion"];
        var newPod = current.DeepClone();
        newPod["metadata"]!.AsObject().Remove("resourceVersion");
        newPod["metadata"]!.AsObject().Remove("uid");
        JsonNode body = method.Method switch
        {
            "PUT" => path.EndsWith("/status", StringComparison.Ordinal) ? request : current,
            "POST" => newPod,
            "PATCH" when contentType == "application/json-patch+json" => new JsonArray(
                new JsonObject { ["op"] = "replace", ["path"] = "/status/phase", ["value"] = "Running" },
                new JsonObject { ["op"] = "add", ["path"] = "/metadata/labels", ["value"] = new JsonObject { ["zone"] = "a" } }),
            "PATCH" => new JsonObject { ["status"] = request["status"]!.DeepClone(), ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["zone"] = "a" } } },
            _ => new JsonObject { ["kind"] = "DeleteOptions", ["apiVersion"] = "v1", ["dryRun"] = new JsonArray("All"), ["gracePeriodSeconds"] = 30 },
        };
        return Encoding.UTF8.GetBytes(body.ToJsonString());
    }

    private async Task SendAndCheckAsync(HttpMethod method, string path, string contentType, byte[] body)
    {
        var before = await Client.GetStringAsync(HelloWorld, TestContext.Current.CancellationToken);
        var (reply, _) = await Client.SendBytesAsync(method, path, body, contentType);
        var text = reply.Body;
        _requests++;

        var code = (int)reply.Code;
        var what = $"{method} {path} ({contentType}) with {Convert.ToHexString(body[..Math.Min(body.Length, 64)])}: {code} {text}";
        Assert.True(code is >= 200 and < 500, what);
        if (code >= 400)
        {
            Assert.True(reply.Code != HttpStatusCode.NotFound || method == HttpMethod.Post, what);
            var status = JsonNode.Parse(text)!;
            Assert.Equal("Status", (string?)status["kind"]);
            // Upstream's words, not the .NET libraries' (System.Text.Json's positions, the JSON patch library's phrasing).
            var said = status.ToJsonString();
            Assert.True(!DotNetPhrases.Any(phrase => said.Contains(phrase, StringComparison.Ordinal)), what);
            Assert.Equal(before, await Client.GetStringAsync(HelloWorld, TestContext.Current.CancellationToken));
        }
    }
}
