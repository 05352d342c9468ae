using System.Net;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Time.Testing;
using PodStatus.Testing;

namespace ReadinessController.Tests;

/// <summary>
/// The sample controller against a real pod API, with the kubelet's part played by the server's simulation
/// (stages/kubelet.yaml) on a clock the tests move: what the controller writes, and how it survives conflicts and cut
/// watches.
/// </summary>
public sealed class PodReadinessControllerTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 6, 9, 0, 0, TimeSpan.Zero));
    private PodStatusServer _server = null!;
    private IKubernetes _client = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        var options = new PodStatusServerOptions { TimeProvider = _clock, Simulate = true };
        options.Stages.Add(Path.Combine(AppContext.BaseDirectory, "stages", "kubelet.yaml"));
        _server = await PodStatusServer.StartAsync(options, Token);
        _client = _server.CreateClient();
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    /// <summary>A pod on the simulated node; <paramref name="unready"/> names a container the kubelet will not find ready,
    /// until <paramref name="readyAfter"/> (a Go duration) has passed, if given.</summary>
    private async Task CreatePodAsync(string name, string[] containers, string? unready = null, string? readyAfter = null)
    {
        var annotations = new Dictionary<string, string>();
        if (unready is not null)
        {
            annotations["sample.podstatus.dev/unready"] = unready;
        }

        if (readyAfter is not null)
        {
            annotations["sample.podstatus.dev/ready-after"] = readyAfter;
        }

        await _client.CoreV1.CreateNamespacedPodAsync(new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = name, Annotations = annotations },
            Spec = new V1PodSpec { NodeName = "node-0", Containers = [.. containers.Select(container => new V1Container { Name = container, Image = "nginx" })] },
        }, "default", cancellationToken: Token);
    }

    /// <summary>Lets the simulated kubelet take in what the test did, then moves the clock on.</summary>
    private async Task AdvanceAsync(TimeSpan time)
    {
        await _server.WaitForSimulationAsync(Token);
        _clock.Advance(time);
    }

    private static bool ReadyIs(V1Pod pod, string status) =>
        pod.Status?.Conditions?.Any(condition => condition.Type == "Ready" && condition.Status == status) == true;

    private static bool Started(V1Pod pod) => pod.Status?.ContainerStatuses is { Count: > 0 };

    [Fact]
    public async Task APodWhoseContainersAreAllReady_IsMarkedReady_AndOneThatIsNot_IsMarkedNotReady()
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Token);
        var controller = new PodReadinessController(_client, "default").RunAsync(stop.Token);

        await CreatePodAsync("all-ready", ["c0", "c1"]);
        await CreatePodAsync("half-ready", ["c0", "c1"], unready: "c1");
        // The controller first finds no container ready; each of its writes is a new version, whose stage (and
        // delay) the simulation chooses again, so the clock moves once it has written.
        await _server.WaitForPodAsync("default", "all-ready", pod => ReadyIs(pod, "False"), cancellationToken: Token);
        await _server.WaitForPodAsync("default", "half-ready", pod => ReadyIs(pod, "False"), cancellationToken: Token);
        await AdvanceAsync(TimeSpan.FromSeconds(5));

        await _server.WaitForPodAsync("default", "all-ready", pod => ReadyIs(pod, "True"), cancellationToken: Token);
        await _server.WaitForPodAsync("default", "half-ready", pod => ReadyIs(pod, "False"), cancellationToken: Token);
        await stop.CancelAsync();
        await controller;
    }

    [Fact]
    public async Task AConflictingWrite_IsRetried_AndLandsOnce()
    {
        await CreatePodAsync("web", ["c0"]);
        await AdvanceAsync(TimeSpan.FromSeconds(5));
        await _server.WaitForPodAsync("default", "web", Started, cancellationToken: Token);
        _server.Faults.FailNextWrites(HttpStatusCode.Conflict, count: 2, @namespace: "default", name: "web");

        var wrote = await new PodReadinessController(_client, "default").ReconcileAsync("web", Token);

        Assert.True(wrote);
        Assert.Equal(0, _server.Faults.Pending);
        // The test's creation, the simulated kubelet's status write, then exactly one by the controller, after two refusals.
        var history = _server.History("default", "web");
        Assert.Equal(("system:podstatus:simulator", "status"), (history[1].Writer.User, history[1].Writer.Subresource));
        var write = Assert.Single(history.Skip(2));
        Assert.Equal("status", write.Writer.Subresource);
        Assert.True(ReadyIs(write.Object, "True"));
    }

    [Fact]
    public async Task TooManyConflicts_AreGivenUp_WithTheConflict()
    {
        await CreatePodAsync("web", ["c0"]);
        await AdvanceAsync(TimeSpan.FromSeconds(5));
        await _server.WaitForPodAsync("default", "web", Started, cancellationToken: Token);
        _server.Faults.FailNextWrites(HttpStatusCode.Conflict, count: PodReadinessController.Attempts, name: "web");

        var conflict = await Assert.ThrowsAsync<k8s.Autorest.HttpOperationException>(() =>
            new PodReadinessController(_client, "default").ReconcileAsync("web", Token));

        Assert.Equal(HttpStatusCode.Conflict, conflict.Response.StatusCode);
        Assert.Equal(2, _server.History("default", "web").Count);
    }

    [Fact]
    public async Task ACutWatch_IsOpenedAgain_AndLaterChangesAreSeen()
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Token);
        var controller = new PodReadinessController(_client, "default").RunAsync(stop.Token);
        await CreatePodAsync("web", ["c0"], unready: "c0", readyAfter: "30s");
        await _server.WaitForPodAsync("default", "web", pod => ReadyIs(pod, "False"), cancellationToken: Token);
        await AdvanceAsync(TimeSpan.FromSeconds(5));
        await _server.WaitForPodAsync("default", "web", Started, cancellationToken: Token);

        Assert.True(_server.Faults.CutWatches() >= 1);
        // The container's readiness probe starts passing 30 s later.
        await AdvanceAsync(TimeSpan.FromSeconds(30));

        await _server.WaitForPodAsync("default", "web", pod => ReadyIs(pod, "True"), cancellationToken: Token);
        await stop.CancelAsync();
        await controller;
    }
}
