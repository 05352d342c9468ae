using System.Diagnostics;
using k8s;

namespace PodStatus.Testing.Tests;

/// <summary>
/// Servers started and stopped in parallel in one process: no port clashes, no leaked threads. Memory is reported:
/// most of what stopped servers leave goes within a minute, but not all of it yet (about 90 KB a server stays).
/// </summary>
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
    public async Task ThreeHundredStartsAndStops_LeaveNoThreadsBehind_AndReportMemory()
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
        // What a stopped server leaves is held a while by the runtime (most goes within about 20 s, as idle
        // thread-pool threads retire), so memory is read again after that.
        var settled = Stopwatch.StartNew();
        await Task.Delay(TimeSpan.FromSeconds(25), Token);
        var (_, memorySettled) = Measure();

        TestContext.Current.TestOutputHelper?.WriteLine(
            $"300 starts and stops in {elapsed.TotalSeconds:0.0} s ({elapsed.TotalMilliseconds / 300 * 4:0} ms each, 4 at a time); " +
            $"threads {threadsBefore} -> {threadsAfter}; managed memory {memoryBefore / 1e6:0.0} MB -> {memoryAfter / 1e6:0.0} MB at once, " +
            $"{memorySettled / 1e6:0.0} MB {settled.Elapsed.TotalSeconds:0} s later");

        Assert.True(threadsAfter <= threadsBefore + 8, $"threads grew from {threadsBefore} to {threadsAfter}");
    }

    private static (int Threads, long Memory) Measure()
    {
        for (var i = 0; i < 3; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }

        using var process = Process.GetCurrentProcess();
        return (process.Threads.Count, GC.GetTotalMemory(forceFullCollection: true));
    }
}
