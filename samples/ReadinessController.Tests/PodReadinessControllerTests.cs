using System.Net;
using k8s;
using k8s.Models;
using PodStatus.Testing;

namespace ReadinessController.Tests;

/// <summary>The sample controller against a real pod API: what it writes, and how it survives conflicts and cut watches.</summary>
public sealed class PodReadinessControllerTests : IAsyncLifetime
{
    private PodStatusServer _server = null!;
    private IKubernetes _client = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _server = await PodStatusServer.StartAsync(cancellationToken: Token);
        _client = _server.CreateClient();
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    /// <summary>A pod whose containers report ready as given, as a kubelet would write them.</summary>
    private async Task CreatePodAsync(string name, params bool[] ready)
    {
        await _client.CoreV1.CreateNamespacedPodAsync(new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = name },
            Spec = new V1PodSpec { Containers = [.. ready.Select((_, i) => new V1Container { Name = $"c{i}", Image = "nginx" })] },
        }, "default", cancellationToken: Token);
        await SetContainersAsync(name, ready);
    }

    /// <summary>
    /// The kubelet's part: a merge patch of the phase and the container statuses, which leaves the controller's
    /// conditions alone and, like the kubelet's own patch, cannot conflict with the controller's writes.
    /// </summary>
    private async Task SetContainersAsync(string name, bool[] ready)
    {
        var status = new V1PodStatus
        {
            Phase = "Running",
            ContainerStatuses = [.. ready.Select((isReady, i) => new V1ContainerStatus
            {
                Name = $"c{i}", Image = "nginx", ImageID = "", Ready = isReady, RestartCount = 0,
                State = new V1ContainerState { Running = new V1ContainerStateRunning { StartedAt = DateTime.UtcNow } },
            })],
        };
        await _client.CoreV1.PatchNamespacedPodStatusAsync(
            new V1Patch(new V1Pod { Status = status }, V1Patch.PatchType.MergePatch), name, "default", cancellationToken: Token);
    }

    private static bool ReadyIs(V1Pod pod, string status) =>
        pod.Status?.Conditions?.Any(condition => condition.Type == "Ready" && condition.Status == status) == true;

    [Fact]
    public async Task APodWhoseContainersAreAllReady_IsMarkedReady_AndOneThatIsNot_IsMarkedNotReady()
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Token);
        var controller = new PodReadinessController(_client, "default").RunAsync(stop.Token);

        await CreatePodAsync("all-ready", true, true);
        await CreatePodAsync("half-ready", true, false);

        await _server.WaitForPodAsync("default", "all-ready", pod => ReadyIs(pod, "True"), cancellationToken: Token);
        await _server.WaitForPodAsync("default", "half-ready", pod => ReadyIs(pod, "False"), cancellationToken: Token);
        await stop.CancelAsync();
        await controller;
    }

    [Fact]
    public async Task AConflictingWrite_IsRetried_AndLandsOnce()
    {
        await CreatePodAsync("web", true);
        _server.Faults.FailNextWrites(HttpStatusCode.Conflict, count: 2, @namespace: "default", name: "web");

        var wrote = await new PodReadinessController(_client, "default").ReconcileAsync("web", Token);

        Assert.True(wrote);
        Assert.Equal(0, _server.Faults.Pending);
        // The test's two writes (the creation, the kubelet's status patch), then exactly one by the controller, after two refusals.
        var history = _server.History("default", "web");
        var controllerWrites = history.Skip(2).ToArray();
        var write = Assert.Single(controllerWrites);
        Assert.Equal("status", write.Writer.Subresource);
        Assert.True(ReadyIs(write.Object, "True"));
    }

    [Fact]
    public async Task TooManyConflicts_AreGivenUp_WithTheConflict()
    {
        await CreatePodAsync("web", true);
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
        await CreatePodAsync("web", false);
        await _server.WaitForPodAsync("default", "web", pod => ReadyIs(pod, "False"), cancellationToken: Token);

        Assert.True(_server.Faults.CutWatches() >= 1);
        await SetContainersAsync("web", [true]);

        await _server.WaitForPodAsync("default", "web", pod => ReadyIs(pod, "True"), cancellationToken: Token);
        await stop.CancelAsync();
        await controller;
    }
}
