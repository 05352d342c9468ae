using System.Net;
using System.Text.Json.Nodes;
using PodStatus.Api.Tests.Infrastructure;

namespace PodStatus.Api.Tests.Security;

/// <summary>The audit log: one audit.k8s.io/v1 Event per write, allowed or refused, and none for reads.</summary>
public sealed class AuditLogTests : IDisposable
{
    private readonly string _log = Path.Combine(Directory.CreateTempSubdirectory("podstatus-audit-").FullName, "audit.log");

    public void Dispose() => Directory.Delete(Path.GetDirectoryName(_log)!, recursive: true);

    [Fact]
    public async Task EachWrite_IsOneEventLine_WithUserVerbObjectAndOutcome()
    {
        var factory = new PodStatusFactory
        {
            SeedPath = "",
            Settings =
            {
                ["Authentication:TokenFile"] = SecuredServer.SamplePath("tokens.csv"),
                ["Authorization:PolicyFile"] = SecuredServer.SamplePath("policy.yaml"),
                ["Audit:LogPath"] = _log,
            },
        };
        Reply allowed, refused, anonymous;
        using (factory)
        {
            using var client = factory.CreateClient();
            allowed = await client.SendAsAsync(SecuredServer.NodeAgent, HttpMethod.Put, "/api/v1/namespaces/default/pods/hello-world/status",
                SecuredServer.StatusBody("default", "hello-world"));
            await client.SendAsAsync(SecuredServer.Dashboard, HttpMethod.Get, "/api/v1/namespaces/default/pods/hello-world");
            refused = await client.SendAsAsync(SecuredServer.Dashboard, HttpMethod.Delete, "/api/v1/namespaces/default/pods/hello-world");
            anonymous = await client.SendAsAsync(null, HttpMethod.Delete, "/api/v1/namespaces/default/pods/hello-world");
        }

        // Stopping the server writes out what is queued.
        var events = File.ReadAllLines(_log).Select(line => JsonNode.Parse(line)!).ToArray();
        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.Forbidden, HttpStatusCode.Unauthorized), (allowed.Code, refused.Code, anonymous.Code));
        Assert.Equal(3, events.Length);

        var update = events[0];
        Assert.Equal("Event", (string?)update["kind"]);
        Assert.Equal("audit.k8s.io/v1", (string?)update["apiVersion"]);
        Assert.Equal("Metadata", (string?)update["level"]);
        Assert.Equal("ResponseComplete", (string?)update["stage"]);
        Assert.Equal("update", (string?)update["verb"]);
        Assert.Equal("/api/v1/namespaces/default/pods/hello-world/status", (string?)update["requestURI"]);
        Assert.Equal("""{"username":"system:serviceaccount:default:node-agent","uid":"u-node-agent","groups":["system:authenticated"]}""", update["user"]!.ToJsonString());
        Assert.Equal("""{"resource":"pods","namespace":"default","name":"hello-world","apiVersion":"v1","subresource":"status"}""", update["objectRef"]!.ToJsonString());
        Assert.Equal("""{"code":200,"metadata":{}}""", update["responseStatus"]!.ToJsonString());
        Assert.Equal("allow", (string?)update["annotations"]!["authorization.k8s.io/decision"]);
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$", (string?)update["requestReceivedTimestamp"]);
        Assert.True(Guid.TryParse((string?)update["auditID"], out _));

        var delete = events[1];
        Assert.Equal("delete", (string?)delete["verb"]);
        Assert.Equal("bob", (string?)delete["user"]!["username"]);
        Assert.Equal(403, (int)delete["responseStatus"]!["code"]!);
        Assert.Equal("Forbidden", (string?)delete["responseStatus"]!["reason"]);
        Assert.Equal(refused.Message, (string?)delete["responseStatus"]!["message"]);
        Assert.Equal("forbid", (string?)delete["annotations"]!["authorization.k8s.io/decision"]);

        Assert.Equal("system:anonymous", (string?)events[2]["user"]!["username"]);
        Assert.Equal(401, (int)events[2]["responseStatus"]!["code"]!);
    }

    /// <summary>Refusals the registry makes (answered where the request is handled, not by the exception handler)
    /// are audited with their Status as the filters' refusals are.</summary>
    [Fact]
    public async Task AWriteTheRegistryRefuses_IsAuditedWithItsStatus()
    {
        var factory = new PodStatusFactory { Settings = { ["Audit:LogPath"] = _log } };
        Reply conflict, missing;
        using (factory)
        {
            using var client = factory.CreateClient();
            var stale = JsonNode.Parse(SecuredServer.StatusBody("default", "hello-world"))!;
            stale["metadata"]!["resourceVersion"] = "1";
            conflict = await client.PutReplyAsync(PodClient.StatusPath("default", "hello-world"), stale);
            missing = await client.DeleteReplyAsync(PodClient.PodPath("default", "missing"));
        }

        var events = File.ReadAllLines(_log).Select(line => JsonNode.Parse(line)!).ToArray();
        Assert.Equal((HttpStatusCode.Conflict, "Conflict"), (conflict.Code, conflict.Reason));
        Assert.Equal((HttpStatusCode.NotFound, "NotFound"), (missing.Code, missing.Reason));
        Assert.Equal(
            [("update", 409, "Conflict", conflict.Message), ("delete", 404, "NotFound", missing.Message)],
            events.Select(e => ((string?)e["verb"], (int)e["responseStatus"]!["code"]!, (string?)e["responseStatus"]!["reason"], (string?)e["responseStatus"]!["message"])));
    }

    [Fact]
    public async Task AClientsAuditId_IsKept_AndEveryWriteAnswersWithOne()
    {
        using var factory = new PodStatusFactory { Settings = { ["Audit:LogPath"] = _log } };
        using var client = factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Delete, "/api/v1/namespaces/default/pods/missing");
        request.Headers.Add("Audit-ID", "my-request-1");

        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
        using var read = await client.GetAsync("/api/v1/namespaces/default/pods", TestContext.Current.CancellationToken);

        Assert.Equal("my-request-1", response.Headers.GetValues("Audit-Id").Single());
        Assert.False(read.Headers.Contains("Audit-Id"));
    }
}
