using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace PodStatus.ClientTests;

/// <summary>The official C# client (KubernetesClient) against PodStatus on a real port.</summary>
public class CSharpClientTests : IDisposable
{
    private readonly RealPortServer _server;
    private readonly Kubernetes _client;

    public CSharpClientTests()
        : this(new RealPortServer())
    {
    }

    protected CSharpClientTests(RealPortServer server)
    {
        _server = server;
        _client = new Kubernetes(new KubernetesClientConfiguration { Host = _server.Url });
    }

    public void Dispose()
    {
        _client.Dispose();
        _server.Dispose();
        GC.SuppressFinalize(this);
    }

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static V1Pod NewPod(string name, string app = "web") => new()
    {
        Metadata = new V1ObjectMeta { Name = name, Labels = new Dictionary<string, string> { ["app"] = app } },
        Spec = new V1PodSpec { NodeName = "node-1", Containers = [new V1Container { Name = "app", Image = "nginx:1.27" }] },
    };

    [Fact]
    public async Task CreateAndRead()
    {
        var created = await _client.CreateNamespacedPodAsync(NewPod("a"), "default", cancellationToken: Token);
        var read = await _client.ReadNamespacedPodAsync("a", "default", cancellationToken: Token);

        Assert.Equal("Pending", created.Status.Phase);
        Assert.Equal(created.Metadata.Uid, read.Metadata.Uid);
        Assert.Equal(created.Metadata.ResourceVersion, read.Metadata.ResourceVersion);
    }

    [Fact]
    public async Task ReplaceStatus_AndStaleReplace_Is409()
    {
        var pod = await _client.CreateNamespacedPodAsync(NewPod("status"), "default", cancellationToken: Token);
        pod.Status = new V1PodStatus { Phase = "Running", PodIP = "10.0.0.3" };

        var updated = await _client.ReplaceNamespacedPodStatusAsync(pod, "status", "default", cancellationToken: Token);
        var stale = await Assert.ThrowsAsync<HttpOperationException>(() =>
            _client.ReplaceNamespacedPodStatusAsync(pod, "status", "default", cancellationToken: Token));

        Assert.Equal("Running", updated.Status.Phase);
        Assert.Equal("10.0.0.3", updated.Status.PodIPs.Single().Ip);
        Assert.Equal(HttpStatusCode.Conflict, stale.Response.StatusCode);
        Assert.Contains("the object has been modified", stale.Response.Content);
    }

    [Theory]
    [InlineData(V1Patch.PatchType.StrategicMergePatch, """{"status":{"conditions":[{"type":"Ready","status":"True"}]}}""")]
    [InlineData(V1Patch.PatchType.MergePatch, """{"status":{"conditions":[{"type":"Ready","status":"True"}]}}""")]
    [InlineData(V1Patch.PatchType.JsonPatch, """[{"op":"add","path":"/status/conditions","value":[{"type":"Ready","status":"True"}]}]""")]
    public async Task PatchStatus(V1Patch.PatchType type, string patch)
    {
        await _client.CreateNamespacedPodAsync(NewPod("patched"), "default", cancellationToken: Token);

        var pod = await _client.PatchNamespacedPodStatusAsync(new V1Patch(patch, type), "patched", "default", cancellationToken: Token);

        Assert.Equal("True", pod.Status.Conditions.Single(c => c.Type == "Ready").Status);
        Assert.Equal("Pending", pod.Status.Phase);
    }

    [Fact]
    public async Task List_WithSelectorsAndPages()
    {
        foreach (var (name, app) in new[] { ("p1", "web"), ("p2", "db"), ("p3", "web"), ("p4", "web") })
        {
            await _client.CreateNamespacedPodAsync(NewPod(name, app), "default", cancellationToken: Token);
        }

        var web = await _client.ListNamespacedPodAsync("default", labelSelector: "app=web", cancellationToken: Token);
        var named = await _client.ListPodForAllNamespacesAsync(fieldSelector: "metadata.name=p2", cancellationToken: Token);
        var first = await _client.ListNamespacedPodAsync("default", limit: 3, cancellationToken: Token);
        var second = await _client.ListNamespacedPodAsync("default", limit: 3, continueParameter: first.Metadata.ContinueProperty, cancellationToken: Token);

        Assert.Equal(["p1", "p3", "p4"], web.Items.Select(p => p.Metadata.Name));
        Assert.Equal("p2", named.Items.Single().Metadata.Name);
        Assert.Equal(["p1", "p2", "p3"], first.Items.Select(p => p.Metadata.Name));
        Assert.Equal(1, first.Metadata.RemainingItemCount);
        Assert.Equal(["p4"], second.Items.Select(p => p.Metadata.Name));
        Assert.Equal(first.Metadata.ResourceVersion, second.Metadata.ResourceVersion);
    }

