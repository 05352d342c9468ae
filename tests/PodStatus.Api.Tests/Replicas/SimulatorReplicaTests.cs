using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using PodStatus.Api.Simulation;
using PodStatus.Api.Tests.Infrastructure;

namespace PodStatus.Api.Tests.Replicas;

/// <summary>Two replicas on one etcd, both simulating: one holds the simulator's lease and moves the pods, and when it
/// stops the other takes over.</summary>
public sealed class SimulatorReplicaTests
{
    private static PodStatusFactory Replica((string, string) etcd)
    {
        var factory = new PodStatusFactory { SeedPath = "none", Etcd = etcd };
        factory.Settings["Simulation:Enabled"] = "true";
        factory.Settings["Simulation:Nodes"] = "1";
        factory.Settings["Simulation:NodeLeaseDurationSeconds"] = "0";
        return factory;
    }

    private static async Task<JsonObject> WaitForReadyAsync(HttpClient client, string name)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            var reply = await client.GetReplyAsync(PodClient.PodPath("default", name));
            if (reply.Code == HttpStatusCode.OK && (string?)reply.Json["status"]?["phase"] == "Running")
            {
                return reply.Json;
            }

            Assert.True(DateTime.UtcNow < deadline, $"{name} never became Running: {reply.Body}");
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
    }

    [Fact]
    public async Task OneReplicaSimulates_AndWhenItStops_TheOtherTakesOver()
    {
        var etcd = await EtcdServer.SharedAsync();
        var shared = (etcd.Endpoints, EtcdServer.NewPrefix());
        var a = Replica(shared);
        var b = Replica(shared);
        using var clientA = a.CreateClient();
        using var clientB = b.CreateClient();
        var simulators = new[] { a.Services.GetRequiredService<Simulator>(), b.Services.GetRequiredService<Simulator>() };
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (!simulators.Any(simulator => simulator.Simulating))
        {
            Assert.True(DateTime.UtcNow < deadline, "no replica took the simulator's lease");
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }

        var (leader, follower, followerClient) = simulators[0].Simulating ? (a, b, clientB) : (b, a, clientA);
        Assert.Single(simulators, simulator => simulator.Simulating);
        await followerClient.CreatePodAsync(TestPods.Pod("first", nodeName: "node-0"));
        await WaitForReadyAsync(followerClient, "first");
        var started = await followerClient.GetReplyAsync("/api/v1/namespaces/default/events?fieldSelector=involvedObject.name=first,reason=Started");
        Assert.Single(started.Json["items"]!.AsArray());

        // The leader stops and gives the lease up: the follower takes it at its next try.
        await leader.DisposeAsync();
        var other = follower.Services.GetRequiredService<Simulator>();
        deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (!other.Simulating)
        {
            Assert.True(DateTime.UtcNow < deadline, "the other replica never took over");
            follower.Clock.Advance(SimulatorLeadership.RetryPeriod);
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }

        await followerClient.CreatePodAsync(TestPods.Pod("second", nodeName: "node-0"));
        await WaitForReadyAsync(followerClient, "second");
        await follower.DisposeAsync();
    }
}
