using System.Text.RegularExpressions;

namespace PodStatus.ClientTests;

/// <summary>
/// The real kubectl with the objects around a pod: namespaces, nodes, leases and events, each through get, describe,
/// create, delete, wait and get -w, as against a cluster.
/// </summary>
public class KubectlResourceTests : IDisposable
{
    private const string Node = """
        apiVersion: v1
        kind: Node
        metadata:
          name: node-1
          labels:
            kubernetes.io/hostname: node-1
            node-role.kubernetes.io/control-plane: ""
        spec:
          podCIDR: 10.244.0.0/24
        """;

    private const string NodeStatus = """
        {"status":{"conditions":[{"type":"Ready","status":"True","reason":"KubeletReady","message":"kubelet is posting ready status"}],
         "addresses":[{"type":"InternalIP","address":"10.0.0.1"},{"type":"Hostname","address":"node-1"}],
         "nodeInfo":{"kubeletVersion":"v1.33.0","osImage":"Debian GNU/Linux 13","kernelVersion":"6.12.0","containerRuntimeVersion":"containerd://2.0.0"}}}
        """;

    private const string Lease = """
        apiVersion: coordination.k8s.io/v1
        kind: Lease
        metadata:
          name: node-1
          namespace: kube-node-lease
        spec:
          holderIdentity: node-1
          leaseDurationSeconds: 40
          renewTime: "2026-01-02T03:04:05.000000Z"
        """;

    private readonly RealPortServer _server;
    private readonly Kubectl _kubectl;

    public KubectlResourceTests()
        : this(new RealPortServer(seed: ""))
    {
    }

    protected KubectlResourceTests(RealPortServer server)
    {
        _server = server;
        _kubectl = new Kubectl(_server.Url);
    }

    public void Dispose()
    {
        _kubectl.Dispose();
        _server.Dispose();
        GC.SuppressFinalize(this);
    }

    private static string[] Lines(string output) => output.TrimEnd().Split('\n');

    [Fact]
    public async Task Namespaces_CreateGetDescribeWatchAndDelete()
    {
        var watch = _kubectl.RunAsync("get", "namespaces", "-w", "--request-timeout=6s");
        await Task.Delay(1500, TestContext.Current.CancellationToken);

        var created = await _kubectl.OkAsync("create", "namespace", "team-a");
        var active = await _kubectl.OkAsync("wait", "--for=jsonpath={.status.phase}=Active", "namespace/team-a", "--timeout=10s");
        var list = await _kubectl.OkAsync("get", "ns");
        var described = await _kubectl.OkAsync("describe", "namespace", "team-a");
        await _kubectl.OkAsync("run", "web", "-n", "team-a", "--image=nginx");
        var deleted = await _kubectl.OkAsync("delete", "namespace", "team-a", "--timeout=20s");
        var gone = await _kubectl.RunAsync("get", "namespace", "team-a");
        var kept = await _kubectl.RunAsync("delete", "namespace", "kube-system");
        var (_, watched, _) = await watch;

        Assert.Equal("namespace/team-a created\n", created);
        Assert.Equal("namespace/team-a condition met\n", active);
        Assert.Matches(@"^NAME\s+STATUS\s+AGE$", Lines(list)[0]);
        Assert.Equal(["default", "kube-node-lease", "kube-public", "kube-system", "team-a"], Lines(list).Skip(1).Select(line => line.Split(' ')[0]));
        Assert.All(Lines(list).Skip(1), line => Assert.Matches(@"^\S+\s+Active\s+\d+s$", line));
        Assert.Matches(@"Name:\s+team-a\nLabels:\s+kubernetes.io/metadata.name=team-a\nAnnotations:\s+<none>\nStatus:\s+Active", described);
        Assert.Equal("namespace \"team-a\" deleted\n", deleted);
        Assert.Contains("namespaces \"team-a\" not found", gone.Err);
        Assert.Contains("namespaces \"kube-system\" is forbidden: this namespace may not be deleted", kept.Err);
        Assert.Contains(Lines(watched), line => Regex.IsMatch(line, @"^team-a\s+Active"));
        Assert.Contains(Lines(watched), line => Regex.IsMatch(line, @"^team-a\s+Terminating"));
    }

