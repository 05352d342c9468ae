using System.Net;
using System.Text.Json.Nodes;
using PodStatus.Api.Tests.Infrastructure;

namespace PodStatus.Api.Tests.Security;

/// <summary>
/// Who may do what under the sample policy (samples/policy.yaml): each row a request by one user, with the code it
/// gets and, for a refusal, kube-apiserver's exact message. The denied rows matter as much as the allowed ones.
/// </summary>
public sealed class AuthorizationTableTests(SecuredServer server) : IClassFixture<SecuredServer>
{
    private const string NodeAgentUser = "system:serviceaccount:default:node-agent";

    private static readonly Dictionary<string, string?> Tokens = new()
    {
        ["alice (system:masters)"] = SecuredServer.Admin,
        ["node-agent"] = SecuredServer.NodeAgent,
        ["bob (dashboard)"] = SecuredServer.Dashboard,
        ["carol (team-a)"] = SecuredServer.TeamA,
        ["dave (hello-world only)"] = SecuredServer.HelloWorldWriter,
        ["prometheus (system:monitoring)"] = SecuredServer.Monitoring,
        ["nobody"] = null,
        ["a wrong token"] = "not-a-token",
    };

    public static TheoryData<string, string, string, int, string> Rows => new()
    {
        // The node agent: pods/status in its namespace, nothing else.
        { "node-agent", "PUT", "/api/v1/namespaces/default/pods/hello-world/status", 200, "" },
        { "node-agent", "PATCH", "/api/v1/namespaces/default/pods/other/status", 200, "" },
        { "node-agent", "GET", "/api/v1/namespaces/default/pods/hello-world/status", 200, "" },
        { "node-agent", "PUT", "/api/v1/namespaces/team-a/pods/p/status", 403,
            $"pods \"p\" is forbidden: User \"{NodeAgentUser}\" cannot update resource \"pods/status\" in API group \"\" in the namespace \"team-a\"" },
        { "node-agent", "PUT", "/api/v1/namespaces/kube-system/pods/hello-world/status", 403,
            $"pods \"hello-world\" is forbidden: User \"{NodeAgentUser}\" cannot update resource \"pods/status\" in API group \"\" in the namespace \"kube-system\"" },
        { "node-agent", "PUT", "/api/v1/namespaces/default/pods/hello-world", 403,
            $"pods \"hello-world\" is forbidden: User \"{NodeAgentUser}\" cannot update resource \"pods\" in API group \"\" in the namespace \"default\"" },
        { "node-agent", "PATCH", "/api/v1/namespaces/default/pods/hello-world", 403,
            $"pods \"hello-world\" is forbidden: User \"{NodeAgentUser}\" cannot patch resource \"pods\" in API group \"\" in the namespace \"default\"" },
        { "node-agent", "GET", "/api/v1/namespaces/default/pods/hello-world", 403,
            $"pods \"hello-world\" is forbidden: User \"{NodeAgentUser}\" cannot get resource \"pods\" in API group \"\" in the namespace \"default\"" },
        { "node-agent", "GET", "/api/v1/namespaces/default/pods", 403,
            $"pods is forbidden: User \"{NodeAgentUser}\" cannot list resource \"pods\" in API group \"\" in the namespace \"default\"" },
        { "node-agent", "GET", "/api/v1/namespaces/default/pods?watch=1", 403,
            $"pods is forbidden: User \"{NodeAgentUser}\" cannot watch resource \"pods\" in API group \"\" in the namespace \"default\"" },
        { "node-agent", "POST", "/api/v1/namespaces/default/pods", 403,
            $"pods is forbidden: User \"{NodeAgentUser}\" cannot create resource \"pods\" in API group \"\" in the namespace \"default\"" },
        { "node-agent", "DELETE", "/api/v1/namespaces/default/pods/hello-world", 403,
            $"pods \"hello-world\" is forbidden: User \"{NodeAgentUser}\" cannot delete resource \"pods\" in API group \"\" in the namespace \"default\"" },
        { "node-agent", "GET", "/api/v1/pods", 403,
            $"pods is forbidden: User \"{NodeAgentUser}\" cannot list resource \"pods\" in API group \"\" at the cluster scope" },

        // A viewer: reads everywhere, writes nowhere.
        { "bob (dashboard)", "GET", "/api/v1/pods", 200, "" },
        { "bob (dashboard)", "GET", "/api/v1/namespaces/team-a/pods/p", 200, "" },
        { "bob (dashboard)", "GET", "/api/v1/namespaces/default/pods/hello-world/status", 200, "" },
        { "bob (dashboard)", "GET", "/api/v1/pods?watch=true&timeoutSeconds=1", 200, "" },
        { "bob (dashboard)", "PUT", "/api/v1/namespaces/default/pods/hello-world/status", 403,
            "pods \"hello-world\" is forbidden: User \"bob\" cannot update resource \"pods/status\" in API group \"\" in the namespace \"default\"" },
        { "bob (dashboard)", "DELETE", "/api/v1/namespaces/default/pods", 403,
            "pods is forbidden: User \"bob\" cannot deletecollection resource \"pods\" in API group \"\" in the namespace \"default\"" },
        { "bob (dashboard)", "GET", "/metrics", 403, "forbidden: User \"bob\" cannot get path \"/metrics\"" },
        { "bob (dashboard)", "GET", "/no/such/path", 403, "forbidden: User \"bob\" cannot get path \"/no/such/path\"" },

        // An editor in one namespace (ClusterRole edit bound by a RoleBinding): pods there, not their status, not elsewhere.
        { "carol (team-a)", "POST", "/api/v1/namespaces/team-a/pods", 201, "" },
        { "carol (team-a)", "DELETE", "/api/v1/namespaces/team-a/pods/doomed", 200, "" },
        { "carol (team-a)", "GET", "/api/v1/namespaces/team-a/pods", 200, "" },
        { "carol (team-a)", "PUT", "/api/v1/namespaces/team-a/pods/p/status", 403,
            "pods \"p\" is forbidden: User \"carol\" cannot update resource \"pods/status\" in API group \"\" in the namespace \"team-a\"" },
        { "carol (team-a)", "GET", "/api/v1/namespaces/default/pods", 403,
            "pods is forbidden: User \"carol\" cannot list resource \"pods\" in API group \"\" in the namespace \"default\"" },
        { "carol (team-a)", "GET", "/api/v1/pods", 403,
            "pods is forbidden: User \"carol\" cannot list resource \"pods\" in API group \"\" at the cluster scope" },

        // One pod by name (resourceNames), in any namespace.
        { "dave (hello-world only)", "PUT", "/api/v1/namespaces/default/pods/hello-world/status", 200, "" },
        { "dave (hello-world only)", "PATCH", "/api/v1/namespaces/kube-system/pods/hello-world/status", 200, "" },
        { "dave (hello-world only)", "PUT", "/api/v1/namespaces/default/pods/other/status", 403,
            "pods \"other\" is forbidden: User \"dave\" cannot update resource \"pods/status\" in API group \"\" in the namespace \"default\"" },
        { "dave (hello-world only)", "GET", "/api/v1/namespaces/default/pods/hello-world/status", 403,
            "pods \"hello-world\" is forbidden: User \"dave\" cannot get resource \"pods/status\" in API group \"\" in the namespace \"default\"" },

        // The superuser group, monitoring, discovery for everyone signed in, and no one else.
        { "alice (system:masters)", "PUT", "/api/v1/namespaces/team-a/pods/p/status", 200, "" },
        { "alice (system:masters)", "GET", "/api/v1/pods", 200, "" },
        { "alice (system:masters)", "GET", "/metrics", 200, "" },
        { "prometheus (system:monitoring)", "GET", "/metrics", 200, "" },
        { "prometheus (system:monitoring)", "GET", "/api/v1/pods", 403,
            "pods is forbidden: User \"prometheus\" cannot list resource \"pods\" in API group \"\" at the cluster scope" },
        { "node-agent", "GET", "/api", 200, "" },
        { "node-agent", "GET", "/api/v1", 200, "" },
        { "node-agent", "GET", "/apis", 200, "" },
        { "node-agent", "GET", "/version", 200, "" },
        { "nobody", "GET", "/api/v1/namespaces/default/pods/hello-world", 401, "Unauthorized" },
        { "nobody", "PUT", "/api/v1/namespaces/default/pods/hello-world/status", 401, "Unauthorized" },
        { "nobody", "GET", "/api", 401, "Unauthorized" },
        { "nobody", "GET", "/metrics", 401, "Unauthorized" },
        { "a wrong token", "GET", "/api/v1/namespaces/default/pods/hello-world", 401, "Unauthorized" },
        { "a wrong token", "PUT", "/api/v1/namespaces/default/pods/hello-world/status", 401, "Unauthorized" },
        { "nobody", "GET", "/readyz", 200, "" },
        { "nobody", "GET", "/livez", 200, "" },
        { "nobody", "GET", "/healthz", 200, "" },
        { "nobody", "GET", "/openapi/v3", 200, "" },
        { "nobody", "GET", "/openapi/v3/api/v1", 200, "" },
        { "nobody", "GET", "/swagger/index.html", 200, "" },
    };

