using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using PodStatus.Api.Simulation;
using PodStatus.Api.Tests.Infrastructure;

namespace PodStatus.Api.Tests.Simulation;

/// <summary>
/// Pods and nodes moved by stages inside the server: the default stages, which objects move, time on the server's
/// clock, every simulated change an ordinary write (RBAC, audit, events), scheduling through pods/binding.
/// </summary>
public sealed class SimulatorTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("simulation-").FullName;

    private static PodStatusFactory Simulating(int nodes = 1, bool schedule = false, string? stages = null, params (string Key, string Value)[] settings)
    {
        var factory = new PodStatusFactory { SeedPath = "none" };
        factory.Settings["Simulation:Enabled"] = "true";
        factory.Settings["Simulation:Nodes"] = nodes.ToString(System.Globalization.CultureInfo.InvariantCulture);
        factory.Settings["Simulation:Schedule"] = schedule ? "true" : "false";
        if (stages is not null)
        {
            factory.Settings["Simulation:Stages"] = stages;
        }

        foreach (var (key, value) in settings)
        {
            factory.Settings[key] = value;
        }

        return factory;
    }

    /// <summary>Polls (in real time, up to 10 s) until <paramref name="condition"/> holds of the object at <paramref name="path"/>.</summary>
    private static async Task<JsonObject> WaitForAsync(HttpClient client, string path, Func<JsonObject, bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            var reply = await client.GetReplyAsync(path);
            if (reply.Code == HttpStatusCode.OK && condition(reply.Json))
            {
                return reply.Json;
            }

            Assert.True(DateTime.UtcNow < deadline, $"{path} never came to the state waited for; last: {(int)reply.Code} {reply.Body}");
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
    }

    /// <summary>Lets the simulation take in every change so far, then moves the server's clock on.</summary>
    private static async Task AdvanceAsync(PodStatusFactory factory, TimeSpan time)
    {
        await factory.Services.GetRequiredService<Simulator>().WaitUntilIdleAsync(TestContext.Current.CancellationToken);
        factory.Clock.Advance(time);
    }

    private static bool IsReady(JsonObject pod) =>
        pod["status"]?["conditions"]?.AsArray().Any(condition => (string?)condition!["type"] == "Ready" && (string?)condition["status"] == "True") == true;

    private static string? Phase(JsonObject pod) => (string?)pod["status"]?["phase"];

    private string WriteStage(string yaml)
    {
        var path = Path.Combine(_folder, $"stage-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, yaml);
        return path;
    }

    /// <summary>A stage that marks pods labelled stage=wait after 10 s of the server's clock.</summary>
    private const string DelayedStage = """
        apiVersion: kwok.x-k8s.io/v1alpha1
        kind: Stage
        metadata: {name: delayed}
        spec:
          resourceRef: {apiGroup: v1, kind: Pod}
          selector:
            matchLabels: {stage: wait}
            matchExpressions:
            - {key: .status.phase, operator: In, values: [Pending]}
          delay: {durationMilliseconds: 10000}
          steps:
          - finalizers:
              add: [{value: example.com/held}]
          - patch:
              subresource: status
              root: status
              template: |
                phase: Running
                message: {{ printf "moved %s on %s" .metadata.name .spec.nodeName | Quote }}
        """;

    [Fact]
    public async Task ADefaultStagePod_OnASimulatedNode_BecomesReady_WithAnIpFromTheNodesCidr_AndAStartedEvent()
    {
        using var factory = Simulating(nodes: 1);
        using var client = factory.CreateClient();
        var node = await WaitForAsync(client, "/api/v1/nodes/node-0", IsReady);
        Assert.Equal("10.64.0.0/24", (string?)node["spec"]!["podCIDR"]);

        await client.CreatePodAsync(TestPods.Pod("web", nodeName: "node-0"));

        var pod = await WaitForAsync(client, PodClient.PodPath("default", "web"), IsReady);
        Assert.Equal("Running", Phase(pod));
        Assert.Equal("10.64.0.0", (string?)pod["status"]!["podIP"]);
        Assert.Equal("172.16.0.1", (string?)pod["status"]!["hostIP"]);
        Assert.Equal("running", ((JsonObject)pod["status"]!["containerStatuses"]![0]!["state"]!).Single().Key);
        var events = await client.GetReplyAsync("/api/v1/namespaces/default/events?fieldSelector=involvedObject.name=web");
        var started = Assert.Single(events.Json["items"]!.AsArray());
        Assert.Equal(("Started", "kwok_controller", "Started container app"),
            ((string?)started!["reason"], (string?)started["source"]!["component"], (string?)started["message"]));
    }

    [Fact]
    public async Task PodsOnNodesThatAreNotSimulated_AndUnscheduledPods_AreLeftAlone()
    {
        using var factory = Simulating(nodes: 1);
        using var client = factory.CreateClient();
        await client.PostReplyAsync("/api/v1/nodes", JsonNode.Parse("""{"metadata":{"name":"real-node"}}""")!);
        await WaitForAsync(client, "/api/v1/nodes/node-0", IsReady);
        await client.CreatePodAsync(TestPods.Pod("real", nodeName: "real-node"));
        await client.CreatePodAsync(TestPods.Pod("unscheduled"));
        await client.CreatePodAsync(TestPods.Pod("simulated", nodeName: "node-0"));

        await WaitForAsync(client, PodClient.PodPath("default", "simulated"), IsReady);

        foreach (var name in new[] { "real", "unscheduled" })
        {
            var pod = (await client.GetReplyAsync(PodClient.PodPath("default", name))).Json;
            Assert.Equal("Pending", Phase(pod));
            Assert.Null(pod["status"]!["podIP"]);
        }

        Assert.False(IsReady((await client.GetReplyAsync("/api/v1/nodes/real-node")).Json));
    }

    [Fact]
    public async Task AStagesDelay_RunsOnTheServersClock_ThenItsStepsApplyInOrder()
    {
        using var factory = Simulating(nodes: 1, stages: WriteStage(DelayedStage));
        using var client = factory.CreateClient();
        var pod = TestPods.Pod("waiting", nodeName: "node-0");
        pod["metadata"]!["labels"]!["stage"] = "wait";
        await client.CreatePodAsync(pod);
        // The stage is chosen at once and waits for the clock: the simulation idle, nothing has moved.
        await factory.Services.GetRequiredService<Simulator>().WaitUntilIdleAsync(TestContext.Current.CancellationToken);
        Assert.Equal("Pending", Phase((await client.GetReplyAsync(PodClient.PodPath("default", "waiting"))).Json));

        await AdvanceAsync(factory, TimeSpan.FromSeconds(10));

        var moved = await WaitForAsync(client, PodClient.PodPath("default", "waiting"), p => Phase(p) == "Running");
        Assert.Equal("moved waiting on node-0", (string?)moved["status"]!["message"]);
        Assert.Equal("""["example.com/held"]""", moved["metadata"]!["finalizers"]!.ToJsonString());
    }

    [Fact]
    public async Task AStageWhoseSelectorNoLongerMatchesWhenItsDelayEnds_IsNotApplied()
    {
        using var factory = Simulating(nodes: 1, stages: WriteStage(DelayedStage));
        using var client = factory.CreateClient();
        var pod = TestPods.Pod("changed", nodeName: "node-0");
        pod["metadata"]!["labels"]!["stage"] = "wait";
        await client.CreatePodAsync(pod);
        await factory.Services.GetRequiredService<Simulator>().WaitUntilIdleAsync(TestContext.Current.CancellationToken);

        var relabelled = await client.SendAsync(HttpMethod.Patch, PodClient.PodPath("default", "changed"),
            """{"metadata":{"labels":{"stage":"stay"}}}""", "application/merge-patch+json");
        Assert.Equal(HttpStatusCode.OK, relabelled.Code);
        await AdvanceAsync(factory, TimeSpan.FromSeconds(10));
        await factory.Services.GetRequiredService<Simulator>().WaitUntilIdleAsync(TestContext.Current.CancellationToken);

        var after = (await client.GetReplyAsync(PodClient.PodPath("default", "changed"))).Json;
        Assert.Equal("Pending", Phase(after));
        Assert.Equal(relabelled.ResourceVersion, (string?)after["metadata"]!["resourceVersion"]);
    }

    [Fact]
    public async Task Schedule_BindsPendingPodsToSimulatedNodes_InTurn_ThroughPodsBinding()
    {
        using var factory = Simulating(nodes: 2, schedule: true);
        using var client = factory.CreateClient();
        await WaitForAsync(client, "/api/v1/nodes/node-1", IsReady);
        await WaitForAsync(client, "/api/v1/nodes/node-0", IsReady);
        // The scheduler knows both nodes Ready once the simulation has taken their changes in (on etcd, a moment later).
        await factory.Services.GetRequiredService<Simulator>().WaitUntilIdleAsync(TestContext.Current.CancellationToken);

        for (var i = 0; i < 4; i++)
        {
            await client.CreatePodAsync(TestPods.Pod($"p{i}"));
        }

        var nodes = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            var pod = await WaitForAsync(client, PodClient.PodPath("default", $"p{i}"), IsReady);
            nodes.Add((string)pod["spec"]!["nodeName"]!);
            Assert.Contains(pod["status"]!["conditions"]!.AsArray(), c => (string?)c!["type"] == "PodScheduled" && (string?)c["status"] == "True");
        }

        Assert.Equal([2, 2], nodes.GroupBy(node => node).Select(group => group.Count()));
        var scheduled = await client.GetReplyAsync("/api/v1/namespaces/default/events?fieldSelector=reason=Scheduled,involvedObject.name=p0");
        Assert.StartsWith("Successfully assigned default/p0 to node-", (string?)Assert.Single(scheduled.Json["items"]!.AsArray())!["message"]);
    }

    [Fact]
    public async Task ADeletedSimulatedPod_IsGoneWithoutWaitingItsGracePeriod_AndItsIpIsGivenBack()
    {
        using var factory = Simulating(nodes: 1);
        using var client = factory.CreateClient();
        await WaitForAsync(client, "/api/v1/nodes/node-0", IsReady);
        await client.CreatePodAsync(TestPods.Pod("first", nodeName: "node-0"));
        var first = await WaitForAsync(client, PodClient.PodPath("default", "first"), IsReady);

        var deleted = await client.DeleteReplyAsync(PodClient.PodPath("default", "first"));
        Assert.Equal(HttpStatusCode.OK, deleted.Code);
        Assert.Equal(30, (int?)deleted.Json["metadata"]!["deletionGracePeriodSeconds"]);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while ((await client.GetReplyAsync(PodClient.PodPath("default", "first"))).Code != HttpStatusCode.NotFound)
        {
            Assert.True(DateTime.UtcNow < deadline, "the pod was never removed");
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }

        await client.CreatePodAsync(TestPods.Pod("second", nodeName: "node-0"));
        var second = await WaitForAsync(client, PodClient.PodPath("default", "second"), IsReady);
        Assert.Equal((string?)first["status"]!["podIP"], (string?)second["status"]!["podIP"]);
    }

    [Fact]
    public async Task AJobsPod_Succeeds_AndAChaosLabelledPod_FailsAfterItsDelay()
    {
        using var factory = Simulating(nodes: 1);
        using var client = factory.CreateClient();
        await WaitForAsync(client, "/api/v1/nodes/node-0", IsReady);
        var job = TestPods.Pod("job-1", nodeName: "node-0");
        job["metadata"]!["ownerReferences"] = JsonNode.Parse("""[{"apiVersion":"batch/v1","kind":"Job","name":"job","uid":"6b1e5b3a-0000-4000-8000-000000000001","controller":true}]""");
        var chaos = TestPods.Pod("chaos", nodeName: "node-0");
        chaos["metadata"]!["labels"]!["pod-container-running-failed.stage.kwok.x-k8s.io"] = "true";
        chaos["metadata"]!["annotations"] = new JsonObject { ["pod-container-running-failed.stage.kwok.x-k8s.io/exit-code"] = "137" };
        await client.CreatePodAsync(job);
        await client.CreatePodAsync(chaos);

        await WaitForAsync(client, PodClient.PodPath("default", "job-1"), p => Phase(p) == "Succeeded");
        await WaitForAsync(client, PodClient.PodPath("default", "chaos"), p => Phase(p) == "Running");
        await AdvanceAsync(factory, TimeSpan.FromSeconds(1));
        var failed = await WaitForAsync(client, PodClient.PodPath("default", "chaos"), p => Phase(p) == "Failed");
        Assert.Equal(137, (int?)failed["status"]!["containerStatuses"]![0]!["state"]!["terminated"]!["exitCode"]);
    }

    [Fact]
    public async Task TheSimulator_IsAuthorizedAndAudited_AsAnyUser()
    {
        var log = Path.Combine(_folder, "audit.log");
        var policy = Path.Combine(_folder, "policy.yaml");
        // The policy narrows the simulator's role: it may no longer write pods' status.
        File.WriteAllText(policy, """
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata: {name: "system:podstatus:simulator"}
            rules:
            - {apiGroups: [""], resources: [nodes, nodes/status, events], verbs: ["*"]}
            - {apiGroups: [coordination.k8s.io], resources: [leases], verbs: ["*"]}
            """);
        using var factory = Simulating(nodes: 1, settings:
            [("Audit:LogPath", log), ("Authorization:PolicyFile", policy), ("Authentication:TokenFile", Security.SecuredServer.SamplePath("tokens.csv"))]);
        using var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "example-admin-token");
        await WaitForAsync(client, "/api/v1/nodes/node-0", IsReady);
        await client.CreatePodAsync(TestPods.Pod("held", nodeName: "node-0"));

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        string[] lines;
        do
        {
            await Task.Delay(50, TestContext.Current.CancellationToken);
            lines = File.Exists(log) ? File.ReadAllLines(log) : [];
        }
        while (!lines.Any(line => line.Contains("\"forbid\"")) && DateTime.UtcNow < deadline);

        // Every refusal is the simulator's status patch. There may be two: a pod created while its node was just
        // becoming simulated is offered by the node's resync as well as by the pod feed.
        var refusals = lines.Where(line => line.Contains("\"forbid\"")).Select(line => JsonNode.Parse(line)!).ToList();
        Assert.NotEmpty(refusals);
        Assert.All(refusals, forbidden => Assert.Equal(("system:podstatus:simulator", "patch", "status", 403),
            ((string?)forbidden["user"]!["username"], (string?)forbidden["verb"], (string?)forbidden["objectRef"]!["subresource"], (int?)forbidden["responseStatus"]!["code"])));
        Assert.Equal("Pending", Phase((await client.GetReplyAsync(PodClient.PodPath("default", "held"))).Json));
        var nodeStatus = lines.Select(line => JsonNode.Parse(line)!).First(entry => (string?)entry["objectRef"]!["resource"] == "nodes" && (string?)entry["verb"] == "patch");
        Assert.Equal(("system:podstatus:simulator", "allow", 200),
            ((string?)nodeStatus["user"]!["username"], (string?)nodeStatus["annotations"]!["authorization.k8s.io/decision"], (int?)nodeStatus["responseStatus"]!["code"]));
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
