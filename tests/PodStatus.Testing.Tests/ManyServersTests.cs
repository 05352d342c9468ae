using System.Diagnostics;
using k8s;

namespace PodStatus.Testing.Tests;

/// <summary>Servers started and stopped in parallel in one process: no port clashes, no leaked threads or memory.</summary>
[Collection(nameof(ManyServersTests))]
public sealed class ManyServersTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static async Task<int> UseAsync(PodStatusServer server, string name)
    {
        using var client = server.CreateClient();
        await client.CoreV1.CreateNamespacedPodAsync(PodStatusServerTests.Pod(name), "default", cancellationToken: Token);
        var pods = await client.CoreV1.ListNamespacedPodAsync("default", cancellationToken: Token);
        Assert.Equal([name], pods.Items.Select(pod => pod.Metadata.Name));
        return server.Url.Port;
    }

    [Fact]
    public async Task SixteenServersAtOnce_EachHaveTheirOwnPortAndPods()
    {
        var servers = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => PodStatusServer.StartAsync(cancellationToken: Token)));
        try
        {
            var ports = await Task.WhenAll(servers.Select((server, i) => UseAsync(server, $"pod-{i}")));

            Assert.Equal(16, ports.Distinct().Count());
        }
        finally
        {
            await Task.WhenAll(servers.Select(server => server.DisposeAsync().AsTask()));
        }
    }

    [Fact]
    public async Task ThreeHundredStartsAndStops_LeaveNoThreadsOrMemoryBehind()
    {
        async Task CycleAsync(int count, int lanes) => await Task.WhenAll(Enumerable.Range(0, lanes).Select(async lane =>
        {
            for (var i = 0; i < count / lanes; i++)
            {
                await using var server = await PodStatusServer.StartAsync(cancellationToken: Token);
                await UseAsync(server, $"pod-{lane}-{i}");
            }
        }));

        await CycleAsync(20, 4);
        var (threadsBefore, memoryBefore) = Measure();
        var started = Stopwatch.StartNew();
        await CycleAsync(300, 4);
        var elapsed = started.Elapsed;
        var (threadsAfter, memoryAfter) = Measure();

        TestContext.Current.TestOutputHelper?.WriteLine(
            $"300 starts and stops in {elapsed.TotalSeconds:0.0} s ({elapsed.TotalMilliseconds / 300 * 4:0} ms each, 4 at a time); " +
            $"threads outside the thread pool {threadsBefore} -> {threadsAfter}; managed memory {memoryBefore / 1e6:0.0} MB -> {memoryAfter / 1e6:0.0} MB");

        // A server that left a thread behind would add 300; a few either way are the runtime's own.
        Assert.True(threadsAfter <= threadsBefore + 8, $"threads outside the thread pool grew from {threadsBefore} to {threadsAfter}");
        // 300 servers that each held a pod and served requests: a leak of even 50 KB each would show.
        Assert.True(memoryAfter <= memoryBefore + 15_000_000, $"managed memory grew from {memoryBefore / 1e6:0.0} MB to {memoryAfter / 1e6:0.0} MB");
    }

    private static (int Threads, long Memory) Measure()
    {
        for (var i = 0; i < 3; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }

        // The thread pool grows and shrinks with load on its own; what a server could leak is a thread of its own.
        using var process = Process.GetCurrentProcess();
        return (process.Threads.Count - ThreadPool.ThreadCount, GC.GetTotalMemory(forceFullCollection: true));
    }
}

/// <summary>Alone, so that other tests' threads and allocations do not blur the measurements.</summary>
[CollectionDefinition(nameof(ManyServersTests), DisableParallelization = true)]
public sealed class ManyServersCollection;
