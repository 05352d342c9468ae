using System.Diagnostics;
using System.Net;
using PodStatus.Api.Tests.Infrastructure;

namespace PodStatus.Api.Tests.Replicas;

/// <summary>What clients see while etcd is away, and after it returns: with an etcd of this class's own to stop.</summary>
public sealed class EtcdFaultTests : IAsyncLifetime
{
    private const string Pods = "/api/v1/namespaces/default/pods";
    private EtcdServer? _etcd;
    private PodStatusFactory? _server;

    private HttpClient Client { get; set; } = null!;

    public async ValueTask InitializeAsync()
    {
        _etcd = await EtcdServer.StartAsync(members: 1);
        _server = new PodStatusFactory { SeedPath = "none", Etcd = (_etcd.Endpoints, "/registry") };
        Client = _server.CreateClient();
    }

    public async ValueTask DisposeAsync()
    {
        await _server!.DisposeAsync();
        await _etcd!.DisposeAsync();
    }

    [Fact]
    public async Task WhileEtcdIsDown_RequestsGet503AndReadinessFails_WatchesEnd_ThenAllRecoversWithoutARestart()
    {
        var pod = await Client.CreatePodAsync(TestPods.Pod("a"));
        // Ready once every resource's watch cache follows its etcd watch (on a busy machine, a moment after start),
        // as a readiness probe finds it.
        Assert.Equal(HttpStatusCode.OK, (await RetryAsync(() => Client.GetReplyAsync("/readyz"))).Code);
        await using var watch = await WatchStream.OpenAsync(Client, $"{Pods}?watch=true&resourceVersion={pod["metadata"]!["resourceVersion"]}");
        await Client.PutReplyAsync($"{Pods}/a/status", TestPods.StatusUpdate(pod, TestPods.Running("10.1.0.1"), keepResourceVersion: false));
        Assert.Equal("MODIFIED", (string?)(await watch.NextAsync())!["type"]);

        _etcd!.Kill(0);

        // The watch ends (no more events, the stream closes) so its client lists again.
        Assert.Null(await watch.NextAsync());
        foreach (var request in new Func<Task<Reply>>[]
        {
            () => Client.GetReplyAsync($"{Pods}/a"),
            () => Client.GetReplyAsync(Pods),
            () => Client.PutReplyAsync($"{Pods}/a/status", TestPods.StatusUpdate(pod, TestPods.Running(), keepResourceVersion: false)),
            () => Client.PostReplyAsync(Pods, TestPods.Pod("b")),
            () => Client.GetReplyAsync($"{Pods}?watch=true"),
        })
        {
            var clock = Stopwatch.StartNew();
            var reply = await request();
            Assert.Equal(HttpStatusCode.ServiceUnavailable, reply.Code);
            Assert.Equal("ServiceUnavailable", reply.Reason);
            Assert.InRange(clock.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(6));
        }

        var readiness = await Client.GetAsync("/readyz?verbose", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.InternalServerError, readiness.StatusCode);
        Assert.Contains("[-]storage failed", await readiness.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal("ok", await Client.GetStringAsync("/livez", TestContext.Current.CancellationToken));

        await _etcd.RestartAsync(0);

        var back = await RetryAsync(() => Client.PutReplyAsync($"{Pods}/a/status", TestPods.StatusUpdate(pod, TestPods.Running("10.2.0.1"), keepResourceVersion: false)));
        Assert.Equal(HttpStatusCode.OK, back.Code);
        Assert.Equal("10.2.0.1", (string?)(await Client.GetReplyAsync($"{Pods}/a")).Json["status"]!["podIP"]);
        Assert.Equal(HttpStatusCode.OK, (await RetryAsync(() => Client.GetReplyAsync("/readyz"))).Code);
        await using var again = await WatchStream.OpenAsync(Client, $"{Pods}?watch=true&resourceVersion={back.ResourceVersion}");
        await Client.PutReplyAsync($"{Pods}/a/status", TestPods.StatusUpdate(pod, TestPods.Running("10.2.0.2"), keepResourceVersion: false));
        Assert.Equal("10.2.0.2", (string?)(await again.NextAsync())!["object"]!["status"]!["podIP"]);
    }

    /// <summary>Sends until the reply is not 503 (etcd takes a moment to elect itself again), for up to 30 s.</summary>
    private static async Task<Reply> RetryAsync(Func<Task<Reply>> send)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            var reply = await send();
            if (reply.Code is not (HttpStatusCode.ServiceUnavailable or HttpStatusCode.InternalServerError) || DateTime.UtcNow > deadline)
            {
                return reply;
            }

            await Task.Delay(200, TestContext.Current.CancellationToken);
        }
    }
}
