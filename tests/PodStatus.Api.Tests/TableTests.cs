using System.Net;
using System.Text.Json.Nodes;
using PodStatus.Api.Tests.Infrastructure;

namespace PodStatus.Api.Tests;

/// <summary>Server-side printing: the Table kubectl asks for, with upstream's pod columns.</summary>
public sealed class TableTests : ServerTest
{
    private const string TableAccept = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json";

    private async Task<JsonObject> GetTableAsync(string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.ParseAdd(TableAccept);
        using var response = await Client.SendAsync(request, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!.AsObject();
    }

    [Fact]
    public async Task List_WithTableAccept_ReturnsUpstreamColumnsAndCells()
    {
        var pod = await Client.CreatePodAsync(TestPods.Pod("web", nodeName: "node-1"));
        await Client.PutReplyAsync(PodClient.StatusPath("default", "web"), TestPods.StatusUpdate(pod, JsonNode.Parse("""
            {"phase":"Running","podIP":"10.0.0.7","conditions":[{"type":"Ready","status":"True"}],
             "containerStatuses":[{"name":"app","image":"nginx:1.27","imageID":"","ready":true,"restartCount":2,"state":{"running":{}}}]}
            """)!.AsObject()));
        Factory.Clock.Advance(TimeSpan.FromSeconds(90));

        var table = await GetTableAsync("/api/v1/namespaces/default/pods");

        Assert.Equal("Table", (string?)table["kind"]);
        Assert.Equal("meta.k8s.io/v1", (string?)table["apiVersion"]);
        Assert.Equal(["Name", "Ready", "Status", "Restarts", "Age", "IP", "Node", "Nominated Node", "Readiness Gates"],
            table["columnDefinitions"]!.AsArray().Select(c => (string?)c!["name"]));
        var row = table["rows"]![0]!;
        Assert.Equal(["web", "1/1", "Running", "2", "90s", "10.0.0.7", "node-1", "<none>", "<none>"],
            row["cells"]!.AsArray().Select(c => (string?)c));
        Assert.Equal("PartialObjectMetadata", (string?)row["object"]!["kind"]);
        Assert.Equal("web", (string?)row["object"]!["metadata"]!["labels"]!["app"]);
        var served = (await Client.GetReplyAsync(PodClient.PodPath("default", "web"))).Json;
        Assert.Equal(((string?)served["metadata"]!["resourceVersion"], (string?)served["metadata"]!["uid"]),
            ((string?)row["object"]!["metadata"]!["resourceVersion"], (string?)row["object"]!["metadata"]!["uid"]));
    }

    [Fact]
    public async Task DeletedScheduledPod_IsShownTerminating()
    {
        await Client.CreatePodAsync(TestPods.Pod("going", nodeName: "node-1"));
        await Client.DeleteReplyAsync(PodClient.PodPath("default", "going"));

        var table = await GetTableAsync("/api/v1/namespaces/default/pods/going");

        Assert.Equal("Terminating", (string?)table["rows"]![0]!["cells"]![2]);
    }

    [Fact]
    public async Task IncludeObjectNone_LeavesRowsWithoutObjects()
    {
        await Client.CreatePodAsync(TestPods.Pod("bare"));

        var table = await GetTableAsync("/api/v1/namespaces/default/pods?includeObject=None");

        Assert.Null(table["rows"]![0]!["object"]);
    }

    // Each: the spec's extra fields, the status, and the STATUS column upstream prints for them.
    public static TheoryData<string, string, string> Statuses() => new()
    {
        {
            """{"initContainers":[{"name":"init","image":"busybox"}]}""",
            """{"phase":"Pending","initContainerStatuses":[{"name":"init","image":"busybox","imageID":"","ready":false,"restartCount":1,"state":{"running":{}},"lastState":{"terminated":{"exitCode":1,"finishedAt":"2016-08-08T07:41:29Z"}}}]}""",
            "Init:0/1"
        },
        {
            """{"initContainers":[{"name":"side","image":"envoy","restartPolicy":"Always"}]}""",
            """{"phase":"Running","podIP":"10.0.0.9","podIPs":[{"ip":"10.0.0.9"}],"conditions":[{"type":"Ready","status":"True"},{"type":"Initialized","status":"True"}],"initContainerStatuses":[{"name":"side","image":"envoy","imageID":"","ready":true,"started":true,"restartCount":0,"state":{"running":{}}}],"containerStatuses":[{"name":"app","image":"nginx:1.27","imageID":"","ready":true,"restartCount":3,"state":{"running":{}},"lastState":{"terminated":{"exitCode":137,"finishedAt":"2016-08-08T07:41:29Z"}}}]}""",
            "Running"
        },
        {
            "{}",
            """{"phase":"Running","containerStatuses":[{"name":"app","image":"nginx:1.27","imageID":"","ready":false,"restartCount":5,"state":{"waiting":{"reason":"CrashLoopBackOff"}}}]}""",
            "CrashLoopBackOff"
        },
        {
            "{}",
            """{"phase":"Succeeded","containerStatuses":[{"name":"app","image":"nginx:1.27","imageID":"","ready":false,"restartCount":0,"state":{"terminated":{"reason":"Completed","exitCode":0}}}]}""",
            "Completed"
        },
        {
            """{"readinessGates":[{"conditionType":"example.com/feature"}]}""",
            """{"phase":"Running","nominatedNodeName":"node-2","conditions":[{"type":"example.com/feature","status":"True"},{"type":"Ready","status":"False"}],"containerStatuses":[{"name":"app","image":"nginx:1.27","imageID":"","ready":true,"restartCount":0,"state":{"running":{}}}]}""",
            "Running"
        },
    };

    [Theory]
    [MemberData(nameof(Statuses))]
    public async Task TableRow_ReadsWhatThePrinterNeeds_AsAWholePodWouldPrint(string spec, string status, string printed)
    {
        var name = TestPods.UniqueName();
        var pod = TestPods.Pod(name, nodeName: "node-1");
        foreach (var (field, value) in JsonNode.Parse(spec)!.AsObject().ToList())
        {
            pod["spec"]![field] = value!.DeepClone();
        }

        var created = await Client.CreatePodAsync(pod);
        await Client.PutReplyAsync(PodClient.StatusPath("default", name), TestPods.StatusUpdate(created, JsonNode.Parse(status)!.AsObject()));
        Factory.Clock.Advance(TimeSpan.FromSeconds(42));

        var row = (await GetTableAsync(PodClient.PodPath("default", name)))["rows"]![0]!["cells"]!.AsArray().Select(c => (string?)c).ToArray();

        var whole = System.Text.Json.JsonSerializer.Deserialize((await Client.GetReplyAsync(PodClient.PodPath("default", name))).Body, PodStatus.Api.Serialization.KubeJson.Pod)!;
        Assert.Equal(PodStatus.Api.Resources.Pods.PodPrinter.Cells(whole, Factory.Clock.GetUtcNow().UtcDateTime), row);
        Assert.Equal(printed, row[2]);
    }

    [Theory]
    [InlineData(0, "0s")]
    [InlineData(119, "119s")]
    [InlineData(150, "2m30s")]
    [InlineData(3 * 3600 + 5 * 60, "3h5m")]
    [InlineData(30 * 3600, "30h")]
    [InlineData(3 * 86400 + 4 * 3600, "3d4h")]
    [InlineData(400 * 86400, "400d")]
    [InlineData(3 * 365 * 86400 + 10 * 86400, "3y10d")]
    public void Age_IsPrintedAsKubectlPrintsIt(int seconds, string expected)
    {
        var now = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

        Assert.Equal(expected, PodStatus.Api.Tables.HumanDuration.Since(now.AddSeconds(-seconds), now));
    }
}
