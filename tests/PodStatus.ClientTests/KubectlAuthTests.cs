using System.Text.Json.Nodes;

namespace PodStatus.ClientTests;

/// <summary>
/// The real kubectl against PodStatus over TLS with the sample token file and policy: <c>kubectl auth can-i</c> and
/// <c>kubectl auth whoami</c> answer, a refusal reads as a cluster's, and a client certificate is a user.
/// (kubectl sends bearer tokens over https only.)
/// </summary>
public sealed class KubectlAuthTests : IDisposable
{
    private readonly TestCertificates _certificates = new();
    private readonly RealPortServer _server;

    public KubectlAuthTests()
    {
        var settings = _certificates.KestrelSettings(LoopbackPorts.Free()[0]);
        settings["Authentication:TokenFile"] = Sample("tokens.csv");
        settings["Authentication:ClientCAFile"] = _certificates.CaFile;
        settings["Authorization:PolicyFile"] = Sample("policy.yaml");
        _server = new RealPortServer(seed: "", settings);
    }

    public void Dispose()
    {
        _server.Dispose();
        _certificates.Dispose();
    }

    private static string Sample(string file) => Path.Combine(AppContext.BaseDirectory, "samples", file);

    private Kubectl As(string user) => new(_server.Url, user, _certificates.CaFile);

    [Fact]
    public async Task CanI_AnswersYesAndNo_ForTheNodeAgent()
    {
        using var kubectl = As("{token: example-node-agent-token}");

        var status = await kubectl.RunAsync("auth", "can-i", "update", "pods", "--subresource=status");
        var spec = await kubectl.RunAsync("auth", "can-i", "update", "pods");
        var elsewhere = await kubectl.RunAsync("auth", "can-i", "patch", "pods", "--subresource=status", "-n", "team-a");

        // kubectl's stderr in the message: an answer without "yes" or "no" is an error it printed there.
        Assert.True((status.Code, status.Out) == (0, "yes\n"), $"can-i update pods/status: {status.Code} {status.Out} {status.Err}");
        Assert.True((spec.Code, spec.Out) == (1, "no\n"), $"can-i update pods: {spec.Code} {spec.Out} {spec.Err}");
        Assert.True((elsewhere.Code, elsewhere.Out) == (1, "no\n"), $"can-i patch pods/status -n team-a: {elsewhere.Code} {elsewhere.Out} {elsewhere.Err}");
    }

    [Fact]
    public async Task WhoAmI_NamesTheTokenUser_AndTheCertificateUser()
    {
        using var byToken = As("{token: example-team-a-token}");
        var (certificate, key) = _certificates.WriteClientFiles("erin", _certificates.Client("erin", "dashboard"));
        using var byCertificate = As($"{{client-certificate: {certificate}, client-key: {key}}}");

        var token = JsonNode.Parse(await byToken.OkAsync("auth", "whoami", "-o", "json"))!;
        var cert = JsonNode.Parse(await byCertificate.OkAsync("auth", "whoami", "-o", "json"))!;

        Assert.Equal("carol", (string?)token["status"]!["userInfo"]!["username"]);
        Assert.Equal("""["team-a","developers","system:authenticated"]""", token["status"]!["userInfo"]!["groups"]!.ToJsonString());
        Assert.Equal("erin", (string?)cert["status"]!["userInfo"]!["username"]);
        Assert.Equal("""["dashboard","system:authenticated"]""", cert["status"]!["userInfo"]!["groups"]!.ToJsonString());
    }

    [Fact]
    public async Task TheNodeAgent_PatchesStatus_ButIsRefusedTheList_InUpstreamsWords()
    {
        using var kubectl = As("{token: example-node-agent-token}");

        var patched = await kubectl.OkAsync("patch", "pod", "hello-world", "--subresource=status", "--type=merge",
            "-p", """{"status":{"podIP":"10.0.0.9"}}""");
        var (code, _, error) = await kubectl.RunAsync("get", "pods");

        Assert.Equal("pod/hello-world patched\n", patched);
        Assert.Equal(1, code);
        Assert.Contains("Error from server (Forbidden): pods is forbidden: User \"system:serviceaccount:default:node-agent\" " +
            "cannot list resource \"pods\" in API group \"\" in the namespace \"default\"", error);
    }

    [Fact]
    public async Task WithAWrongToken_KubectlIsAskedToLogIn()
    {
        // (With no credentials at all kubectl would ask for a user name on stdin, as against any cluster.)
        using var kubectl = As("{token: not-a-token}");

        var (code, _, error) = await kubectl.RunAsync("get", "pods");

        Assert.Equal(1, code);
        Assert.Contains("You must be logged in to the server", error);
    }
}
