using System.Text.Json.Nodes;

namespace PodStatus.ClientTests;

/// <summary>The real kubectl against PodStatus, with a plain kubeconfig and no special flags.</summary>
public class KubectlTests : IDisposable
{
    private const string WebPod = """
        apiVersion: v1
        kind: Pod
        metadata:
          name: web
          labels:
            app: web
        spec:
          nodeName: node-1
          containers:
          - name: nginx
            image: nginx:1.27
        """;

    private readonly RealPortServer _server;
    private readonly Kubectl _kubectl;

    public KubectlTests()
        : this(new RealPortServer(seed: ""))
    {
    }

    protected KubectlTests(RealPortServer server)
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

    private async Task CreateWebAsync() => Assert.Equal("pod/web created\n", await _kubectl.OkAsync("create", "-f", _kubectl.WriteFile("web.yaml", WebPod)));

    [Fact]
    public async Task GetPods_PrintsTheRealColumns()
    {
        var output = await _kubectl.OkAsync("get", "pods");

        var lines = output.TrimEnd().Split('\n');
        Assert.Matches(@"^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$", lines[0]);
        Assert.Matches(@"^hello-world\s+0/1\s+Pending\s+0\s+\d+y", lines[1]);
    }

    [Fact]
    public async Task GetPodsWide_AddsIpNodeNominatedNodeAndReadinessGates()
    {
        var output = await _kubectl.OkAsync("get", "pods", "-o", "wide");

        Assert.Matches(@"^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+IP\s+NODE\s+NOMINATED NODE\s+READINESS GATES\n", output);
        Assert.Matches(@"hello-world\s+0/1\s+Pending\s+0\s+\S+\s+<none>\s+127\.0\.0\.1\s+<none>\s+<none>", output);
    }

    [Fact]
    public async Task GetPods_WithShowLabelsAndSelectors()
    {
        await CreateWebAsync();

        var labels = await _kubectl.OkAsync("get", "pods", "--show-labels");
        var byLabel = await _kubectl.OkAsync("get", "pods", "-l", "app=web", "-o", "name");
        var byField = await _kubectl.OkAsync("get", "pods", "--field-selector", "spec.nodeName=node-1", "-o", "name");
        var none = await _kubectl.RunAsync("get", "pods", "-l", "app=nothing");

        Assert.Matches(@"web\s+0/1\s+Pending\s+0\s+\S+\s+app=web", labels);
        Assert.Equal("pod/web\n", byLabel);
        Assert.Equal("pod/web\n", byField);
        Assert.Equal(0, none.Code);
        Assert.Equal("No resources found in default namespace.\n", none.Err);
    }

    [Fact]
    public async Task GetPods_AllNamespaces_AndOutputFormats()
    {
        var all = await _kubectl.OkAsync("get", "pods", "-A");
        var json = JsonNode.Parse(await _kubectl.OkAsync("get", "pod", "hello-world", "-o", "json"))!;
        var yaml = await _kubectl.OkAsync("get", "pod", "hello-world", "-o", "yaml");
        var phase = await _kubectl.OkAsync("get", "pod", "hello-world", "-o", "jsonpath={.status.phase}");

        Assert.Matches(@"^NAMESPACE\s+NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\n", all);
        Assert.Equal("Pod", (string?)json["kind"]);
        Assert.Contains("kind: Pod", yaml);
        Assert.Equal("Pending", phase);
    }

    [Fact]
    public async Task CreateReplaceAndReplaceStatus()
    {
        await CreateWebAsync();
        var file = _kubectl.WriteFile("web-status.yaml", WebPod.Replace("nginx:1.27", "nginx:1.28") + """

            status:
              phase: Running
              podIP: 10.1.1.1
            """);

        var replaced = await _kubectl.OkAsync("replace", "-f", file);
        var statusReplaced = await _kubectl.OkAsync("replace", "--subresource=status", "-f", file);
        var pod = JsonNode.Parse(await _kubectl.OkAsync("get", "pod", "web", "-o", "json"))!;

        Assert.Equal("pod/web replaced\n", replaced);
        Assert.Equal("pod/web replaced\n", statusReplaced);
        Assert.Equal("nginx:1.28", (string?)pod["spec"]!["containers"]![0]!["image"]);
        Assert.Equal("Running", (string?)pod["status"]!["phase"]);
    }

    [Fact]
    public async Task Create_WithUnknownField_IsRejectedByServerSideValidation()
    {
        var (code, _, error) = await _kubectl.RunAsync("create", "-f", _kubectl.WriteFile("typo.yaml", WebPod.Replace("image:", "imagee:")));

        Assert.NotEqual(0, code);
        Assert.Contains("strict decoding error: unknown field \"spec.containers[0].imagee\"", error);
    }

