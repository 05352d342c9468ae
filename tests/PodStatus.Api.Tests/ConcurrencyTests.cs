using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using PodStatus.Api.Tests.Infrastructure;

namespace PodStatus.Api.Tests;

/// <summary>Optimistic concurrency under load: parallel read-modify-write writers lose no update.</summary>
public sealed class ConcurrencyTests : ServerTest
{
    private const int Writers = 16;
    private const int AttemptsPerWriter = 40;

    [Fact]
    public async Task ParallelWritersWithResourceVersion_LoseNoUpdate_AndEveryLoserGets409()
    {
        await Client.CreatePodAsync(TestPods.Pod("contended"));
        var path = PodClient.StatusPath("default", "contended");
        var codes = new ConcurrentBag<HttpStatusCode>();
        var winningVersions = new ConcurrentBag<long>();

        // Each writer reads the pod, increments a counter annotation and writes it back with the version it read.
        await Task.WhenAll(Enumerable.Range(0, Writers).Select(_ => Task.Run(async () =>
        {
            var writer = Factory.CreateClient();
            for (var i = 0; i < AttemptsPerWriter; i++)
            {
                var current = (await writer.GetReplyAsync(path)).Json;
                var count = int.Parse((string?)current["metadata"]!["annotations"]?["count"] ?? "0");
                current["metadata"]!["annotations"] = new JsonObject { ["count"] = (count + 1).ToString() };
                var reply = await writer.PutReplyAsync(path, current);
                codes.Add(reply.Code);
                if (reply.Code == HttpStatusCode.OK)
                {
                    winningVersions.Add(long.Parse(reply.ResourceVersion));
                }
            }
        })));

        var final = (await Client.GetReplyAsync(path)).Json;
        var successes = codes.Count(c => c == HttpStatusCode.OK);
        Assert.All(codes, code => Assert.True(code is HttpStatusCode.OK or HttpStatusCode.Conflict, $"unexpected {code}"));
        Assert.Equal(successes, int.Parse((string)final["metadata"]!["annotations"]!["count"]!));
        Assert.Equal(successes, winningVersions.Distinct().Count());
        Assert.Equal(winningVersions.Max(), long.Parse((string)final["metadata"]!["resourceVersion"]!));
        Assert.True(successes > 1 && codes.Count(c => c == HttpStatusCode.Conflict) > 0,
            $"the test needs both winners and losers to mean anything ({successes} of {codes.Count} succeeded)");
    }
}
