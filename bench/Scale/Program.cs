// Reads and watches on a server holding many pods (bench/scale.sh seeds them), as clients do: a full list, lists
// with selectors, a watch with sendInitialEvents, and the official C# client's list-then-watch (an informer's start).
// Each figure comes with its baseline from the same run and a check that nothing was missed.
//   dotnet Scale.dll POD_URL ECHO_URL PODS SERVER_PID
using System.Buffers;
using System.Diagnostics;
using k8s;
using k8s.Models;

var server = new Uri(args[0]);
var echo = new Uri(args[1]);
var pods = long.Parse(args[2]);
var pid = int.Parse(args[3]);
using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
// Not curl's User-Agent: curl gets indented JSON, which a client program would not ask for.
http.DefaultRequestHeaders.UserAgent.ParseAdd("podstatus-bench/1.0");
var failures = new List<string>();
// Each item of a list carries its own selfLink; the list's own is /api/v1/pods.
var Item = "\"selfLink\":\"/api/v1/namespaces/"u8.ToArray();

void Check(bool ok, string what)
{
    if (!ok)
    {
        failures.Add(what);
        Console.WriteLine($"FAILED: {what}");
    }
}

// Connections and code warmed up first, so the first figures are not the client's start-up.
await http.GetStringAsync(new Uri(server, "/version"));
await http.GetStringAsync(new Uri(echo, "/bytes?n=1"));

// 1. A full list, against the echo server writing as many bytes from memory; the server's RSS sampled meanwhile.
var rssBefore = Rss(pid);
var rssPeak = rssBefore;
using var sampling = new CancellationTokenSource();
var sampler = Task.Run(async () =>
{
    while (!sampling.IsCancellationRequested)
    {
        rssPeak = Math.Max(rssPeak, Rss(pid));
        await Task.Delay(20);
    }
});
var list = await ReadAsync(new Uri(server, "/api/v1/pods"), Item);
await sampling.CancelAsync();
await sampler;
Check(list.Matches == pods, $"the list has {list.Matches} pods, not {pods}");
var memory = await ReadAsync(new Uri(echo, $"/bytes?n={list.Bytes}"), []);
Console.WriteLine($"full list: first byte {list.FirstByte.TotalMilliseconds:F1} ms (target < 100); {list.Bytes / 1e6:F0} MB in {list.Total.TotalSeconds:F2} s, " +
    $"{list.Bytes / 1e6 / list.Total.TotalSeconds:F0} MB/s; from memory {memory.Bytes / 1e6 / memory.Total.TotalSeconds:F0} MB/s; " +
    $"ratio {memory.Total / list.Total:F2} (target >= 0.5)");
Console.WriteLine($"server RSS during the list: +{(rssPeak - rssBefore) / 1e6:F0} MB over {rssBefore / 1e6:F0} MB, " +
    $"{(double)(rssPeak - rssBefore) / list.Bytes:F3} of the list's size");

// 2. Lists selecting 10 pods of the store (bench/make-seed.py gives every tenth of them a group and a node).
foreach (var query in new[] { "labelSelector=group%3Dg-77", "fieldSelector=spec.nodeName%3Dnode-77", "labelSelector=group%3Dg-77&fieldSelector=status.phase%3DPending" })
{
    var selected = await ReadAsync(new Uri(server, "/api/v1/pods?" + query), Item);
    Check(selected.Matches == 10, $"{query} selected {selected.Matches} pods, not 10");
    Console.WriteLine($"list with {Uri.UnescapeDataString(query)}: {selected.Matches} pods in {selected.Total.TotalMilliseconds:F0} ms");
}

// 3. A watch that starts with the whole store (sendInitialEvents), read to its initial-events-end bookmark.
var watch = await ReadAsync(
    new Uri(server, "/api/v1/pods?watch=1&sendInitialEvents=true&allowWatchBookmarks=true&resourceVersionMatch=NotOlderThan&timeoutSeconds=600"),
    "{\"type\":\"ADDED\""u8.ToArray(), until: "k8s.io/initial-events-end"u8.ToArray());