    [Theory]
    [InlineData("strategic", """{"status":{"conditions":[{"type":"Ready","status":"True"}]}}""")]
    [InlineData("merge", """{"status":{"conditions":[{"type":"Ready","status":"True"}]}}""")]
    [InlineData("json", """[{"op":"add","path":"/status/conditions","value":[{"type":"Ready","status":"True"}]}]""")]
    public async Task PatchStatus_InEachPatchType(string type, string patch)
    {
        var patched = await _kubectl.OkAsync("patch", "pod", "hello-world", "--subresource=status", "--type", type, "-p", patch);
        var again = await _kubectl.OkAsync("patch", "pod", "hello-world", "--subresource=status", "--type", type, "-p", patch);
        var ready = await _kubectl.OkAsync("get", "pod", "hello-world", "-o", "jsonpath={.status.conditions[?(@.type==\"Ready\")].status}");

        Assert.Equal("pod/hello-world patched\n", patched);
        Assert.Equal("pod/hello-world patched (no change)\n", again);
        Assert.Equal("True", ready);
    }

    [Fact]
    public async Task PatchPod_ChangesLabelsAndImage()
    {
        await CreateWebAsync();

        await _kubectl.OkAsync("patch", "pod", "web", "-p", """{"metadata":{"labels":{"tier":"front"}},"spec":{"containers":[{"name":"nginx","image":"nginx:1.29"}]}}""");

        Assert.Equal("nginx:1.29 front", await _kubectl.OkAsync("get", "pod", "web", "-o", "jsonpath={.spec.containers[0].image} {.metadata.labels.tier}"));
    }

    [Fact]
    public async Task Delete_ReturnsOnceThePodIsGone()
    {
        await CreateWebAsync();

        var deleted = await _kubectl.OkAsync("delete", "pod", "web", "--grace-period=1");
        var get = await _kubectl.RunAsync("get", "pod", "web");

        Assert.Equal("pod \"web\" deleted\n", deleted);
        Assert.Contains("pods \"web\" not found", get.Err);
    }

    [Fact]
    public async Task GetWatch_ShowsRowsAsChangesHappen()
    {
        var watch = _kubectl.RunAsync("get", "pods", "-w", "--request-timeout=4s");
        await Task.Delay(1500, TestContext.Current.CancellationToken);
        await _kubectl.OkAsync("patch", "pod", "hello-world", "--subresource=status", "-p", """{"status":{"phase":"Running"}}""");
        await CreateWebAsync();

        var (_, output, _) = await watch;

        var lines = output.TrimEnd().Split('\n');
        Assert.Matches(@"^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$", lines[0]);
        Assert.Matches(@"^hello-world\s+0/1\s+Pending", lines[1]);
        Assert.Contains(lines, line => System.Text.RegularExpressions.Regex.IsMatch(line, @"^hello-world\s+0/1\s+Running"));
        Assert.Contains(lines, line => System.Text.RegularExpressions.Regex.IsMatch(line, @"^web\s+0/1\s+Pending"));
    }

    [Fact]
    public async Task Wait_ReturnsWhenAStatusUpdateMakesThePodReady()
    {
        var wait = _kubectl.RunAsync("wait", "--for=condition=Ready", "pod/hello-world", "--timeout=20s");
        await Task.Delay(1000, TestContext.Current.CancellationToken);
        await _kubectl.OkAsync("patch", "pod", "hello-world", "--subresource=status", "-p", """{"status":{"conditions":[{"type":"Ready","status":"True"}]}}""");

        var (code, output, error) = await wait;

        Assert.True(code == 0, error);
        Assert.Equal("pod/hello-world condition met\n", output);
    }

    [Fact]
    public async Task ApiResourcesApiVersionsAndVersion()
    {
        var resources = await _kubectl.OkAsync("api-resources");
        var versions = await _kubectl.OkAsync("api-versions");
        var version = await _kubectl.OkAsync("version");

        Assert.Matches(@"pods\s+po\s+v1\s+true\s+Pod", resources);
        Assert.Matches(@"namespaces\s+ns\s+v1\s+false\s+Namespace", resources);
        Assert.Matches(@"nodes\s+no\s+v1\s+false\s+Node", resources);
        Assert.Matches(@"events\s+ev\s+v1\s+true\s+Event", resources);
        Assert.Matches(@"leases\s+coordination.k8s.io/v1\s+true\s+Lease", resources);
        Assert.Matches(@"events\s+ev\s+events.k8s.io/v1\s+true\s+Event", resources);
        Assert.Matches(@"selfsubjectaccessreviews\s+authorization.k8s.io/v1\s+false\s+SelfSubjectAccessReview", resources);
        Assert.Equal("authentication.k8s.io/v1\nauthorization.k8s.io/v1\ncoordination.k8s.io/v1\nevents.k8s.io/v1\nv1\n", versions);
        Assert.Contains("Server Version: v1.", version);
    }

    [Fact]
    public async Task Explain_ReadsThePodSchema()
    {
        var output = await _kubectl.OkAsync("explain", "pod.status.phase");

        Assert.Contains("FIELD: phase <string>", output);
    }
}

/// <summary>The same kubectl session against PodStatus on etcd (a shared throwaway etcd, a key prefix of its own).</summary>
public sealed class KubectlOnEtcdTests() : KubectlTests(RealPortServer.OnEtcd(seed: ""));