    [Fact]
    public async Task Nodes_RegisterReportCordonDescribeWaitAndDelete()
    {
        var watch = _kubectl.RunAsync("get", "nodes", "-w", "--request-timeout=6s");
        await Task.Delay(1500, TestContext.Current.CancellationToken);

        var created = await _kubectl.OkAsync("create", "-f", _kubectl.WriteFile("node.yaml", Node));
        var ready = _kubectl.RunAsync("wait", "--for=condition=Ready", "node/node-1", "--timeout=20s");
        await Task.Delay(1000, TestContext.Current.CancellationToken);
        var registered = await _kubectl.OkAsync("get", "nodes");
        await _kubectl.OkAsync("patch", "node", "node-1", "--subresource=status", "--type=strategic", "-p", NodeStatus);
        var condition = await ready;
        var cordoned = await _kubectl.OkAsync("cordon", "node-1");
        var unschedulable = await _kubectl.OkAsync("get", "nodes", "--field-selector=spec.unschedulable=true", "-o", "name");
        var wide = await _kubectl.OkAsync("get", "nodes", "-o", "wide");
        var uncordoned = await _kubectl.OkAsync("uncordon", "node-1");
        var described = await _kubectl.OkAsync("describe", "node", "node-1");
        var deleted = await _kubectl.OkAsync("delete", "node", "node-1");
        var (_, watched, _) = await watch;

        Assert.Equal("node/node-1 created\n", created);
        Assert.Matches(@"^NAME\s+STATUS\s+ROLES\s+AGE\s+VERSION\nnode-1\s+Unknown\s+control-plane\s+\d+s\s*\n$", registered);
        Assert.True(condition.Code == 0, condition.Err);
        Assert.Equal("node/node-1 condition met\n", condition.Out);
        Assert.Equal("node/node-1 cordoned\n", cordoned);
        Assert.Equal("node/node-1\n", unschedulable);
        Assert.Matches(@"^NAME\s+STATUS\s+ROLES\s+AGE\s+VERSION\s+INTERNAL-IP\s+EXTERNAL-IP\s+OS-IMAGE\s+KERNEL-VERSION\s+CONTAINER-RUNTIME\n", wide);
        Assert.Matches(@"\nnode-1\s+Ready,SchedulingDisabled\s+control-plane\s+\d+s\s+v1\.33\.0\s+10\.0\.0\.1\s+<none>\s+Debian GNU/Linux 13\s+6\.12\.0\s+containerd://2\.0\.0\n", wide);
        Assert.Equal("node/node-1 uncordoned\n", uncordoned);
        Assert.Matches(@"Unschedulable:\s+false", described);
        Assert.Matches(@"Ready\s+True\s+.*KubeletReady\s+kubelet is posting ready status", described);
        Assert.Matches(@"PodCIDR:\s+10\.244\.0\.0/24", described);
        Assert.Equal("node \"node-1\" deleted\n", deleted);
        Assert.Contains(Lines(watched), line => Regex.IsMatch(line, @"^node-1\s+Unknown"));
        Assert.Contains(Lines(watched), line => Regex.IsMatch(line, @"^node-1\s+Ready,SchedulingDisabled"));
    }

