using System.Text.RegularExpressions;

namespace PodStatus.ClientTests;

/// <summary>
/// The real kubectl against PodStatus with its default stages, simulated nodes and scheduling on, as a user tries
/// them: pods come up, go through their phases, complete, fail by chaos, and are deleted, with the events a cluster
/// would show.
/// </summary>
public sealed class KubectlSimulationTests : IDisposable
{
    private readonly RealPortServer _server = new(settings: new Dictionary<string, string>
    {
        ["Simulation:Enabled"] = "true",
        ["Simulation:Schedule"] = "true",
        ["Simulation:Nodes"] = "2",
    });

    private readonly Kubectl _kubectl;

    public KubectlSimulationTests() => _kubectl = new Kubectl(_server.Url);

    public void Dispose()
    {
        _kubectl.Dispose();
        _server.Dispose();
    }

    private static string[] Lines(string output) => output.TrimEnd().Split('\n');

    [Fact]
    public async Task RunThenWaitForReady_GetPodsWatchShowsTheTransitions_DescribeListsTheEvents_AndDeleteCompletes()
    {
        await _kubectl.OkAsync("wait", "--for=condition=Ready", "node/node-0", "node/node-1", "--timeout=20s");
        var watch = _kubectl.RunAsync("get", "pods", "-w", "--request-timeout=6s");
        await Task.Delay(1500, TestContext.Current.CancellationToken);

        var run = await _kubectl.OkAsync("run", "web", "--image=nginx");
        var ready = await _kubectl.OkAsync("wait", "--for=condition=Ready", "pod/web", "--timeout=20s");
        var wide = await _kubectl.OkAsync("get", "pod", "web", "-o", "wide");
        var described = await _kubectl.OkAsync("describe", "pod", "web");
        var deleted = await _kubectl.OkAsync("delete", "pod", "web", "--timeout=20s");
        var gone = await _kubectl.RunAsync("get", "pod", "web");
        var (_, watched, _) = await watch;

        Assert.Equal("pod/web created\n", run);
        Assert.Equal("pod/web condition met\n", ready);
        Assert.Matches(@"\nweb\s+1/1\s+Running\s+0\s+\d+s\s+10\.\d+\.\d+\.\d+\s+node-[01]\s+<none>\s+<none>\n", wide);
        Assert.Matches(@"Node:\s+node-[01]/172\.16\.0\.[12]", described);
        Assert.Matches(@"Normal\s+Scheduled\s+\S+\s+default-scheduler\s+Successfully assigned default/web to node-[01]", described);
        Assert.Matches(@"Normal\s+Started\s+\S+\s+kwok_controller\s+Started container web", described);
        Assert.Equal("pod \"web\" deleted\n", deleted);
        Assert.Contains("pods \"web\" not found", gone.Err);
        Assert.Contains(Lines(watched), line => Regex.IsMatch(line, @"^web\s+0/1\s+Pending"));
        Assert.Contains(Lines(watched), line => Regex.IsMatch(line, @"^web\s+1/1\s+Running"));
    }

    [Fact]
    public async Task GetNodes_ShowsReadySimulatedNodes_WithTheirLeases()
    {
        await _kubectl.OkAsync("wait", "--for=condition=Ready", "node/node-0", "node/node-1", "--timeout=20s");

        var nodes = await _kubectl.OkAsync("get", "nodes", "-o", "wide");
        var leases = await _kubectl.OkAsync("get", "leases", "-n", "kube-node-lease");

        Assert.Matches(@"\nnode-0\s+Ready\s+<none>\s+\d+s\s+v1\.33\.0\+podstatus\s+172\.16\.0\.1\s+<none>\s+PodStatus simulated node\s+simulated\s+podstatus://", nodes);
        Assert.Matches(@"\nnode-1\s+Ready\s+", nodes);
        Assert.Matches(@"\nnode-0\s+node-0\s+\d+s\n", leases);
    }

    [Fact]
    public async Task AJobsPod_Completes_AndAChaosLabelledPod_Fails()
    {
        await _kubectl.OkAsync("wait", "--for=condition=Ready", "node/node-0", "--timeout=20s");
        var manifests = _kubectl.WriteFile("pods.yaml", """
            apiVersion: v1
            kind: Pod
            metadata:
              name: job-pod
              ownerReferences:
              - {apiVersion: batch/v1, kind: Job, name: report, uid: 1d7e3b0e-8f0e-4e55-9c2b-000000000001, controller: true}
            spec:
              restartPolicy: Never
              containers: [{name: report, image: busybox}]
            ---
            apiVersion: v1
            kind: Pod
            metadata:
              name: flaky
              labels: {pod-container-running-failed.stage.kwok.x-k8s.io: "true"}
              annotations: {pod-container-running-failed.stage.kwok.x-k8s.io/reason: OOMKilled}
            spec:
              containers: [{name: app, image: nginx}]
            """);

        await _kubectl.OkAsync("apply", "-f", manifests);
        var succeeded = await _kubectl.OkAsync("wait", "--for=jsonpath={.status.phase}=Succeeded", "pod/job-pod", "--timeout=20s");
        var failed = await _kubectl.OkAsync("wait", "--for=jsonpath={.status.phase}=Failed", "pod/flaky", "--timeout=20s");
        var pods = await _kubectl.OkAsync("get", "pods");
        var events = await _kubectl.OkAsync("events", "--for", "pod/flaky");

        Assert.Equal("pod/job-pod condition met\n", succeeded);
        Assert.Equal("pod/flaky condition met\n", failed);
        Assert.Matches(@"\njob-pod\s+0/1\s+Completed\s+0\s+", pods);
        Assert.Matches(@"\nflaky\s+0/1\s+OOMKilled\s+0\s+", pods);
        Assert.Matches(@"Warning\s+BackOff\s+Pod/flaky\s+Back-off restarting failed container", events);
    }
}
