// Drives a PodStatus whose simulation moves pods (bench/simulation.sh), as a client of a cluster would:
//   dotnet Simulation.dll create URL PODS NODES WATCHERS
//     creates PODS pods bound round-robin to NODES nodes (32 requests in flight) while WATCHERS kubelet-style
//     informers (one node's pods each, fieldSelector spec.nodeName) and one watch of every pod are open; prints how
//     long the creates took and, with "simulated", when the last pod became Running and Ready.
//   dotnet Simulation.dll running URL PODS
//     waits until PODS pods are Running (a watch selecting status.phase=Running, with its initial events); prints how long that took.
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

var mode = args[0];
var server = new Uri(args[1]);
var pods = int.Parse(args[2]);
using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256 }) { BaseAddress = server, Timeout = Timeout.InfiniteTimeSpan };
// Not curl's User-Agent: curl gets indented JSON, which a client program would not ask for.
http.DefaultRequestHeaders.UserAgent.ParseAdd("podstatus-bench/1.0");
var clock = Stopwatch.StartNew();

if (mode == "running")
{
    // A watch of the Running pods that starts with every pod already Running (sendInitialEvents, as client-go's
    // watch-list informers start), then each that becomes Running: no paged list, whose snapshot would keep every
    // version the writes replace for a minute (and be counted as the server's memory). A watch the server ends (it
    // fell a whole history behind the writes) is opened again the same way, as an informer would.
    var running = 0;
    var reopened = -1;
    while (running < pods)
    {
        // Each watch counts afresh: its initial events are every pod Running now, then each that starts or stops.
        reopened++;
        running = 0;
        using var stream = await http.GetStreamAsync(
            "/api/v1/pods?watch=1&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true&fieldSelector=status.phase%3DRunning");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        while (running < pods && await reader.ReadLineAsync() is { } line)
        {
            running += line.StartsWith("{\"type\":\"ADDED\"", StringComparison.Ordinal) ? 1
                : line.StartsWith("{\"type\":\"DELETED\"", StringComparison.Ordinal) ? -1 : 0;
        }
    }

    Console.WriteLine($"{pods} pods Running after {clock.Elapsed.TotalSeconds:F1} s (the watch was ended and opened again {reopened} times)");
    return 0;
}

var nodes = int.Parse(args[3]);
var watchers = int.Parse(args[4]);
var start = await http.GetAsync("/api/v1/pods?limit=1");
var revision = JsonDocument.Parse(await start.Content.ReadAsStringAsync()).RootElement.GetProperty("metadata").GetProperty("resourceVersion").GetString();
using var stop = new CancellationTokenSource();

// The kubelets' watches, as informers: list their node's pods, watch from there, and list again if the watch ends
// (a watcher that falls out of the server's history is ended, as kube-apiserver ends it).
var counts = new long[watchers];
var restarts = 0;
var watches = Enumerable.Range(0, watchers).Select(async w =>
{
    var selector = $"fieldSelector=spec.nodeName%3Dnode-{w}";
    var from = revision;
    var buffer = new byte[64 * 1024];
    try
    {
        while (!stop.IsCancellationRequested)
        {
            using (var stream = await http.GetStreamAsync($"/api/v1/pods?watch=1&resourceVersion={from}&{selector}", stop.Token))
            {
                while (await stream.ReadAsync(buffer, stop.Token) is var read and > 0)
                {
                    counts[w] += buffer.AsSpan(0, read).Count((byte)'\n');
                }
            }

            Interlocked.Increment(ref restarts);
            var list = JsonDocument.Parse(await http.GetStringAsync($"/api/v1/pods?{selector}", stop.Token));
            from = list.RootElement.GetProperty("metadata").GetProperty("resourceVersion").GetString();
        }
    }
    catch (OperationCanceledException)
    {
    }
}).ToList();

// The benchmark's own watch of every pod: when each became Running and Ready. An informer too: if the server ends
// the watch (it fell out of the history), every pod is listed and the watch resumes from the list.
var ready = new HashSet<string>();
var allReady = new TaskCompletionSource<TimeSpan>(TaskCreationOptions.RunContinuationsAsynchronously);
var trackerRestarts = 0;
void Seen(JsonElement pod)
{
    var isReady = pod.TryGetProperty("status", out var status) &&
        status.TryGetProperty("phase", out var phase) && phase.GetString() == "Running" &&
        status.TryGetProperty("conditions", out var conditions) &&
        conditions.EnumerateArray().Any(c => c.GetProperty("type").GetString() == "Ready" && c.GetProperty("status").GetString() == "True");
    if (isReady && ready.Add(pod.GetProperty("metadata").GetProperty("name").GetString()!) && ready.Count == pods)
    {
        allReady.TrySetResult(clock.Elapsed);
    }
}

