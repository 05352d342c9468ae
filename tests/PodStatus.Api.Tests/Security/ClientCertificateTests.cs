using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using PodStatus.Api.Tests.Infrastructure;

namespace PodStatus.Api.Tests.Security;

/// <summary>
/// Client certificates over TLS, with Kestrel's own HTTPS settings and a client CA file: the user is the
/// certificate's CN, its groups the O values; a certificate the CA did not sign, or not meant for clients, or expired,
/// or without a CN, is not a user (401). Bearer tokens work on the same port.
/// </summary>
public sealed class ClientCertificateTests : IDisposable
{
    private const string WhoAmI = "/apis/authentication.k8s.io/v1/selfsubjectreviews";
    private readonly TestCertificates _certificates = new();
    private readonly PodStatusFactory _factory;

    public ClientCertificateTests()
    {
        _factory = new PodStatusFactory { SeedPath = "" };
        foreach (var (key, value) in _certificates.KestrelSettings(LoopbackPorts.Free()[0]))
        {
            _factory.Settings[key] = value;
        }

        _factory.Settings["Authentication:ClientCAFile"] = _certificates.CaFile;
        _factory.Settings["Authentication:TokenFile"] = SecuredServer.SamplePath("tokens.csv");
        _factory.Settings["Authorization:PolicyFile"] = SecuredServer.SamplePath("policy.yaml");
        _factory.UseKestrel();
        _factory.StartServer();
    }

    public void Dispose()
    {
        _factory.Dispose();
        _certificates.Dispose();
    }

    private HttpClient Client(X509Certificate2? certificate = null) => _certificates.HttpClient(_factory.ClientOptions.BaseAddress, certificate);

    [Fact]
    public async Task ACertificateFromTheCA_IsItsCommonName_InItsOrganizations()
    {
        using var client = Client(_certificates.Client("erin", "dashboard", "ops"));

        var reply = await client.SendAsAsync(null, HttpMethod.Post, WhoAmI, "{}");

        Assert.Equal(HttpStatusCode.Created, reply.Code);
        Assert.Equal("erin", (string?)reply.Json["status"]!["userInfo"]!["username"]);
        Assert.Equal("""["dashboard","ops","system:authenticated"]""", reply.Json["status"]!["userInfo"]!["groups"]!.ToJsonString());
    }

    [Fact]
    public async Task ACertificateUser_IsAuthorizedByThePolicy_LikeAnyOther()
    {
        using var client = Client(_certificates.Client("erin", "dashboard"));

        var list = await client.SendAsAsync(null, HttpMethod.Get, "/api/v1/pods");
        var write = await client.SendAsAsync(null, HttpMethod.Put, "/api/v1/namespaces/default/pods/hello-world/status",
            SecuredServer.StatusBody("default", "hello-world"));

        Assert.Equal(HttpStatusCode.OK, list.Code);
        Assert.Equal(HttpStatusCode.Forbidden, write.Code);
        Assert.Equal("pods \"hello-world\" is forbidden: User \"erin\" cannot update resource \"pods/status\" in API group \"\" in the namespace \"default\"", write.Message);
    }

    public static TheoryData<string> Rejected => ["another CA", "server-only", "expired", "no common name"];

    [Theory]
    [MemberData(nameof(Rejected))]
    public async Task ACertificateThatIsNotAClientsOfTheCA_Gets401(string which)
    {
        using var other = new TestCertificates("another-ca");
        var certificate = which switch
        {
            "another CA" => other.Client("mallory", "system:masters"),
            "server-only" => _certificates.Issue("mallory", ["system:masters"], new Oid("1.3.6.1.5.5.7.3.1")),
            "expired" => _certificates.Issue("mallory", ["system:masters"], new Oid("1.3.6.1.5.5.7.3.2"), expired: true),
            _ => _certificates.Issue(null, ["system:masters"], new Oid("1.3.6.1.5.5.7.3.2")),
        };
        using var client = Client(certificate);

        var reply = await client.SendAsAsync(null, HttpMethod.Get, "/api/v1/pods");

        Assert.Equal(HttpStatusCode.Unauthorized, reply.Code);
        Assert.Equal("Unauthorized", reply.Message);
    }

    [Fact]
    public async Task WithoutACertificate_ATokenStillWorks_AndNothingIs401_ButHealth()
    {
        using var client = Client();

        var withToken = await client.SendAsAsync(SecuredServer.Dashboard, HttpMethod.Get, "/api/v1/pods");
        var without = await client.SendAsAsync(null, HttpMethod.Get, "/api/v1/pods");
        var ready = await client.SendAsAsync(null, HttpMethod.Get, "/readyz");

        Assert.Equal(HttpStatusCode.OK, withToken.Code);
        Assert.Equal(HttpStatusCode.Unauthorized, without.Code);
        Assert.Equal(HttpStatusCode.OK, ready.Code);
    }
}