    [Theory]
    [MemberData(nameof(Rows))]
    public async Task Request_GetsTheCodeAndMessageThePolicyGives(string user, string method, string path, int code, string message)
    {
        var reply = await server.Client.SendAsAsync(Tokens[user], new HttpMethod(method), path, Body(method, path), ContentType(method));

        Assert.True((int)reply.Code == code, $"{user} {method} {path}: {(int)reply.Code} {reply.Body}");
        if (code is 401 or 403)
        {
            Assert.Equal(message, reply.Message);
            Assert.Equal(code == 401 ? "Unauthorized" : "Forbidden", reply.Reason);
            Assert.Equal("Status", (string?)reply.Json["kind"]);
        }
    }

    [Fact]
    public async Task AForbiddenWrite_ChangesNothing()
    {
        var before = await server.Client.SendAsAsync(SecuredServer.Admin, HttpMethod.Get, "/api/v1/namespaces/team-a/pods/p");

        var refused = await server.Client.SendAsAsync(SecuredServer.NodeAgent, HttpMethod.Put, "/api/v1/namespaces/team-a/pods/p/status",
            SecuredServer.StatusBody("team-a", "p"));
        var after = await server.Client.SendAsAsync(SecuredServer.Admin, HttpMethod.Get, "/api/v1/namespaces/team-a/pods/p");

        Assert.Equal(HttpStatusCode.Forbidden, refused.Code);
        Assert.Equal(before.Body, after.Body);
    }

