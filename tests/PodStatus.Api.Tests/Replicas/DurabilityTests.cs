using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using PodStatus.Api.Tests.Infrastructure;

namespace PodStatus.Api.Tests.Replicas;

/// <summary>
/// No write that got a 2xx is lost: not when every PodStatus process is killed during a write load, nor when an
/// etcd member is. PodStatus runs here as real processes (the built server, as <c>dotnet run</c> starts it) on a
/// three-member etcd cluster of this class's own.
/// </summary>
public sealed class DurabilityTests : IAsyncLifetime
{
    private const string Pods = "/api/v1/namespaces/default/pods";
    private const int PodCount = 10;
    private EtcdServer? _etcd;

    public async ValueTask InitializeAsync() => _etcd = await EtcdServer.StartAsync(members: 3);

    public async ValueTask DisposeAsync() => await _etcd!.DisposeAsync();

    [Fact]
    public async Task KillingEveryReplicaDuringAWriteLoad_LosesNoAcknowledgedWrite()
    {
        var replicas = new[] { StartReplica(), StartReplica() };
        using var clients = new ClientPair(replicas);
        await CreatePodsAsync(clients.A);

        var load = new WriteLoad(clients);
        await load.RunAsync(TimeSpan.FromSeconds(2), whileRunning: async () =>
        {
            await Task.Delay(1500, TestContext.Current.CancellationToken);
            foreach (var replica in replicas)
            {
                replica.Process.Kill();
            }
        });

        var restarted = StartReplica();
        using var client = new HttpClient { BaseAddress = new Uri(restarted.Url) };
        await AssertNoAcknowledgedWriteLostAsync(client, load);
        restarted.Process.Kill();
        Assert.True(load.Acknowledged.Count > 20, $"only {load.Acknowledged.Count} writes were acknowledged before the kill");
    }

    [Fact]
    public async Task StoppingAnEtcdMemberDuringAWriteLoad_LosesNoAcknowledgedWrite_AndWritesGoOn()
    {
        var replicas = new[] { StartReplica(), StartReplica() };
        using var clients = new ClientPair(replicas);
        await CreatePodsAsync(clients.A);

        var start = (await clients.B.GetReplyAsync(Pods)).Json["metadata"]!["resourceVersion"]!.ToString();
        await using var watch = await WatchStream.OpenAsync(clients.B, $"{Pods}?watch=true&resourceVersion={start}");
        var watched = new ConcurrentQueue<long>();
        var watcher = Task.Run(async () =>
        {
            // etcd may take several seconds to elect a new leader, with no write and so no event meanwhile.
            while (await watch.NextAsync(timeoutSeconds: 60) is { } change)
            {
                watched.Enqueue(long.Parse((string)change["object"]!["metadata"]!["resourceVersion"]!));
            }
        }, TestContext.Current.CancellationToken);

        var load = new WriteLoad(clients);
        var killedAt = 0L;
        await load.RunAsync(TimeSpan.FromSeconds(12), whileRunning: async () =>
        {
            await Task.Delay(1500, TestContext.Current.CancellationToken);
            killedAt = Stopwatch.GetTimestamp();
            _etcd!.Kill(0);
        });

        // Writes in flight when the member went may wait for etcd's own timeout (about 5 s) while it elects a
        // leader; from then on writes go on.
        var afterKill = load.Acknowledged.Count(write => write.At > killedAt + (7 * Stopwatch.Frequency));
        Assert.True(afterKill > 20, $"only {afterKill} writes were acknowledged from 7 s after the member stopped; refused: {string.Join("; ", load.Refused)}");
        await AssertNoAcknowledgedWriteLostAsync(clients.B, load);

        // A watch open through the member's loss saw every acknowledged write, in order, without ending.
        var last = load.Acknowledged.Max(write => write.Revision);
        var waiting = Stopwatch.StartNew();
        while (!watched.Contains(last) && !watcher.IsCompleted && waiting.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }

        Assert.False(watcher.IsCompleted, $"the watch ended ({watcher.Status}): {watcher.Exception?.InnerException?.Message}; replica B said: {string.Join('\n', replicas[1].Log)}");
        Assert.Subset(watched.ToHashSet(), load.Acknowledged.Select(write => write.Revision).ToHashSet());
        Assert.Equal(watched.Order(), watched);
        foreach (var replica in replicas)
        {
            replica.Process.Kill();
        }
    }

    /// <summary>Each acknowledged write is in etcd's history: the pod read at exactly its revision has its podIP.</summary>
    private static async Task AssertNoAcknowledgedWriteLostAsync(HttpClient client, WriteLoad load)
    {
        foreach (var write in load.Acknowledged)
        {
            var list = await RetryAsync(() => client.GetReplyAsync($"{Pods}?resourceVersion={write.Revision}&resourceVersionMatch=Exact"));
            Assert.Equal(HttpStatusCode.OK, list.Code);
            var pod = list.Json["items"]!.AsArray().Single(item => (string?)item!["metadata"]!["name"] == write.Pod);
            Assert.Equal(write.Revision.ToString(System.Globalization.CultureInfo.InvariantCulture), (string?)pod!["metadata"]!["resourceVersion"]);
            Assert.Equal(write.PodIp, (string?)pod["status"]!["podIP"]);
        }
    }