    [Fact]
    public async Task Delete_AndReadOfMissingPod_Is404()
    {
        var pod = NewPod("gone");
        pod.Spec.NodeName = null;
        await _client.CreateNamespacedPodAsync(pod, "default", cancellationToken: Token);

        var deleted = await _client.DeleteNamespacedPodAsync("gone", "default", cancellationToken: Token);
        var missing = await Assert.ThrowsAsync<HttpOperationException>(() => _client.ReadNamespacedPodAsync("gone", "default", cancellationToken: Token));

        Assert.Equal("gone", deleted.Metadata.Name);
        Assert.Equal(HttpStatusCode.NotFound, missing.Response.StatusCode);
    }

    [Fact]
    public async Task DeleteCollection_DeletesTheSelectedPods()
    {
        await _client.CreateNamespacedPodAsync(NewPod("web-1"), "default", cancellationToken: Token);
        await _client.CreateNamespacedPodAsync(NewPod("web-2"), "default", cancellationToken: Token);
        await _client.CreateNamespacedPodAsync(NewPod("db", app: "db"), "default", cancellationToken: Token);

        await _client.DeleteCollectionNamespacedPodAsync("default", labelSelector: "app=web", gracePeriodSeconds: 0, cancellationToken: Token);
        var left = await _client.ListNamespacedPodAsync("default", labelSelector: "app in (web,db)", cancellationToken: Token);

        Assert.Equal(["db"], left.Items.Select(pod => pod.Metadata.Name));
    }

    [Fact]
    public async Task ListThenWatch_FromTheListsResourceVersion_SeesEveryChange()
    {
        await _client.CreateNamespacedPodAsync(NewPod("before"), "default", cancellationToken: Token);
        var list = await _client.ListNamespacedPodAsync("default", cancellationToken: Token);
        var seen = System.Threading.Channels.Channel.CreateUnbounded<string>();
        using var watcher = _client.CoreV1.WatchListNamespacedPod(
            "default", resourceVersion: list.Metadata.ResourceVersion,
            onEvent: (type, pod) => seen.Writer.TryWrite($"{type} {pod.Metadata.Name} {pod.Status?.Phase}"));

        var created = await _client.CreateNamespacedPodAsync(NewPod("after"), "default", cancellationToken: Token);
        created.Status = new V1PodStatus { Phase = "Running" };
        await _client.ReplaceNamespacedPodStatusAsync(created, "after", "default", cancellationToken: Token);
        await _client.PatchNamespacedPodStatusAsync(
            new V1Patch("""{"status":{"phase":"Succeeded"}}""", V1Patch.PatchType.MergePatch), "before", "default", cancellationToken: Token);

        var events = new List<string>();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Token);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        while (events.Count < 3)
        {
            events.Add(await seen.Reader.ReadAsync(timeout.Token));
        }