var tracker = Task.Run(async () =>
{
    var from = revision;
    try
    {
        while (!stop.IsCancellationRequested)
        {
            using (var stream = await http.GetStreamAsync($"/api/v1/pods?watch=1&resourceVersion={from}", stop.Token))
            using (var reader = new StreamReader(stream, Encoding.UTF8))
            {
                while (await reader.ReadLineAsync(stop.Token) is { } line)
                {
                    if (line.Contains("\"phase\":\"Running\"", StringComparison.Ordinal))
                    {
                        using var change = JsonDocument.Parse(line);
                        Seen(change.RootElement.GetProperty("object"));
                    }
                }
            }

            Interlocked.Increment(ref trackerRestarts);
            using var list = JsonDocument.Parse(await http.GetStringAsync("/api/v1/pods", stop.Token));
            foreach (var pod in list.RootElement.GetProperty("items").EnumerateArray())
            {
                Seen(pod);
            }

            from = list.RootElement.GetProperty("metadata").GetProperty("resourceVersion").GetString();
        }
    }
    catch (OperationCanceledException)
    {
    }
});

await Task.Delay(500);
clock.Restart();
var next = -1;
var failures = 0;
await Task.WhenAll(Enumerable.Range(0, 32).Select(async _ =>
{
    while (Interlocked.Increment(ref next) is var i && i < pods)
    {
        var body = $$$"""{"apiVersion":"v1","kind":"Pod","metadata":{"name":"sim-{{{i}}}","labels":{"app":"bench"}},"spec":{"nodeName":"node-{{{i % nodes}}}","containers":[{"name":"app","image":"nginx:1.27"}]}}""";
        using var content = new StringContent(body, new MediaTypeHeaderValue("application/json"));
        using var reply = await http.PostAsync("/api/v1/namespaces/default/pods", content);
        if (!reply.IsSuccessStatusCode)
        {
            Interlocked.Increment(ref failures);
        }
    }
}));
var created = clock.Elapsed;
Console.WriteLine($"{pods} pods created in {created.TotalSeconds:F1} s ({pods / created.TotalSeconds:F0}/s), {failures} refused");

var simulates = args.Length > 5 && args[5] == "simulated";
var exit = failures == 0 ? 0 : 1;
if (simulates)
{
    var done = await Task.WhenAny(allReady.Task, Task.Delay(TimeSpan.FromMinutes(5)));
    if (done == allReady.Task)
    {
        Console.WriteLine($"{pods} pods Running and Ready {allReady.Task.Result.TotalSeconds:F1} s after the first create");
    }
    else
    {
        Console.WriteLine($"FAILED: only {ready.Count} of {pods} pods Ready after 5 minutes");
        exit = 1;
    }
}

await Task.Delay(1000);
await stop.CancelAsync();
await Task.WhenAll(watches);
await tracker;
// What each kubelet sees in the end: its node's pods, every one Running when the server simulates.
var perNode = pods / nodes;
var wrong = 0;
for (var w = 0; w < watchers; w++)
{
    using var list = JsonDocument.Parse(await http.GetStringAsync($"/api/v1/pods?fieldSelector=spec.nodeName%3Dnode-{w}"));
    var items = list.RootElement.GetProperty("items");
    var running = items.EnumerateArray().Count(pod => pod.GetProperty("status").TryGetProperty("phase", out var phase) && phase.GetString() == "Running");
    wrong += items.GetArrayLength() == perNode && (!simulates || running == perNode) ? 0 : 1;
}

Console.WriteLine($"{watchers} node watchers got {counts.Min()}-{counts.Max()} events each; {restarts} watches (and {trackerRestarts} of the benchmark's own) ended and were listed again " +
    $"(an informer's recovery); {(wrong == 0 ? $"every node's {perNode} pods seen{(simulates ? " Running" : "")}" : $"FAILED: {wrong} nodes wrong")}");
return wrong > 0 ? 1 : exit;
