using System.Net;
using PodStatus.Api.Hosting;
using PodStatus.Api.Storage;
using PodStatus.Api.Tests.Infrastructure;

namespace PodStatus.Api.Tests;

/// <summary>--seed: pods loaded at start-up keep the identity and versions they carry.</summary>
public sealed class SeedingTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("podstatus-seed-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string WriteSeed(string fileName, string content)
    {
        var path = Path.Combine(_directory, fileName);
        File.WriteAllText(path, content);
        return path;
    }

    [Fact]
    public async Task JsonList_KeepsResourceVersionUidAndCreationTimestamp_AndCountsOnFromTheHighest()
    {
        var seed = WriteSeed("pods.json", """
            {"kind":"List","apiVersion":"v1","items":[
              {"kind":"Pod","apiVersion":"v1","metadata":{"name":"a","namespace":"ns1","uid":"uid-a","resourceVersion":"50","creationTimestamp":"2020-01-02T03:04:05Z"},
               "spec":{"containers":[{"name":"c","image":"busybox"}]},"status":{"phase":"Running"}},
              {"metadata":{"name":"b","namespace":"ns1","resourceVersion":"70"},"spec":{"containers":[{"name":"c","image":"busybox"}]}}
            ]}
            """);
        using var factory = new PodStatusFactory { SeedPath = seed };
        var client = factory.CreateClient();

        var a = await client.GetReplyAsync(PodClient.PodPath("ns1", "a"));
        var created = await client.CreatePodAsync(TestPods.Pod("c", "ns1"));

        Assert.Equal("uid-a", (string?)a.Json["metadata"]!["uid"]);
        Assert.Equal("2020-01-02T03:04:05Z", (string?)a.Json["metadata"]!["creationTimestamp"]);
        Assert.Equal("Running", (string?)a.Json["status"]!["phase"]);
        if (PodStatusFactory.OnEtcd)
        {
            // etcd gives every write its own revision.
            Assert.True(long.Parse((string)created["metadata"]!["resourceVersion"]!) > long.Parse(a.ResourceVersion));
        }
        else
        {
            Assert.Equal("50", a.ResourceVersion);
            Assert.Equal("71", (string?)created["metadata"]!["resourceVersion"]);
        }
    }

    /// <summary>
    /// The file streams: kubectl's order (items before kind), an item larger than the read buffer, and many items
    /// decoded in parallel come out as written.
    /// </summary>
    [Fact]
    public async Task LargeJsonList_InKubectlsOrder_StreamsEveryPod()
    {
        const string spec = "\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"busybox\"}]}";
        var pods = Enumerable.Range(0, 3000).Select(i => $"{{\"metadata\":{{\"name\":\"p{i}\",\"namespace\":\"ns{i % 7}\"}},{spec}}}");
        var big = $"{{\"metadata\":{{\"name\":\"big\",\"annotations\":{{\"note\":\"{new string('x', 300_000)}\"}}}},{spec}}}";
        var seed = WriteSeed("many.json", $"{{\"apiVersion\":\"v1\",\"items\":[{string.Join(",", pods.Append(big))}],\"kind\":\"List\",\"metadata\":{{}}}}");
        using var factory = new PodStatusFactory { SeedPath = seed };
        var client = factory.CreateClient();

        var all = await client.GetReplyAsync("/api/v1/pods");
        var bigPod = await client.GetReplyAsync(PodClient.PodPath("default", "big"));

        Assert.Equal(3001, all.Json["items"]!.AsArray().Count);
        Assert.Equal(300_000, ((string?)bigPod.Json["metadata"]!["annotations"]!["note"])!.Length);
        Assert.Equal(PodStatusFactory.OnEtcd ? all.ResourceVersion : "3001", all.ResourceVersion);
    }

    [Fact]
    public async Task YamlPod_IsLoaded()
    {
        var seed = WriteSeed("pod.yaml", """
            apiVersion: v1
            kind: Pod
            metadata:
              name: from-yaml
              namespace: default
              resourceVersion: "7"
              labels:
                enabled: "true"
            spec:
              containers:
              - name: app
                image: nginx
            """);
        using var factory = new PodStatusFactory { SeedPath = seed };

        var reply = await factory.CreateClient().GetReplyAsync(PodClient.PodPath("default", "from-yaml"));

        Assert.Equal(HttpStatusCode.OK, reply.Code);
        Assert.Equal(PodStatusFactory.OnEtcd ? reply.ResourceVersion : "7", reply.ResourceVersion);
        Assert.Equal("true", (string?)reply.Json["metadata"]!["labels"]!["enabled"]);
    }

    [Fact]
    public void StartUpsWarmUp_DecodesTheBuiltInPod()
    {
        // Run in the background at start-up, where a failure would go unseen and the warm-up do nothing.
        var pod = Seeder.WarmUp();

        Assert.Equal(new ObjectKey("default", "hello-world"), pod.Key);
    }

    [Fact]
    public async Task SeedNone_StartsEmpty()
    {
        using var factory = new PodStatusFactory { SeedPath = "none" };

        var list = await factory.CreateClient().GetReplyAsync("/api/v1/pods");

        Assert.Equal("[]", list.Json["items"]!.ToJsonString());
    }

    [Fact]
    public async Task SeededPodBeingDeleted_IsRemovedWhenItsGracePeriodEnds()
    {
        var seed = WriteSeed("terminating.json", """
            {"metadata":{"name":"leaving","namespace":"default","resourceVersion":"3","deletionTimestamp":"2026-11-24T12:00:10Z","deletionGracePeriodSeconds":30},
             "spec":{"nodeName":"node-1","containers":[{"name":"c","image":"busybox"}]}}
            """);
        using var factory = new PodStatusFactory { SeedPath = seed };
        var clock = factory.Clock;
        var client = factory.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetReplyAsync(PodClient.PodPath("default", "leaving"))).Code);

        clock.Advance(TimeSpan.FromSeconds(10));

        for (var i = 0; i < 100 && (await client.GetReplyAsync(PodClient.PodPath("default", "leaving"))).Code == HttpStatusCode.OK; i++)
        {
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }

        Assert.Equal(HttpStatusCode.NotFound, (await client.GetReplyAsync(PodClient.PodPath("default", "leaving"))).Code);
    }

    [Theory]
    [InlineData("broken.json", "{\"kind\":\"Pod\",", "Cannot load seed file")]
    [InlineData("nameless.json", "{\"kind\":\"Pod\",\"metadata\":{\"namespace\":\"default\"}}", "metadata.name is required")]
    [InlineData("twice.json", "{\"kind\":\"List\",\"items\":[{\"metadata\":{\"name\":\"x\"}},{\"metadata\":{\"name\":\"x\"}}]}", "pod default/x appears twice")]
    [InlineData("version.json", "{\"metadata\":{\"name\":\"x\",\"resourceVersion\":\"abc\"}}", "metadata.resourceVersion abc is not a positive integer")]
    [InlineData("first.json", "{\"items\":[{\"metadata\":{\"name\":\"a\"}},{\"metadata\":{}},{\"metadata\":{}}],\"kind\":\"List\"}", "items[1]: metadata.name is required")]
    [InlineData("scalar.json", "{\"kind\":\"List\",\"items\":[5]}", "items[0]: expected an object")]
    [InlineData("array.json", "[]", "expected an object or a List of objects")]
    public async Task BadSeedFile_StopsStartUpWithAMessageNamingTheFileAndTheProblem(string fileName, string content, string problem)
    {
        var seed = WriteSeed(fileName, content);

        var (exitCode, output) = await ServerProcess.RunToExitAsync("--seed", seed);

        Assert.Equal(1, exitCode);
        Assert.Contains($"Cannot load seed file '{seed}'", output);
        Assert.Contains(problem, output);
        Assert.DoesNotContain("   at ", output); // no stack trace
    }

    [Theory]
    [InlineData("--Storage:Backend=Etcd", "Storage:Etcd:Endpoints must name at least one etcd client URL")]
    [InlineData("--Storage:Backend=Postgres", "Storage:Backend must be Memory or Etcd, not \"Postgres\"")]
    [InlineData("--Storage:Etcd:Endpoints=127.0.0.1:2379 --Storage:Backend=Etcd", "\"127.0.0.1:2379\" is not an etcd client URL")]
    [InlineData("--Storage:Etcd:Prefix=registry/ --Storage:Backend=Etcd --Storage:Etcd:Endpoints=http://127.0.0.1:2379", "must start with / and not end with one")]
    [InlineData("--Limits:MaxRequestsInFlight=-1", "Limits: the in-flight limits must be 0 (none) or positive")]
    [InlineData("--Audit:LogPath=/no-such-folder/audit.log", "Audit:LogPath must be a file this server may write")]
    public async Task BadSettings_StopStartUpWithAMessageNamingTheSetting(string settings, string problem)
    {
        var (exitCode, output) = await ServerProcess.RunToExitAsync(settings.Split(' '));

        Assert.Equal(1, exitCode);
        Assert.Contains($"Invalid settings: ", output);
        Assert.Contains(problem, output);
        Assert.DoesNotContain("   at ", output);
    }

    [Fact]
    public async Task SeedingOnAnEtcdThatCannotBeReached_StopsStartUpSayingSo()
    {
        var (exitCode, output) = await ServerProcess.RunToExitAsync("--Storage:Backend=Etcd", "--Storage:Etcd:Endpoints=http://127.0.0.1:1");

        Assert.Equal(1, exitCode);
        Assert.Contains("Cannot start: etcd is unavailable", output);
        Assert.DoesNotContain("   at ", output);
    }

    [Fact]
    public async Task MissingSeedFile_StopsStartUp()
    {
        var missing = Path.Combine(_directory, "absent.json");

        var (exitCode, output) = await ServerProcess.RunToExitAsync("--seed", missing);

        Assert.Equal(1, exitCode);
        Assert.Contains($"Cannot load seed file '{missing}'", output);
    }
}
