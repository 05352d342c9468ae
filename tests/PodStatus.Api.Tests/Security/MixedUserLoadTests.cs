using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using PodStatus.Api.Tests.Infrastructure;

namespace PodStatus.Api.Tests.Security;

/// <summary>
/// Several users at once under the sample policy: each gets the answer the policy gives, every time, and only the
/// allowed writes land (a watch sees exactly them, none of the refused ones). Refused writes carry pod IPs of their
/// own (10.66.*, 10.77.*, 10.88.*), so any that slipped through would show.
/// </summary>
public sealed class MixedUserLoadTests
{
    private const string HelloWorld = "/api/v1/namespaces/default/pods/hello-world/status";
    private const string Other = "/api/v1/namespaces/default/pods/other/status";

    [Fact]
    public async Task ManyUsersAtOnce_GetThePolicysAnswers_AndOnlyAllowedWritesLand()
    {
        using var factory = new PodStatusFactory
        {
            SeedPath = "",
            Settings =
            {
                ["Authentication:TokenFile"] = SecuredServer.SamplePath("tokens.csv"),
                ["Authorization:PolicyFile"] = SecuredServer.SamplePath("policy.yaml"),
            },
        };
        using var admin = factory.CreateClient();
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", SecuredServer.Admin);
        await admin.CreatePodAsync(TestPods.Pod("other"));
        await admin.CreateNamespaceAsync("team-a");
        var from = (await admin.GetReplyAsync("/api/v1/namespaces/default/pods")).Json["metadata"]!["resourceVersion"]!.ToString();
        await using var watch = await WatchStream.OpenAsync(admin, $"/api/v1/namespaces/default/pods?watch=true&resourceVersion={from}");
        using var client = factory.CreateClient();
        var answers = new ConcurrentBag<(string Who, string What, HttpStatusCode Code)>();

        async Task Run(string who, string? token, int count, Func<int, (HttpMethod Method, string Path, string? Body, string What)> request)
        {
            for (var i = 0; i < count; i++)
            {
                var (method, path, body, what) = request(i);
                answers.Add((who, what, (await client.SendAsAsync(token, method, path, body)).Code));
            }
        }

        await Task.WhenAll(
            Task.Run(() => Run("node-agent", SecuredServer.NodeAgent, 100, i => i % 2 == 0
                ? (HttpMethod.Put, HelloWorld, SecuredServer.StatusBody("default", "hello-world", $"10.1.0.{i}"), "write")
                : (HttpMethod.Put, Other, SecuredServer.StatusBody("default", "other", $"10.1.0.{i}"), "write")), TestContext.Current.CancellationToken),
            Task.Run(() => Run("dave", SecuredServer.HelloWorldWriter, 100, i =>
                (HttpMethod.Put, HelloWorld, SecuredServer.StatusBody("default", "hello-world", $"10.2.0.{i}"), "write")), TestContext.Current.CancellationToken),
            Task.Run(() => Run("bob", SecuredServer.Dashboard, 100, i => i % 2 == 0
                ? (HttpMethod.Put, HelloWorld, SecuredServer.StatusBody("default", "hello-world", $"10.66.0.{i}"), "refused write")
                : (HttpMethod.Get, "/api/v1/namespaces/default/pods/hello-world", null, "read")), TestContext.Current.CancellationToken),
            Task.Run(() => Run("carol", SecuredServer.TeamA, 60, i => i % 2 == 0
                ? (HttpMethod.Post, "/api/v1/namespaces/team-a/pods", TestPods.Pod($"c-{i}", "team-a").ToJsonString(), "create")
                : (HttpMethod.Put, HelloWorld, SecuredServer.StatusBody("default", "hello-world", $"10.77.0.{i}"), "refused write")), TestContext.Current.CancellationToken),
            Task.Run(() => Run("stranger", "guessed-token", 50, i =>
                (HttpMethod.Put, HelloWorld, SecuredServer.StatusBody("default", "hello-world", $"10.88.0.{i}"), "unauthenticated write")), TestContext.Current.CancellationToken));

        var expected = new Dictionary<string, HttpStatusCode>
        {
            ["write"] = HttpStatusCode.OK,
            ["read"] = HttpStatusCode.OK,
            ["create"] = HttpStatusCode.Created,
            ["refused write"] = HttpStatusCode.Forbidden,
            ["unauthenticated write"] = HttpStatusCode.Unauthorized,
        };
        Assert.Equal(410, answers.Count);
        Assert.All(answers, answer => Assert.True(answer.Code == expected[answer.What], $"{answer.Who} {answer.What}: {answer.Code}"));

        // 50 + 100 writes to hello-world, 50 to other: one MODIFIED event each, and nothing else.
        var landed = new List<(string Name, string PodIp)>();
        for (var i = 0; i < 200; i++)
        {
            var next = await watch.NextAsync() ?? throw new InvalidOperationException($"the watch ended after {i} events");
            Assert.Equal("MODIFIED", (string?)next["type"]);
            landed.Add(((string)next["object"]!["metadata"]!["name"]!, (string)next["object"]!["status"]!["podIP"]!));
        }

        Assert.Equal(150, landed.Count(pod => pod.Name == "hello-world"));
        Assert.Equal(50, landed.Count(pod => pod.Name == "other"));
        Assert.All(landed, pod => Assert.Matches(@"^10\.[12]\.0\.\d+$", pod.PodIp));
        var last = await admin.GetReplyAsync("/api/v1/namespaces/default/pods/hello-world");
        Assert.Equal(landed.Last(pod => pod.Name == "hello-world").PodIp, (string?)last.Json["status"]!["podIP"]);
    }
}