Check(watch.Matches == pods, $"the watch sent {watch.Matches} initial events, not {pods}");
Console.WriteLine($"watch with sendInitialEvents: {watch.Matches} events in {watch.Total.TotalSeconds:F2} s; " +
    $"ratio to the list's time {list.Total / watch.Total:F2} (target ~1)");

// 4. An informer's start with the official C# client: list in pages of 500 (client-go's ListPager), then watch
//    from the list's revision and see a write made after it.
var client = new Kubernetes(new KubernetesClientConfiguration { Host = server.ToString() });
var clock = Stopwatch.StartNew();
var cache = new List<V1Pod>();
string? next = null;
V1PodList page;
do
{
    page = await client.CoreV1.ListPodForAllNamespacesAsync(limit: 500, continueParameter: next);
    cache.AddRange(page.Items);
    next = page.Metadata.ContinueProperty;
}
while (!string.IsNullOrEmpty(next));
var listed = clock.Elapsed;
Check(cache.Count == pods, $"the C# client listed {cache.Count} pods, not {pods}");
var seen = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
using var watcher = client.CoreV1.WatchListPodForAllNamespaces(
    resourceVersion: page.Metadata.ResourceVersion,
    onEvent: (type, pod) => seen.TrySetResult($"{type} {pod.Metadata.Name}"),
    onError: error => seen.TrySetException(error));
var marker = new V1Pod { Metadata = new V1ObjectMeta { Name = $"informer-{Environment.ProcessId}" }, Spec = new V1PodSpec { Containers = [new V1Container { Name = "c", Image = "busybox" }] } };
await client.CoreV1.CreateNamespacedPodAsync(marker, "default");
var first = await seen.Task.WaitAsync(TimeSpan.FromSeconds(30));
Check(first == $"Added {marker.Metadata.Name}", $"the informer's watch saw {first} first");
Console.WriteLine($"C# client informer start: {cache.Count} pods listed in {listed.TotalSeconds:F1} s ({cache.Count / listed.TotalSeconds:F0} pods/s, pages of 500), " +
    $"then its watch saw the next write ({first}) after {(clock.Elapsed - listed).TotalMilliseconds:F0} ms");
await client.CoreV1.DeleteNamespacedPodAsync(marker.Metadata.Name, "default", gracePeriodSeconds: 0);

return failures.Count == 0 ? 0 : 1;

// Reads a response to its end (or to the first occurrence of until), counting occurrences of a marker.
async Task<(TimeSpan FirstByte, TimeSpan Total, long Bytes, long Matches)> ReadAsync(Uri url, byte[] marker, byte[]? until = null)
{
    var clock = Stopwatch.StartNew();
    using var response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead);
    response.EnsureSuccessStatusCode();
    await using var body = await response.Content.ReadAsStreamAsync();
    var buffer = ArrayPool<byte>.Shared.Rent(1 << 20);
    var overlap = Math.Max(marker.Length, until?.Length ?? 0);
    var kept = 0;
    TimeSpan? firstByte = null;
    long bytes = 0, matches = 0;
    while (true)
    {
        var read = await body.ReadAsync(buffer.AsMemory(kept, buffer.Length - kept));
        if (read == 0)
        {
            break;
        }

        firstByte ??= clock.Elapsed;
        bytes += read;
        // Markers are searched in what was read plus the end of the chunk before, so none straddling two is lost.
        var window = buffer.AsSpan(0, kept + read);
        for (var offset = 0; marker.Length > 0 && window[offset..].IndexOf(marker) is var at and >= 0; offset += at + marker.Length)
        {
            // One that ends within what was kept from the chunk before was counted then.
            if (offset + at + marker.Length > kept)
            {
                matches++;
            }
        }

        if (until is not null && window.IndexOf(until) >= 0)
        {
            break;
        }

        kept = Math.Clamp(overlap - 1, 0, window.Length);
        window[^kept..].CopyTo(buffer);
    }

    ArrayPool<byte>.Shared.Return(buffer);
    return (firstByte ?? clock.Elapsed, clock.Elapsed, bytes, matches);
}

static long Rss(int pid)
{
    foreach (var line in File.ReadLines($"/proc/{pid}/status"))
    {
        if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
        {
            return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
        }
    }

    return 0;
}
