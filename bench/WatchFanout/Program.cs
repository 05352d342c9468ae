// Watch fan-out: N watchers on one namespace while one writer updates a pod's status as fast as it can.
// Reports updates/s, events delivered/s and the delay from write to delivery; checks every watcher got every event.
// A selector makes every watcher filter, as kubelets watch with fieldSelector=spec.nodeName=<their node>.
// With SERVER_PID set, it also prints the server's CPU (from /proc/PID/stat) per event delivered, writes included.
//   dotnet run --project bench/WatchFanout -- http://127.0.0.1:5092 [seconds=10] [watchers=1,100,1000] [selector]
using System.Diagnostics;
using System.Net;
using System.Text;

var server = args.Length > 0 ? args[0] : "http://127.0.0.1:5092";
var seconds = args.Length > 1 ? int.Parse(args[1]) : 10;
var counts = (args.Length > 2 ? args[2] : "1,100,1000").Split(',').Select(int.Parse).ToArray();
var selector = args.Length > 3 ? "&" + args[3] : "";
var serverPid = Environment.GetEnvironmentVariable("SERVER_PID") is { Length: > 0 } pid ? int.Parse(pid) : (int?)null;

using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = int.MaxValue, PooledConnectionLifetime = Timeout.InfiniteTimeSpan })
{
    BaseAddress = new Uri(server),
    Timeout = Timeout.InfiniteTimeSpan,
};

Console.WriteLine($"{"watchers",8} {"updates/s",10} {"events/s",12} {"p50 ms",8} {"p99 ms",8} {"complete",9}{(serverPid is null ? "" : $" {"server µs/event",15}")}");
foreach (var watchers in counts)
{
    var ns = $"fanout-{watchers}-{Environment.ProcessId}";
    await Send(HttpMethod.Post, "/api/v1/namespaces", $$$"""{"metadata":{"name":"{{{ns}}}"}}""");
    var created = await Send(HttpMethod.Post, $"/api/v1/namespaces/{ns}/pods",
        """{"metadata":{"name":"pod"},"spec":{"nodeName":"node-1","containers":[{"name":"c","image":"busybox"}]}}""");
    var rv = ExtractString(created, "\"resourceVersion\":\"");

    using var stop = new CancellationTokenSource();
    var delays = new List<double>[watchers];
    var received = new long[watchers];
    var ready = 0;
    var readers = Enumerable.Range(0, watchers).Select(i => Task.Run(async () =>
    {
        delays[i] = [];
        var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/namespaces/{ns}/pods?watch=true&resourceVersion={rv}{selector}");
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        Interlocked.Increment(ref ready);
        try
        {
            while (await reader.ReadLineAsync(stop.Token) is { } line)
            {
                var sent = long.Parse(ExtractString(line, "\"message\":\""));
                delays[i].Add(Stopwatch.GetElapsedTime(sent).TotalMilliseconds);
                received[i]++;
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception error)
        {
            Console.Error.WriteLine($"watcher {i}: {error.Message}");
            Interlocked.Increment(ref ready);
        }
    })).ToArray();
    while (Volatile.Read(ref ready) < watchers)
    {
        await Task.Delay(10);
    }

    var updates = 0L;
    var cpuBefore = ServerCpuSeconds();
    var clock = Stopwatch.StartNew();
    while (clock.Elapsed < TimeSpan.FromSeconds(seconds))
    {
        await Send(HttpMethod.Put, $"/api/v1/namespaces/{ns}/pods/pod/status",
            $$$"""{"metadata":{"name":"pod"},"status":{"phase":"Running","message":"{{{Stopwatch.GetTimestamp()}}}"}}""");
        updates++;
    }

    var writing = clock.Elapsed.TotalSeconds;
    var drained = Stopwatch.StartNew();
    while (received.Any(r => Volatile.Read(ref r) < updates) && drained.Elapsed < TimeSpan.FromSeconds(30))
    {
        await Task.Delay(20);
    }

    var delivering = clock.Elapsed.TotalSeconds;
    var cpu = ServerCpuSeconds() - cpuBefore;
    stop.Cancel();
    await Task.WhenAll(readers);
    var all = delays.SelectMany(d => d).Order().ToArray();
    var complete = received.All(r => r == updates);
    Console.WriteLine($"{watchers,8} {updates / writing,10:F0} {all.Length / delivering,12:F0} {Percentile(all, 0.5),8:F2} {Percentile(all, 0.99),8:F2} {(complete ? "yes" : "NO"),9}{(serverPid is null ? "" : $" {cpu * 1e6 / all.Length,15:F1}")}");
    if (!complete)
    {
        Console.WriteLine($"  expected {updates} events per watcher; fewest received {received.Min()}");
        Environment.ExitCode = 1;
    }
}

// utime and stime, fields 14 and 15 of /proc/PID/stat, counted after the command's closing parenthesis.
double ServerCpuSeconds()
{
    if (serverPid is null)
    {
        return 0;
    }

    var stat = File.ReadAllText($"/proc/{serverPid}/stat");
    var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
    return (long.Parse(fields[11]) + long.Parse(fields[12])) / 100.0;
}

async Task<string> Send(HttpMethod method, string path, string body)
{
    using var request = new HttpRequestMessage(method, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
    using var response = await http.SendAsync(request);
    var text = await response.Content.ReadAsStringAsync();
    if (response.StatusCode is not (HttpStatusCode.OK or HttpStatusCode.Created))
    {
        throw new InvalidOperationException($"{method} {path}: {(int)response.StatusCode} {text}");
    }

    return text;
}

static string ExtractString(string json, string marker)
{
    var start = json.IndexOf(marker, StringComparison.Ordinal) + marker.Length;
    return json[start..json.IndexOf('"', start)];
}

static double Percentile(double[] sorted, double p) => sorted.Length == 0 ? double.NaN : sorted[(int)Math.Min(sorted.Length - 1, p * sorted.Length)];
