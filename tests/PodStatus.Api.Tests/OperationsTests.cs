using System.Net;
using System.Text.RegularExpressions;
using PodStatus.Api.Tests.Infrastructure;

namespace PodStatus.Api.Tests;

/// <summary>Health checks and metrics as an operator's tools read them.</summary>
public sealed partial class OperationsTests() : ServerTest(new PodStatusFactory())
{
    [Fact]
    public async Task Health_AnswersOk_AndVerboseListsEveryCheck()
    {
        var live = await Client.GetReplyAsync("/livez");
        var ready = await Client.GetReplyAsync("/readyz?verbose");
        var health = await Client.GetReplyAsync("/healthz");

        Assert.Equal((HttpStatusCode.OK, "ok"), (live.Code, live.Body));
        Assert.Equal((HttpStatusCode.OK, "[+]ping ok\n[+]storage ok\n[+]watch-cache ok\nreadyz check passed\n"), (ready.Code, ready.Body));
        Assert.Equal("text/plain", ready.ContentType);
        Assert.Equal((HttpStatusCode.OK, "ok"), (health.Code, health.Body));
    }

    [Fact]
    public async Task Metrics_CountRequestsByVerbAndCode_WithUpstreamsNamesAndLabels()
    {
        var founding = await TestPods.FoundingStatusWriteAsync(Client);
        var write = await Client.SendAsync(HttpMethod.Put, PodClient.StatusPath("default", "hello-world"), founding);
        var again = await Client.SendAsync(HttpMethod.Put, PodClient.StatusPath("default", "hello-world"), founding);
        await Client.GetReplyAsync("/api/v1/namespaces/default/pods");
        await Client.GetReplyAsync("/api/v1/namespaces/default/pods/missing");
        await using var watch = await WatchStream.OpenAsync(Client, "/api/v1/pods?watch=true");

        var metrics = await Client.GetReplyAsync("/metrics");

        Assert.Equal(HttpStatusCode.OK, metrics.Code);
        Assert.Equal(HttpStatusCode.OK, write.Code);
        Assert.Equal(HttpStatusCode.Conflict, again.Code);
        const string Labels = "dry_run=\"\",group=\"\",version=\"v1\",resource=\"pods\"";
        Assert.Contains($"apiserver_request_total{{verb=\"PUT\",{Labels},subresource=\"status\",scope=\"resource\",component=\"apiserver\",code=\"200\"}} 1\n", metrics.Body);
        Assert.Contains($"apiserver_request_total{{verb=\"PUT\",{Labels},subresource=\"status\",scope=\"resource\",component=\"apiserver\",code=\"409\"}} 1\n", metrics.Body);
        Assert.Contains($"apiserver_request_total{{verb=\"LIST\",{Labels},subresource=\"\",scope=\"namespace\",component=\"apiserver\",code=\"200\"}} 1\n", metrics.Body);
        Assert.Contains($"apiserver_request_total{{verb=\"GET\",{Labels},subresource=\"\",scope=\"resource\",component=\"apiserver\",code=\"404\"}} 1\n", metrics.Body);
        Assert.Contains($"apiserver_request_duration_seconds_count{{verb=\"PUT\",{Labels},subresource=\"status\",scope=\"resource\",component=\"apiserver\"}} 2\n", metrics.Body);
        Assert.Contains("apiserver_request_duration_seconds_bucket{verb=\"LIST\",", metrics.Body);
        Assert.Contains("apiserver_registered_watchers{group=\"\",version=\"v1\",kind=\"Pod\"} 1\n", metrics.Body);
        Assert.Contains("apiserver_storage_objects{resource=\"pods\"} 1\n", metrics.Body);
        Assert.Matches(ProcessMetric(), metrics.Body);
    }

    [Fact]
    public async Task Metrics_CountOnlyResourcesTheServerServes_SoMadeUpPathsAddNoSeries()
    {
        await Client.GetReplyAsync("/api/v1/namespaces/default/madeup-1");
        await Client.GetReplyAsync("/api/v1/namespaces/default/pods/hello-world/madeup-2");
        await Client.GetReplyAsync("/apis/madeup-3/v1/things");

        var metrics = await Client.GetReplyAsync("/metrics");

        Assert.DoesNotContain("madeup", metrics.Body);
    }

    [GeneratedRegex(@"\nprocess_cpu_seconds_total [0-9.e+-]+\n(.|\n)*\nprocess_working_set_bytes [0-9.e+-]+\n(.|\n)*\ndotnet_total_memory_bytes [0-9.e+-]+\n")]
    private static partial Regex ProcessMetric();
}
