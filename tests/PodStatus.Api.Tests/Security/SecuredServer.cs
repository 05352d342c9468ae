using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using PodStatus.Api.Tests.Infrastructure;

namespace PodStatus.Api.Tests.Security;

/// <summary>
/// PodStatus with the sample token file and policy (samples/tokens.csv, samples/policy.yaml, which the README
/// shows), holding the founding document's pod and pods in team-a and other namespaces.
/// </summary>
public sealed class SecuredServer : IAsyncLifetime
{
    public const string Admin = "example-admin-token";
    public const string NodeAgent = "example-node-agent-token";
    public const string Dashboard = "example-dashboard-token";
    public const string TeamA = "example-team-a-token";
    public const string HelloWorldWriter = "example-hello-world-token";
    public const string Monitoring = "example-monitoring-token";
    public const string Kubelet = "example-kubelet-token";

    public PodStatusFactory Factory { get; } = new()
    {
        SeedPath = "",
        Settings =
        {
            ["Authentication:TokenFile"] = SamplePath("tokens.csv"),
            ["Authorization:PolicyFile"] = SamplePath("policy.yaml"),
        },
    };

    public HttpClient Client { get; private set; } = null!;

    public static string SamplePath(string file) => Path.Combine(AppContext.BaseDirectory, "samples", file);

    public async ValueTask InitializeAsync()
    {
        Client = Factory.CreateClient();
        var namespaceCreated = await Client.SendAsAsync(Admin, HttpMethod.Post, "/api/v1/namespaces", """{"metadata":{"name":"team-a"}}""");
        Assert.Equal(HttpStatusCode.Created, namespaceCreated.Code);
        foreach (var (ns, name) in new[] { ("team-a", "p"), ("team-a", "doomed"), ("default", "other"), ("kube-system", "hello-world") })
        {
            var created = await Client.SendAsAsync(Admin, HttpMethod.Post, $"/api/v1/namespaces/{ns}/pods", TestPods.Pod(name, ns).ToJsonString());
            Assert.Equal(HttpStatusCode.Created, created.Code);
        }
    }

    public ValueTask DisposeAsync()
    {
        Client.Dispose();
        Factory.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>A status write with no resourceVersion (so unconditional) for pod <paramref name="name"/>.</summary>
    public static string StatusBody(string ns, string name, string podIp = "10.0.0.5") => new JsonObject
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Pod",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns },
        ["status"] = TestPods.Running(podIp),
    }.ToJsonString();
}

public static class AuthenticatedRequests
{
    /// <summary>Sends a request with <paramref name="token"/> as its bearer token (none when null).</summary>
    public static async Task<Reply> SendAsAsync(this HttpClient client, string? token, HttpMethod method, string path, string? body = null,
        string contentType = "application/json")
    {
        using var request = new HttpRequestMessage(method, path);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
        return new Reply(response.StatusCode, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), response.Content.Headers.ContentType?.MediaType);
    }
}
