using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Time.Testing;

namespace PodStatus.Testing.Tests;

/// <summary>The server as a test author uses it: the official client against it, options, waiting and history.</summary>
public sealed class PodStatusServerTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public static V1Pod Pod(string name, string ns = "default", string? nodeName = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns, Labels = new Dictionary<string, string> { ["app"] = "web" } },
        Spec = new V1PodSpec { NodeName = nodeName, Containers = [new V1Container { Name = "app", Image = "nginx:1.27" }] },
    };

    [Fact]
    public async Task TheOfficialClient_CreatesReadsAndUpdatesStatus_WithKubeApiserversAnswers()
    {
        await using var server = await PodStatusServer.StartAsync(cancellationToken: Token);
        using var client = server.CreateClient();

        var created = await client.CoreV1.CreateNamespacedPodAsync(Pod("web"), "default", cancellationToken: Token);
        created.Status = new V1PodStatus { Phase = "Running", PodIP = "10.0.0.7" };
        var updated = await client.CoreV1.ReplaceNamespacedPodStatusAsync(created, "web", "default", cancellationToken: Token);
        var stale = await Assert.ThrowsAsync<HttpOperationException>(() =>
            client.CoreV1.ReplaceNamespacedPodStatusAsync(created, "web", "default", cancellationToken: Token));
        var missing = await Assert.ThrowsAsync<HttpOperationException>(() => client.CoreV1.ReadNamespacedPodAsync("nope", "default", cancellationToken: Token));

        Assert.Equal("Running", updated.Status.Phase);
        Assert.NotEqual(created.Metadata.ResourceVersion, updated.Metadata.ResourceVersion);
        Assert.Equal(HttpStatusCode.Conflict, stale.Response.StatusCode);
        Assert.Contains("the object has been modified; please apply your changes to the latest version and try again", stale.Response.Content);
        Assert.Equal(HttpStatusCode.NotFound, missing.Response.StatusCode);
        Assert.Contains("pods \\\"nope\\\" not found", missing.Response.Content);
    }

    [Fact]
    public async Task Options_SeedPods_AndStrictValidation()
    {
        var seeded = Pod("seeded");
        seeded.Metadata.ResourceVersion = "40";
        var options = new PodStatusServerOptions { StrictValidation = true };
        options.Pods.Add(seeded);
        await using var server = await PodStatusServer.StartAsync(options, Token);
        using var client = server.CreateClient();

        var read = await client.CoreV1.ReadNamespacedPodAsync("seeded", "default", cancellationToken: Token);
        read.Status = new V1PodStatus { Phase = "Sleeping" };
        var invalid = await Assert.ThrowsAsync<HttpOperationException>(() =>
            client.CoreV1.ReplaceNamespacedPodStatusAsync(read, "seeded", "default", cancellationToken: Token));

        Assert.Equal("40", read.Metadata.ResourceVersion);
        Assert.Equal((HttpStatusCode)422, invalid.Response.StatusCode);
        Assert.Contains("supported values: \\\"Failed\\\", \\\"Pending\\\", \\\"Running\\\", \\\"Succeeded\\\", \\\"Unknown\\\"", invalid.Response.Content);
    }

    [Fact]
    public async Task ATestClock_EndsAGracefulDeletion_WhenMoved_WithoutWaiting()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));
        await using var server = await PodStatusServer.StartAsync(new PodStatusServerOptions { TimeProvider = clock }, Token);
        using var client = server.CreateClient();
        await client.CoreV1.CreateNamespacedPodAsync(Pod("leaving", nodeName: "node-1"), "default", cancellationToken: Token);

        var marked = await client.CoreV1.DeleteNamespacedPodAsync("leaving", "default", cancellationToken: Token);
        clock.Advance(TimeSpan.FromSeconds(31));
        await server.WaitForPodGoneAsync("default", "leaving");

        Assert.Equal("2026-12-01T12:00:30.0000000Z", marked.Metadata.DeletionTimestamp?.ToString("O"));
        Assert.Equal(WatchEventType.Deleted, server.History("default", "leaving")[^1].Type);
    }

    [Fact]
    public async Task WaitForPod_ReturnsWhenTheConditionHolds_AndOtherwiseSaysWhatItLastSaw()
    {
        await using var server = await PodStatusServer.StartAsync(cancellationToken: Token);
        using var client = server.CreateClient();
        var waiting = server.WaitForPodAsync("default", "web", pod => pod.Status?.Phase == "Running", cancellationToken: Token);

        var created = await client.CoreV1.CreateNamespacedPodAsync(Pod("web"), "default", cancellationToken: Token);
        created.Status = new V1PodStatus { Phase = "Running" };
        await client.CoreV1.ReplaceNamespacedPodStatusAsync(created, "web", "default", cancellationToken: Token);
        var running = await waiting;
        var timeout = await Assert.ThrowsAsync<TimeoutException>(() =>
            server.WaitForPodAsync("default", "web", pod => pod.Status.Phase == "Succeeded", TimeSpan.FromMilliseconds(300), Token));

        Assert.Equal("Running", running.Status.Phase);
        Assert.Equal($"pod default/web did not meet pod => pod.Status.Phase == \"Succeeded\" within 0.3 s; last seen at resourceVersion " +
            $"{running.Metadata.ResourceVersion}: phase Running, conditions []", timeout.Message);
    }

    [Fact]
    public async Task History_ListsEveryChange_InOrder_WithWhoMadeIt()
    {
        await using var server = await PodStatusServer.StartAsync(cancellationToken: Token);
        using var client = server.CreateClient();
        var pod = await client.CoreV1.CreateNamespacedPodAsync(Pod("web"), "default", cancellationToken: Token);
        pod.Status = new V1PodStatus { Phase = "Running" };
        pod = await client.CoreV1.ReplaceNamespacedPodStatusAsync(pod, "web", "default", cancellationToken: Token);
        await client.CoreV1.DeleteNamespacedPodAsync("web", "default", cancellationToken: Token);

        var history = server.History("default", "web");

        // A deletion marks the pod (deletionTimestamp), then removes it, as kube-apiserver's does: two changes.
        Assert.Equal([WatchEventType.Added, WatchEventType.Modified, WatchEventType.Modified, WatchEventType.Deleted], history.Select(change => change.Type));
        Assert.NotNull(history[2].Object.Metadata.DeletionTimestamp);
        Assert.Equal("delete", history[3].Writer.Verb);
        Assert.Equal(pod.Metadata.ResourceVersion, history[1].Object.Metadata.ResourceVersion);
        Assert.Equal("Running", history[1].Object.Status.Phase);
        Assert.Equal(("update", "status", "system:anonymous"), (history[1].Writer.Verb, history[1].Writer.Subresource, history[1].Writer.User));
        Assert.StartsWith("kubernetes-csharp/", history[1].Writer.UserAgent);
        Assert.Equal(history.Select(change => change.ResourceVersion).Order(), history.Select(change => change.ResourceVersion));
    }

    [Fact]
    public async Task History_OfNodesAndLeases_AsAKubeletWritesThem()
    {
        await using var server = await PodStatusServer.StartAsync(cancellationToken: Token);
        using var client = server.CreateClient();
        await client.CoreV1.CreateNodeAsync(new V1Node { Metadata = new V1ObjectMeta { Name = "node-1" } }, cancellationToken: Token);
        await client.CoreV1.PatchNodeStatusAsync(new V1Patch("""{"status":{"conditions":[{"type":"Ready","status":"True"}]}}""",
            V1Patch.PatchType.StrategicMergePatch), "node-1", cancellationToken: Token);
        var lease = await client.CoordinationV1.CreateNamespacedLeaseAsync(new V1Lease
        {
            Metadata = new V1ObjectMeta { Name = "node-1" },
            Spec = new V1LeaseSpec { HolderIdentity = "node-1", LeaseDurationSeconds = 40, RenewTime = DateTime.UtcNow },
        }, "kube-node-lease", cancellationToken: Token);
        lease.Spec.RenewTime = lease.Spec.RenewTime!.Value.AddSeconds(10);
        await client.CoordinationV1.ReplaceNamespacedLeaseAsync(lease, "node-1", "kube-node-lease", cancellationToken: Token);

        var node = server.History<V1Node>(null, "node-1");
        var leases = server.History<V1Lease>("kube-node-lease", "node-1");

        Assert.Equal([WatchEventType.Added, WatchEventType.Modified], node.Select(change => change.Type));
        Assert.Equal(("patch", "status"), (node[1].Writer.Verb, node[1].Writer.Subresource));
        Assert.Equal("Ready", node[1].Object.Status.Conditions.Single().Type);
        Assert.Equal([WatchEventType.Added, WatchEventType.Modified], leases.Select(change => change.Type));
        Assert.Equal(TimeSpan.FromSeconds(10), leases[1].Object.Spec.RenewTime - leases[0].Object.Spec.RenewTime);
        Assert.Equal(leases[1].ResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture), leases[1].Object.Metadata.ResourceVersion);
    }

    [Fact]
    public async Task PodsGiven_InANamespaceThatDoesNotExist_BringTheirNamespace()
    {
        await using var server = await PodStatusServer.StartAsync(new PodStatusServerOptions { Pods = { Pod("web", "team-a") } }, Token);
        using var client = server.CreateClient();

        var ns = await client.CoreV1.ReadNamespaceAsync("team-a", cancellationToken: Token);
        var pod = await client.CoreV1.ReadNamespacedPodAsync("web", "team-a", cancellationToken: Token);

        Assert.Equal("Active", ns.Status.Phase);
        Assert.Equal("web", pod.Metadata.Name);
    }

    [Fact]
    public async Task TheKubeconfig_ServesKubectl()
    {
        var kubectl = External.Require("kubectl");
        await using var server = await PodStatusServer.StartAsync(cancellationToken: Token);
        using var client = server.CreateClient();
        await client.CoreV1.CreateNamespacedPodAsync(Pod("web"), "default", cancellationToken: Token);

        var (code, output, _) = await Processes.RunAsync(kubectl, ["--kubeconfig", server.KubeconfigPath, "get", "pods", "-o", "name"]);

        Assert.Equal((0, "pod/web\n"), (code, output));
    }

    [Fact]
    public async Task OnEtcd_TheSameApiWorks()
    {
        var etcd = await EtcdServer.SharedAsync();
        await using var server = await PodStatusServer.StartAsync(new PodStatusServerOptions { EtcdEndpoints = etcd.Endpoints }, Token);
        using var client = server.CreateClient();

        var created = await client.CoreV1.CreateNamespacedPodAsync(Pod("web"), "default", cancellationToken: Token);
        var read = await client.CoreV1.ReadNamespacedPodAsync("web", "default", cancellationToken: Token);

        Assert.Equal(created.Metadata.Uid, read.Metadata.Uid);
        Assert.Single(server.History("default", "web"));
    }
}

internal static class Waits
{
    public static Task WaitForPodGoneAsync(this PodStatusServer server, string ns, string name) =>
        WaitAsync(() => server.History(ns, name) is [.., { Type: WatchEventType.Deleted }]);

    private static async Task WaitAsync(Func<bool> done)
    {
        for (var i = 0; i < 200 && !done(); i++)
        {
            await Task.Delay(25, TestContext.Current.CancellationToken);
        }

        Assert.True(done());
    }
}