    [Fact]
    public async Task Leases_CreateGetDescribeWatchAndDelete()
    {
        var created = await _kubectl.OkAsync("create", "-f", _kubectl.WriteFile("lease.yaml", Lease));
        var watch = _kubectl.RunAsync("get", "leases", "-n", "kube-node-lease", "-w", "--output-watch-events", "--request-timeout=5s");
        await Task.Delay(1500, TestContext.Current.CancellationToken);
        await _kubectl.OkAsync("patch", "lease", "node-1", "-n", "kube-node-lease", "--type=merge", "-p",
            """{"spec":{"holderIdentity":"node-2","renewTime":"2026-01-02T03:04:15.000000Z"}}""");
        var list = await _kubectl.OkAsync("get", "leases", "-A");
        var described = await _kubectl.OkAsync("describe", "lease", "node-1", "-n", "kube-node-lease");
        var gone = _kubectl.RunAsync("wait", "--for=delete", "lease/node-1", "-n", "kube-node-lease", "--timeout=20s");
        var deleted = await _kubectl.OkAsync("delete", "lease", "node-1", "-n", "kube-node-lease");
        var (_, watched, _) = await watch;

        Assert.Equal("lease.coordination.k8s.io/node-1 created\n", created);
        Assert.Matches(@"^NAMESPACE\s+NAME\s+HOLDER\s+AGE\nkube-node-lease\s+node-1\s+node-2\s+\d+s\s*\n$", list);
        Assert.Matches(@"Holder Identity:\s+node-2", described);
        Assert.Matches(@"Renew Time:\s+2026-01-02T03:04:15.000000Z", described);
        Assert.Equal("lease.coordination.k8s.io \"node-1\" deleted\n", deleted);
        Assert.Equal(0, (await gone).Code);
        Assert.Matches(@"ADDED\s+node-1\s+node-1", watched);
        Assert.Matches(@"MODIFIED\s+node-1\s+node-2", watched);
        Assert.Matches(@"DELETED\s+node-1\s+node-2", watched);
    }

    [Fact]
    public async Task Events_CreateGetForAPodDescribeWatchAndDelete()
    {
        var uid = await _kubectl.OkAsync("get", "pod", "hello-world", "-o", "jsonpath={.metadata.uid}");
        var watch = _kubectl.RunAsync("get", "events", "-w", "--request-timeout=5s");
        await Task.Delay(1500, TestContext.Current.CancellationToken);
        var created = await _kubectl.OkAsync("create", "-f", _kubectl.WriteFile("event.yaml", $"""
            apiVersion: v1
            kind: Event
            metadata:
              name: hello-world.1
            involvedObject:
              apiVersion: v1
              kind: Pod
              name: hello-world
              namespace: default
              uid: {uid}
            reason: Scheduled
            message: Successfully assigned default/hello-world to node-1
            type: Normal
            source:
              component: default-scheduler
            firstTimestamp: "2026-01-02T03:04:05Z"
            lastTimestamp: "2026-01-02T03:04:05Z"
            count: 1
            """));
        var list = await _kubectl.OkAsync("get", "events");
        var forPod = await _kubectl.OkAsync("events", "--for", "pod/hello-world");
        var forOther = await _kubectl.OkAsync("events", "--for", "pod/other");
        var pod = await _kubectl.OkAsync("describe", "pod", "hello-world");
        var asEventsV1 = await _kubectl.OkAsync("get", "events.events.k8s.io", "hello-world.1", "-o", "jsonpath={.regarding.name} {.note}");
        var deleted = await _kubectl.OkAsync("delete", "events", "hello-world.1");
        var (_, watched, _) = await watch;

        Assert.Equal("event/hello-world.1 created\n", created);
        Assert.Matches(@"^LAST SEEN\s+TYPE\s+REASON\s+OBJECT\s+MESSAGE\n\S+\s+Normal\s+Scheduled\s+pod/hello-world\s+Successfully assigned default/hello-world to node-1\n$", list);
        Assert.Matches(@"Normal\s+Scheduled\s+Pod/hello-world\s+Successfully assigned", forPod);
        Assert.DoesNotContain("Scheduled", forOther);
        Assert.Matches(@"Events:\n\s+Type\s+Reason\s+Age\s+From\s+Message\n.*\n\s+Normal\s+Scheduled\s+\S+\s+default-scheduler\s+Successfully assigned default/hello-world to node-1", pod);
        Assert.Equal("hello-world Successfully assigned default/hello-world to node-1", asEventsV1);
        Assert.Equal("event \"hello-world.1\" deleted\n", deleted);
        Assert.Matches(@"Normal\s+Scheduled\s+pod/hello-world", watched);
    }
}

/// <summary>The same kubectl session against PodStatus on etcd.</summary>
public sealed class KubectlResourceOnEtcdTests() : KubectlResourceTests(RealPortServer.OnEtcd(seed: ""));
