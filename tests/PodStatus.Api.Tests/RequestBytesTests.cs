using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using PodStatus.Api.Tests.Infrastructure;

namespace PodStatus.Api.Tests;

/// <summary>
/// Bodies with bytes that are not UTF-8, read as kube-apiserver reads them: Go's JSON decoder turns each such byte
/// (and each lone surrogate escape) into U+FFFD and goes on; go-yaml refuses them.
/// </summary>
public sealed class RequestBytesTests() : ServerTest(new PodStatusFactory())
{
    private const string HelloWorld = "/api/v1/namespaces/default/pods/hello-world";

    private Task<(Reply Reply, HttpResponseHeaders Headers)> SendAsync(HttpMethod method, string path, byte[] body, string contentType) =>
        Client.SendBytesAsync(method, path, body, contentType);

    /// <summary>UTF-8 of <paramref name="text"/>, where <c>%XX</c> stands for the raw byte XX.</summary>
    private static byte[] Bytes(string text)
    {
        var bytes = new List<byte>();
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '%')
            {
                bytes.Add(Convert.ToByte(text.Substring(i + 1, 2), 16));
                i += 2;
            }
            else
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(text[i].ToString()));
            }
        }

        return [.. bytes];
    }

    /// <summary>Upstream's 400 for a body whose kind cannot be read, quoting its first 30 bytes in hex (<c>summarizeData</c>).</summary>
    private static string Unrecognized(string error, byte[] body) =>
        $"the object provided is unrecognized (must be of type Pod): {error} ({Convert.ToHexStringLower(body.AsSpan(0, 30))} ...)";

    /// <summary>The founding document's status write with <paramref name="replace"/> swapped in, as bytes.</summary>
    private async Task<byte[]> StatusWriteAsync(string find, byte[] replace)
    {
        var text = await TestPods.FoundingStatusWriteAsync(Client);
        var at = text.IndexOf(find, StringComparison.Ordinal);
        Assert.True(at >= 0, find);
        return [.. Encoding.UTF8.GetBytes(text[..at]), .. replace, .. Encoding.UTF8.GetBytes(text[(at + find.Length)..])];
    }

    [Fact]
    public async Task InvalidByteInAValue_BecomesTheReplacementCharacter()
    {
        var (reply, _) = await SendAsync(HttpMethod.Put, HelloWorld + "/status", await StatusWriteAsync("\"Running\"", Bytes("\"Run%C3ning\"")), "application/json");

        Assert.Equal(HttpStatusCode.OK, reply.Code);
        // Go's DecodeRune consumes one byte of an invalid sequence: \xc3 is replaced and the 'n' after it kept.
        Assert.Equal("Run\uFFFDning", (string?)reply.Json["status"]!["phase"]);
    }

    [Fact]
    public async Task EachInvalidByte_IsReplacedOnItsOwn()
    {
        var (reply, _) = await SendAsync(HttpMethod.Put, HelloWorld + "/status",
            await StatusWriteAsync("\"Running\"", Bytes("\"a%E2%82%FFb\"")), "application/json");

        Assert.Equal("a\uFFFD\uFFFD\uFFFDb", (string?)reply.Json["status"]!["phase"]);
    }

    [Fact]
    public async Task InvalidByteInAPropertyName_IsAnUnknownFieldWarning()
    {
        var (reply, headers) = await SendAsync(HttpMethod.Put, HelloWorld + "/status",
            await StatusWriteAsync("\"podIP\"", Bytes("\"pod%FFIP\"")), "application/json");

        Assert.Equal(HttpStatusCode.OK, reply.Code);
        Assert.Equal(["299 - \"unknown field \\\"status.pod\\ufffdIP\\\"\""], headers.GetValues("Warning"));
    }

    [Fact]
    public async Task InvalidByteInAPropertyName_WhenStrict_Returns400NamingIt()
    {
        var (reply, _) = await SendAsync(HttpMethod.Put, HelloWorld + "/status?fieldValidation=Strict",
            await StatusWriteAsync("\"podIP\"", Bytes("\"pod%FFIP\"")), "application/json");

        Assert.Equal(HttpStatusCode.BadRequest, reply.Code);
        Assert.Equal("strict decoding error: unknown field \"status.pod\uFFFDIP\"", reply.Message);
    }

    [Fact]
    public async Task LoneSurrogateEscape_BecomesTheReplacementCharacter()
    {
        var (reply, _) = await SendAsync(HttpMethod.Put, HelloWorld + "/status",
            await StatusWriteAsync("\"Running\"", Bytes("\"a\\ud800b\\udc00\\ud83d\\ude00\"")), "application/json");

        Assert.Equal(HttpStatusCode.OK, reply.Code);
        Assert.Equal("a\uFFFDb\uFFFD\U0001F600", (string?)reply.Json["status"]!["phase"]);
    }

    [Fact]
    public async Task InvalidByteInANewPodsName_Returns422()
    {
        var pod = Encoding.UTF8.GetBytes(TestPods.Pod("web").ToJsonString()).AsSpan();
        var at = pod.IndexOf("\"web\""u8);
        byte[] body = [.. pod[..at], .. Bytes("\"w%FFb\""), .. pod[(at + 5)..]];

        var (reply, _) = await SendAsync(HttpMethod.Post, "/api/v1/namespaces/default/pods", body, "application/json");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, reply.Code);
        Assert.Contains("metadata.name: Invalid value: \"w\uFFFDb\"", reply.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("application/merge-patch+json")]
    [InlineData("application/strategic-merge-patch+json")]
    public async Task InvalidByteInAPatch_BecomesTheReplacementCharacter(string contentType)
    {
        var (reply, _) = await SendAsync(HttpMethod.Patch, HelloWorld + "/status", Bytes("{\"status\":{\"message\":\"x%FFy\"}}"), contentType);

        Assert.Equal(HttpStatusCode.OK, reply.Code);
        Assert.Equal("x\uFFFDy", (string?)reply.Json["status"]!["message"]);
    }

    [Fact]
    public async Task InvalidByteInAJsonPatch_BecomesTheReplacementCharacter()
    {
        var (reply, _) = await SendAsync(HttpMethod.Patch, HelloWorld + "/status",
            Bytes("[{\"op\":\"add\",\"path\":\"/status/message\",\"value\":\"x%FFy\"}]"), "application/json-patch+json");

        Assert.Equal(HttpStatusCode.OK, reply.Code);
        Assert.Equal("x\uFFFDy", (string?)reply.Json["status"]!["message"]);
    }

    [Theory]
    [InlineData(new byte[] { 0xFF }, "yaml: invalid leading UTF-8 octet")]
    [InlineData(new byte[] { 0xC3, 0x28 }, "yaml: invalid trailing UTF-8 octet")]
    [InlineData(new byte[] { 0xC0, 0x80 }, "yaml: invalid length of a UTF-8 sequence")]
    [InlineData(new byte[] { 0xED, 0xA0, 0x80 }, "yaml: invalid Unicode character")]
    [InlineData(new byte[] { 0x07 }, "yaml: control characters are not allowed")]
    public async Task InvalidByteInYaml_Returns400AsGoYamlSaysIt(byte[] bad, string error)
    {
        byte[] body = [.. "metadata:\n  name: hello-world\nstatus:\n  message: \"a"u8, .. bad, .. "\"\n"u8];

        var (reply, _) = await SendAsync(HttpMethod.Put, HelloWorld + "/status", body, "application/yaml");

        Assert.Equal(HttpStatusCode.BadRequest, reply.Code);
        Assert.Equal(Unrecognized(error, body), reply.Message);
    }

    [Fact]
    public async Task IncompleteUtf8AtTheEndOfYaml_Returns400()
    {
        var body = Bytes("metadata: {name: hello-world}\n#%E2%82");

        var (reply, _) = await SendAsync(HttpMethod.Put, HelloWorld + "/status", body, "application/yaml");

        Assert.Equal(Unrecognized("yaml: incomplete UTF-8 octet sequence", body), reply.Message);
    }

    [Fact]
    public async Task DeeplyNestedYaml_Returns400InsteadOfOverflowingTheStack()
    {
        var body = "metadata: {name: hello-world}\nstatus:\n  x: " + new string('[', 50_000) + new string(']', 50_000) + "\n";

        var (reply, _) = await SendAsync(HttpMethod.Put, HelloWorld + "/status", Encoding.UTF8.GetBytes(body), "application/yaml");

        Assert.Equal(HttpStatusCode.BadRequest, reply.Code);
        Assert.Equal(Unrecognized("yaml: line 3: exceeded max depth of 128", Encoding.UTF8.GetBytes(body)), reply.Message);
        Assert.Equal(HttpStatusCode.OK, (await Client.GetReplyAsync(HelloWorld)).Code);
    }

    [Fact]
    public async Task SeedFile_WithAnInvalidByte_LoadsWithTheReplacementCharacter()
    {
        var path = Path.GetTempFileName();
        var pod = TestPods.Pod("seeded");
        pod["metadata"]!["resourceVersion"] = "10";
        pod["metadata"]!["annotations"] = new JsonObject { ["note"] = "MARK" };
        var text = Encoding.UTF8.GetBytes(pod.ToJsonString()).AsSpan();
        var at = text.IndexOf("MARK"u8);
        await File.WriteAllBytesAsync(path, [.. text[..at], 0xFF, .. text[(at + 4)..]], TestContext.Current.CancellationToken);
        try
        {
            using var factory = new PodStatusFactory { SeedPath = path };
            using var client = factory.CreateClient();

            var reply = await client.GetReplyAsync("/api/v1/namespaces/default/pods/seeded");

            Assert.Equal("\uFFFD", (string?)reply.Json["metadata"]!["annotations"]!["note"]);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