    private static async Task CreatePodsAsync(HttpClient client)
    {
        for (var i = 0; i < PodCount; i++)
        {
            await client.CreatePodAsync(TestPods.Pod($"p{i}"));
        }
    }

    private Replica StartReplica()
    {
        var port = LoopbackPorts.Free()[0];
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = AppContext.BaseDirectory };
        foreach (var argument in new[]
        {
            Path.Combine(AppContext.BaseDirectory, "PodStatus.Api.dll"), "--urls", $"http://127.0.0.1:{port}", "--Seed:Path=none",
            "--Storage:Backend=Etcd", $"--Storage:Etcd:Endpoints={_etcd!.Endpoints}", "--Logging:LogLevel:Default=Warning", "--Logging:Console:FormatterName=simple",
            // Room for the test's watcher, which shares two cores with etcd and both replicas, never to fall behind.
            "--Watch:HistorySize=100000",
        })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start)!;
        var replica = new Replica(process, $"http://127.0.0.1:{port}");
        process.OutputDataReceived += (_, line) => replica.Log.Enqueue(line.Data);
        process.ErrorDataReceived += (_, line) => replica.Log.Enqueue(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var probe = new HttpClient { Timeout = TimeSpan.FromSeconds(1) };
        var waiting = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                if (probe.GetAsync($"{replica.Url}/readyz").GetAwaiter().GetResult().StatusCode == HttpStatusCode.OK)
                {
                    return replica;
                }
            }
            catch (Exception error) when (error is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }

            Assert.False(process.HasExited || waiting.Elapsed > TimeSpan.FromSeconds(30), "PodStatus did not become ready");
            Thread.Sleep(100);
        }
    }


    private static async Task<Reply> RetryAsync(Func<Task<Reply>> send)
    {
        var waiting = Stopwatch.StartNew();
        while (true)
        {
            var reply = await send();
            if (reply.Code != HttpStatusCode.ServiceUnavailable || waiting.Elapsed > TimeSpan.FromSeconds(30))
            {
                return reply;
            }

            await Task.Delay(200, TestContext.Current.CancellationToken);
        }
    }

    private sealed record Replica(Process Process, string Url)
    {
        /// <summary>What the replica printed (warnings and errors), for a failure's message.</summary>
        public ConcurrentQueue<string?> Log { get; } = new();
    }

    private sealed class ClientPair(Replica[] replicas) : IDisposable
    {
        public HttpClient A { get; } = new() { BaseAddress = new Uri(replicas[0].Url), Timeout = TimeSpan.FromSeconds(10) };

        public HttpClient B { get; } = new() { BaseAddress = new Uri(replicas[1].Url), Timeout = TimeSpan.FromSeconds(10) };

        public void Dispose()
        {
            A.Dispose();
            B.Dispose();
        }
    }

    private sealed record Write(string Pod, long Revision, string PodIp, long At);

    /// <summary>Eight writers sending status writes through both replicas, recording each one acknowledged.</summary>
    private sealed class WriteLoad(ClientPair clients)
    {
        private int _next;

        public ConcurrentBag<Write> Acknowledged { get; } = [];

        /// <summary>The replies to writes that were refused, and how often each came.</summary>
        public ConcurrentDictionary<string, int> Refused { get; } = new();

        public async Task RunAsync(TimeSpan duration, Func<Task> whileRunning)
        {
            using var stop = new CancellationTokenSource(duration);
            var writers = Enumerable.Range(0, 8).Select(writer => Task.Run(async () =>
            {
                var client = writer % 2 == 0 ? clients.A : clients.B;
                while (!stop.IsCancellationRequested)
                {
                    var n = Interlocked.Increment(ref _next);
                    var pod = $"p{n % PodCount}";
                    var podIp = $"10.{n / 65536 % 256}.{n / 256 % 256}.{n % 256}";
                    var body = TestPods.StatusUpdate(TestPods.Pod(pod), TestPods.Running(podIp), keepResourceVersion: false);
                    try
                    {
                        var reply = await client.PutReplyAsync($"{Pods}/{pod}/status", body);
                        if (reply.Code == HttpStatusCode.OK)
                        {
                            Acknowledged.Add(new Write(pod, long.Parse(reply.ResourceVersion), podIp, Stopwatch.GetTimestamp()));
                            continue;
                        }

                        Refused[$"{(int)reply.Code} {reply.Message}"] = Refused.GetValueOrDefault($"{(int)reply.Code} {reply.Message}") + 1;
                    }
                    catch (Exception error) when (error is HttpRequestException or TaskCanceledException)
                    {
                        // Not acknowledged: the replica died, or did not answer in time.
                    }

                    // A refused write (503 while etcd elects a new leader) is retried after a pause, as clients do.
                    await Task.Delay(50);
                }
            }));
            await Task.WhenAll(writers.Append(whileRunning()));
        }
    }
}