    [Fact]
    public async Task AKubeletInGroupSystemNodes_RegistersItsNode_RenewsItsLease_AndRecordsEvents_ButReadsNoNamespaces()
    {
        async Task<Reply> Send(HttpMethod method, string path, string? body = null, string contentType = "application/json") =>
            await server.Client.SendAsAsync(SecuredServer.Kubelet, method, path, body, contentType);

        var registered = await Send(HttpMethod.Post, "/api/v1/nodes", """{"metadata":{"name":"node-1"}}""");
        var reported = await Send(HttpMethod.Patch, "/api/v1/nodes/node-1/status",
            """{"status":{"conditions":[{"type":"Ready","status":"True"}]}}""", "application/strategic-merge-patch+json");
        var renewed = await Send(HttpMethod.Put, "/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/node-1",
            """{"metadata":{"name":"node-1"},"spec":{"holderIdentity":"node-1","leaseDurationSeconds":40}}""");
        var recorded = await Send(HttpMethod.Post, "/api/v1/namespaces/default/events",
            """{"metadata":{"name":"node-1.1"},"involvedObject":{"kind":"Node","name":"node-1"},"reason":"Starting","type":"Normal"}""");
        var namespaces = await Send(HttpMethod.Get, "/api/v1/namespaces");

        Assert.Equal(
            [HttpStatusCode.Created, HttpStatusCode.OK, HttpStatusCode.Created, HttpStatusCode.Created, HttpStatusCode.Forbidden],
            [registered.Code, reported.Code, renewed.Code, recorded.Code, namespaces.Code]);
        Assert.Equal("namespaces is forbidden: User \"system:node:node-1\" cannot list resource \"namespaces\" in API group \"\" at the cluster scope",
            namespaces.Message);
    }

    private static string? Body(string method, string path)
    {
        var parts = path.Split('?')[0].Split('/');
        return (method, parts.Length) switch
        {
            ("POST", _) => TestPods.Pod(TestPods.UniqueName(), parts[4]).ToJsonString(),
            ("PUT", 8) => SecuredServer.StatusBody(parts[4], parts[6]),
            ("PUT", _) => TestPods.Pod(parts[6], parts[4]).ToJsonString(),
            ("PATCH", _) => new JsonObject { ["status"] = new JsonObject { ["podIP"] = "10.0.0.9" } }.ToJsonString(),
            _ => null,
        };
    }

    private static string ContentType(string method) => method == "PATCH" ? "application/merge-patch+json" : "application/json";
}