        Assert.Equal(["Added after Pending", "Modified after Running", "Modified before Succeeded"], events);
    }

    [Fact]
    public async Task Events_TheRecordersCreateThenPatch_ReadInBothVersions()
    {
        var first = new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc);
        var regarding = new V1ObjectReference { ApiVersion = "v1", Kind = "Pod", Name = "web", NamespaceProperty = "default", Uid = "u-web" };
        await _client.CoreV1.CreateNamespacedEventAsync(new Corev1Event
        {
            Metadata = new V1ObjectMeta { Name = "web.1" },
            InvolvedObject = regarding,
            Reason = "BackOff",
            Message = "Back-off restarting failed container",
            Type = "Warning",
            Source = new V1EventSource { Component = "kubelet", Host = "node-1" },
            FirstTimestamp = first,
            LastTimestamp = first,
            Count = 1,
        }, "default", cancellationToken: Token);
        // client-go's recorder, on the same event again: a strategic merge patch of count and lastTimestamp.
        var patched = await _client.CoreV1.PatchNamespacedEventAsync(
            new V1Patch("""{"count":2,"lastTimestamp":"2026-01-02T03:05:05Z"}""", V1Patch.PatchType.StrategicMergePatch), "web.1", "default", cancellationToken: Token);
        await _client.EventsV1.CreateNamespacedEventAsync(new Eventsv1Event
        {
            Metadata = new V1ObjectMeta { Name = "web.2" },
            Regarding = regarding,
            Reason = "Pulled",
            Note = "Container image already present on machine",
            Type = "Normal",
            Action = "Pulling",
            EventTime = new DateTime(2026, 1, 2, 3, 4, 6, 123, 456, DateTimeKind.Utc),
            ReportingController = "kubelet",
            ReportingInstance = "node-1",
        }, "default", cancellationToken: Token);

        var asEventsV1 = await _client.EventsV1.ReadNamespacedEventAsync("web.1", "default", cancellationToken: Token);
        var asCoreV1 = await _client.CoreV1.ReadNamespacedEventAsync("web.2", "default", cancellationToken: Token);
        var forWeb = await _client.CoreV1.ListNamespacedEventAsync("default", fieldSelector: "involvedObject.uid=u-web,type=Warning", cancellationToken: Token);
        var byController = await _client.EventsV1.ListEventForAllNamespacesAsync(fieldSelector: "reportingController=kubelet", cancellationToken: Token);

        Assert.Equal(2, patched.Count);
        Assert.Equal((2, "Back-off restarting failed container", "web", "kubelet"),
            (asEventsV1.DeprecatedCount, asEventsV1.Note, asEventsV1.Regarding.Name, asEventsV1.DeprecatedSource.Component));
        Assert.Equal(first.AddMinutes(1), asEventsV1.DeprecatedLastTimestamp);
        Assert.Equal(("Container image already present on machine", "web", "kubelet", "node-1"),
            (asCoreV1.Message, asCoreV1.InvolvedObject.Name, asCoreV1.ReportingComponent, asCoreV1.ReportingInstance));
        Assert.Equal(new DateTime(2026, 1, 2, 3, 4, 6, 123, 456, DateTimeKind.Utc), asCoreV1.EventTime);
        Assert.Equal(["web.1"], forWeb.Items.Select(e => e.Metadata.Name));
        Assert.Equal(["web.2"], byController.Items.Select(e => e.Metadata.Name));
    }

    [Fact]
    public async Task Node_RegistersThenPatchesItsStatus_ConditionsMergedByType()
    {
        await _client.CoreV1.CreateNodeAsync(new V1Node
        {
            Metadata = new V1ObjectMeta { Name = "node-1", Labels = new Dictionary<string, string> { ["kubernetes.io/hostname"] = "node-1" } },
            Status = new V1NodeStatus
            {
                Conditions = [new V1NodeCondition { Type = "MemoryPressure", Status = "False" }, new V1NodeCondition { Type = "Ready", Status = "False" }],
                Capacity = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("4"), ["memory"] = new("8Gi"), ["pods"] = new("110") },
            },
        }, cancellationToken: Token);

        var patched = await _client.CoreV1.PatchNodeStatusAsync(new V1Patch(
            """{"status":{"conditions":[{"type":"Ready","status":"True","reason":"KubeletReady"}],"addresses":[{"type":"InternalIP","address":"10.0.0.1"}]}}""",
            V1Patch.PatchType.StrategicMergePatch), "node-1", cancellationToken: Token);
        var unschedulable = await _client.CoreV1.PatchNodeAsync(
            new V1Patch("""{"spec":{"unschedulable":true}}""", V1Patch.PatchType.StrategicMergePatch), "node-1", cancellationToken: Token);
        var cordoned = await _client.CoreV1.ListNodeAsync(fieldSelector: "spec.unschedulable=true", cancellationToken: Token);

        Assert.Equal(["MemoryPressure False", "Ready True"], patched.Status.Conditions.Select(c => $"{c.Type} {c.Status}"));
        Assert.Equal("10.0.0.1", patched.Status.Addresses.Single().Address);
        Assert.Equal("8Gi", patched.Status.Capacity["memory"].ToString());
        Assert.True(unschedulable.Spec.Unschedulable);
        Assert.Equal("Ready", unschedulable.Status.Conditions[1].Type);
        Assert.Equal(["node-1"], cordoned.Items.Select(n => n.Metadata.Name));
    }

    [Fact]
    public async Task DryRunCreate_WritesNothing()
    {
        await _client.CreateNamespacedPodAsync(NewPod("dry"), "default", dryRun: "All", cancellationToken: Token);

        var list = await _client.ListNamespacedPodAsync("default", cancellationToken: Token);

        Assert.Empty(list.Items);
    }
}

/// <summary>The same, against PodStatus on etcd.</summary>
public sealed class CSharpClientOnEtcdTests() : CSharpClientTests(RealPortServer.OnEtcd());
