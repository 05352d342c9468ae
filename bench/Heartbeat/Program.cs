// Heartbeat and event load: what a cluster's kubelets and controllers write besides pod status.
// N nodes are registered, each with a Lease in kube-node-lease renewed every 10 s as the kubelet's lease controller
// renews it (a PUT naming the resourceVersion it last saw; after a 409, a GET and the PUT again), and an event
// recorder creates events and patches each one's count as client-go's correlator does, while PUT pods/status runs
// at a fixed rate. Open loop: every request has a due time and its latency counts from then, so a server that
// stalls cannot slow the load down and hide it. Each round has an idle phase (the status PUTs alone) and a loaded
// one (PUTs, leases and events), in alternating order. Each phase prints the PUTs' p50 and p99, the rates reached,
// errors, the server's CPU per request (from /proc/PID/stat) and garbage collection pauses (from its /metrics) beside
// the client's own (both share this machine's cores; the client's pauses would delay what it measures), and the
// server's resident memory.
//   dotnet Heartbeat.dll URL SERVER_PID [nodes=10000] [seconds per phase=10] [rounds=3] [puts/s=2000] [events/s=250]
using System.Diagnostics;
using System.Net;
using System.Text;

var server = args[0];
var serverPid = int.Parse(args[1]);
var nodes = args.Length > 2 ? int.Parse(args[2]) : 10_000;
var seconds = args.Length > 3 ? double.Parse(args[3]) : 10;
var rounds = args.Length > 4 ? int.Parse(args[4]) : 3;
var putsPerSecond = args.Length > 5 ? double.Parse(args[5]) : 2_000;
var eventsPerSecond = args.Length > 6 ? double.Parse(args[6]) : 250;
const int Pods = 100;
const double RenewSeconds = 10; // the kubelet's nodeLeaseRenewIntervalFraction (0.25) of its 40 s lease

using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = int.MaxValue, PooledConnectionLifetime = Timeout.InfiniteTimeSpan })
{
    BaseAddress = new Uri(server),
    Timeout = TimeSpan.FromSeconds(30),
};

// Setup: the nodes, their leases and the pods whose status the PUTs write (each bound to a node).
var setup = Stopwatch.StartNew();
var leaseVersions = new string[nodes];
await Parallel.ForEachAsync(Enumerable.Range(0, nodes), new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (i, _) =>
{
    var node = await Send(HttpMethod.Post, "/api/v1/nodes",
        $$$"""{"apiVersion":"v1","kind":"Node","metadata":{"name":"node-{{{i}}}","labels":{"kubernetes.io/hostname":"node-{{{i}}}"}},"status":{"conditions":[{"type":"Ready","status":"True","reason":"KubeletReady","lastHeartbeatTime":"{{{Now()}}}","lastTransitionTime":"{{{Now()}}}"}]}}""");
    var lease = await Send(HttpMethod.Post, "/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases",
        LeaseJson(i, null, Field(node, "uid")));
    leaseVersions[i] = Field(lease, "resourceVersion");
});
var podUids = new string[Pods];
for (var i = 0; i < Pods; i++)
{
    podUids[i] = Field(await Send(HttpMethod.Post, "/api/v1/namespaces/default/pods",
        $$$"""{"metadata":{"name":"bench-{{{i}}}"},"spec":{"nodeName":"node-{{{i % nodes}}}","containers":[{"name":"app","image":"busybox"}]}}"""), "uid");
}

Console.WriteLine($"{nodes} nodes with their leases and {Pods} pods created in {setup.Elapsed.TotalSeconds:F1} s");

var puts = new Load("PUT pods/status", putsPerSecond, async n =>
{
    var pod = n % Pods;
    await Send(HttpMethod.Put, $"/api/v1/namespaces/default/pods/bench-{pod}/status", StatusJson(pod, n));
    return 1;
});
var leases = new Load("lease renewals", nodes / RenewSeconds, async n =>
{
    var node = (int)(n % nodes);
    var path = $"/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/node-{node}";
    var (status, body) = await TrySend(HttpMethod.Put, path, LeaseJson(node, leaseVersions[node], null));
    if (status == HttpStatusCode.Conflict)
    {
        leaseVersions[node] = Field(await Send(HttpMethod.Get, path, null), "resourceVersion");
        body = await Send(HttpMethod.Put, path, LeaseJson(node, leaseVersions[node], null));
        leaseVersions[node] = Field(body, "resourceVersion");
        return 3;
    }

    Check(HttpMethod.Put, path, status, body);
    leaseVersions[node] = Field(body, "resourceVersion");
    return 1;
});
var eventRun = Environment.TickCount64.ToString("x");
var events = new Load("events (create, patch)", eventsPerSecond, async n =>
{
    var pod = (int)(n % Pods);
    var name = $"bench-{pod}.{eventRun}-{n:x}";
    await Send(HttpMethod.Post, "/api/v1/namespaces/default/events", EventJson(name, pod, podUids[pod]));
    await Send(HttpMethod.Patch, $"/api/v1/namespaces/default/events/{name}",
        $$$"""{"count":2,"lastTimestamp":"{{{Now()}}}","message":"Container image \"busybox\" already present on machine"}""",
        "application/strategic-merge-patch+json");
    return 2;
});

Console.WriteLine($"open loop: {putsPerSecond:F0} status PUTs/s over {Pods} pods; loaded adds {leases.PerSecond:F0} lease renewals/s ({nodes} nodes every {RenewSeconds:F0} s) and {eventsPerSecond:F0} events/s (a create and a patch each)");
Console.WriteLine($"{"phase",-8} {"PUT/s",7} {"leases/s",8} {"events/s",8} {"errors",6} {"PUT p50",8} {"PUT p99",8} {"lease p99",9} {"event p99",9} {"server µs/req",13} {"server GC ms",12} {"client µs/req",13} {"client GC ms",12} {"RSS MB",7}");
await RunPhase("warm-up", puts, leases, events); // not counted: the JIT's and the pools' first seconds
var ratios = new List<double>();
// Every PUT's latency in each kind of phase, all rounds together: a p99 of many more samples than one round's,
// which a single stall of this shared machine moves less.
var (allIdle, allLoaded) = (new List<double>(), new List<double>());
// The order alternates (idle then loaded, then loaded then idle): a phase pays for collections of what the phase
// before it kept, so a fixed order would have every idle phase pay for the loaded one's survivors.
for (var round = 1; round <= rounds; round++)
{
    double idle, loaded;
    if (round % 2 == 1)
    {
        idle = await Idle();
        loaded = await Loaded();
    }
    else
    {
        loaded = await Loaded();
        idle = await Idle();
    }

    ratios.Add(loaded / idle);
}

ratios.Sort();
Console.WriteLine($"PUT pods/status p99, loaded against idle: {string.Join(", ", ratios.Select(r => r.ToString("F2")))}; median {ratios[ratios.Count / 2]:F2} (target <= 1.5)");
var (pooledIdle, pooledLoaded) = (Load.Percentile(allIdle, 0.99), Load.Percentile(allLoaded, 0.99));
Console.WriteLine($"all rounds together: p99 {pooledIdle:F2} ms idle, {pooledLoaded:F2} ms loaded: {pooledLoaded / pooledIdle:F2}");

async Task<double> Idle()
{
    var p99 = await RunPhase("idle", puts);
    allIdle.AddRange(puts.Latencies);
    return p99;
}

async Task<double> Loaded()
{
    var p99 = await RunPhase("loaded", puts, leases, events);
    allLoaded.AddRange(puts.Latencies);
    return p99;
}

// Runs the loads for one phase at their rates and prints its line; returns the PUTs' p99 in ms.
async Task<double> RunPhase(string label, params Load[] loads)
{
    foreach (var load in loads)
    {
        load.Reset();
    }

    var cpuBefore = ServerCpuSeconds();
    var clientCpuBefore = Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;
    var clientPauseBefore = GC.GetTotalPauseDuration();
    var serverPauseBefore = await ServerGcPauseSeconds();
    var clock = Stopwatch.StartNew();
    // Requests in flight are counted, not kept: a phase's tens of thousands of finished tasks, held to the end,
    // would survive every young collection of this process and lengthen its pauses, which delay what it measures.
    var inFlight = new InFlight();
    await Task.Factory.StartNew(() =>
    {
        while (clock.Elapsed.TotalSeconds < seconds)
        {
            foreach (var load in loads)
            {
                while (load.NextDue <= clock.Elapsed.TotalSeconds)
                {
                    var (n, due) = load.Take();
                    inFlight.Add();
                    _ = Task.Run(async () =>
                    {
                        await load.Fire(n, due, clock);
                        inFlight.Done();
                    });
                }
            }

            Thread.Sleep(1);
        }
    }, TaskCreationOptions.LongRunning);
    await inFlight.AllDone();
    var elapsed = clock.Elapsed.TotalSeconds;
    var cpu = ServerCpuSeconds() - cpuBefore;
    var clientCpu = Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds - clientCpuBefore;
    var serverPause = await ServerGcPauseSeconds() - serverPauseBefore;
    var requests = loads.Sum(l => l.Requests);
    double Rate(Load load) => loads.Contains(load) ? load.Done / elapsed : 0;
    double P99(Load load) => loads.Contains(load) ? load.Percentile(0.99) : double.NaN;
    Console.WriteLine($"{label,-8} {Rate(puts),7:F0} {Rate(leases),8:F0} {Rate(events),8:F0} {loads.Sum(l => l.Errors),6} {puts.Percentile(0.5),8:F2} {P99(puts),8:F2} {P99(leases),9:F2} {P99(events),9:F2} {cpu * 1e6 / requests,13:F0} {serverPause * 1000,12:F0} {clientCpu * 1e6 / requests,13:F0} {(GC.GetTotalPauseDuration() - clientPauseBefore).TotalMilliseconds,12:F0} {ServerRssMegabytes(),7:F0}");
    foreach (var load in loads.Where(l => l.FirstError is not null))
    {
        Console.WriteLine($"  {load.Name}: {load.FirstError}");
        Environment.ExitCode = 1;
    }

    return puts.Percentile(0.99);
}

double ServerCpuSeconds()
{
    // utime and stime, fields 14 and 15 of /proc/PID/stat, counted after the command's closing parenthesis.
    var stat = File.ReadAllText($"/proc/{serverPid}/stat");
    var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
    return (long.Parse(fields[11]) + long.Parse(fields[12])) / 100.0;
}

// The server's garbage collection pauses so far, from its /metrics.
async Task<double> ServerGcPauseSeconds()
{
    var metrics = await Send(HttpMethod.Get, "/metrics", null);
    var line = metrics.Split('\n').First(l => l.StartsWith("dotnet_gc_pause_seconds_total ", StringComparison.Ordinal));
    return double.Parse(line[(line.IndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
}

double ServerRssMegabytes() =>
    File.ReadLines($"/proc/{serverPid}/status").Where(l => l.StartsWith("VmRSS:")).Select(l => long.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) / 1024.0).First();

async Task<string> Send(HttpMethod method, string path, string? body, string contentType = "application/json")
{
    var (status, text) = await TrySend(method, path, body, contentType);
    Check(method, path, status, text);
    return text;
}

async Task<(HttpStatusCode, string)> TrySend(HttpMethod method, string path, string? body, string contentType = "application/json")
{
    using var request = new HttpRequestMessage(method, path);
    if (body is not null)
    {
        request.Content = new StringContent(body, Encoding.UTF8, contentType);
    }

    using var response = await http.SendAsync(request);
    return (response.StatusCode, await response.Content.ReadAsStringAsync());
}

static void Check(HttpMethod method, string path, HttpStatusCode status, string body)
{
    if (status is not (HttpStatusCode.OK or HttpStatusCode.Created))
    {
        throw new InvalidOperationException($"{method} {path}: {(int)status} {body}");
    }
}

static string Now() => DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'");

static string MicroNow() => DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'");

// The kubelet's node lease: owned by its node, held by it, renewed by updating renewTime.
static string LeaseJson(int node, string? resourceVersion, string? nodeUid)
{
    var version = resourceVersion is null ? "" : $",\"resourceVersion\":\"{resourceVersion}\"";
    var owner = nodeUid is null ? "" : $",\"ownerReferences\":[{{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"name\":\"node-{node}\",\"uid\":\"{nodeUid}\"}}]";
    return $$$"""{"apiVersion":"coordination.k8s.io/v1","kind":"Lease","metadata":{"name":"node-{{{node}}}","namespace":"kube-node-lease"{{{version}}}{{{owner}}}},"spec":{"holderIdentity":"node-{{{node}}}","leaseDurationSeconds":40,"renewTime":"{{{MicroNow()}}}"}}""";
}

// A kubelet's status: unconditional (no resourceVersion), its podIP alternating so that every PUT is a real write.
static string StatusJson(long pod, long n) =>
    $$$$"""{"apiVersion":"v1","kind":"Pod","metadata":{"name":"bench-{{{{pod}}}}","namespace":"default"},"status":{"phase":"Running","conditions":[{"type":"Ready","status":"True","lastProbeTime":null,"lastTransitionTime":"2016-08-08T07:41:29Z"}],"hostIP":"127.0.0.1","podIP":"172.16.0.{{{{4 + n / Pods % 2}}}}","startTime":"2016-08-08T07:41:29Z","containerStatuses":[{"name":"app","ready":true,"restartCount":0,"image":"busybox","imageID":"","state":{"running":{"startedAt":"2016-08-08T07:41:29Z"}}}]}}""";

// What client-go's recorder creates for a kubelet (core/v1, as the kubelet records).
static string EventJson(string name, int pod, string podUid) =>
    $$$"""{"apiVersion":"v1","kind":"Event","metadata":{"name":"{{{name}}}","namespace":"default"},"involvedObject":{"apiVersion":"v1","kind":"Pod","namespace":"default","name":"bench-{{{pod}}}","uid":"{{{podUid}}}","fieldPath":"spec.containers{app}"},"reason":"Pulled","message":"Container image \"busybox\" already present on machine","source":{"component":"kubelet","host":"node-{{{pod}}}"},"firstTimestamp":"{{{Now()}}}","lastTimestamp":"{{{Now()}}}","count":1,"type":"Normal","reportingComponent":"kubelet","reportingInstance":"node-{{{pod}}}"}""";

static string Field(string json, string name)
{
    var marker = $"\"{name}\":\"";
    var start = json.IndexOf(marker, StringComparison.Ordinal) + marker.Length;
    return json[start..json.IndexOf('"', start)];
}

// One kind of request at a fixed rate: the n-th is due at n / rate seconds into the phase.
sealed class Load(string name, double perSecond, Func<long, Task<int>> send)
{
    private readonly List<double> latencies = [];
    private long next;
    private long total;

    public string Name => name;
    public double PerSecond => perSecond;
    public long Done { get; private set; }
    public long Requests { get; private set; }
    public long Errors { get; private set; }
    public string? FirstError { get; private set; }
    public double NextDue => (next - total) / perSecond;

    public void Reset()
    {
        total = next; // numbering goes on across phases, so each lease renews from the version it last saw
        latencies.Clear();
        Done = Requests = Errors = 0;
        FirstError = null;
    }

    public (long N, double Due) Take() => (next, (next++ - total) / perSecond);

    public async Task Fire(long n, double due, Stopwatch clock)
    {
        try
        {
            var requests = await send(n);
            lock (latencies)
            {
                latencies.Add((clock.Elapsed.TotalSeconds - due) * 1000);
                Done++;
                Requests += requests;
            }
        }
        catch (Exception error)
        {
            lock (latencies)
            {
                Errors++;
                FirstError ??= error.Message;
            }
        }
    }

    public IReadOnlyList<double> Latencies => latencies;

    public double Percentile(double p) => Percentile(latencies, p);

    public static double Percentile(IEnumerable<double> values, double p)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? double.NaN : sorted[(int)Math.Min(sorted.Length - 1, p * sorted.Length)];
    }
}

// How many requests are in flight, and a task that completes when none are (after the last is sent).
sealed class InFlight
{
    private readonly TaskCompletionSource none = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int count = 1; // the sender's own, released by AllDone

    public void Add() => Interlocked.Increment(ref count);

    public void Done()
    {
        if (Interlocked.Decrement(ref count) == 0)
        {
            none.SetResult();
        }
    }

    public Task AllDone()
    {
        Done();
        return none.Task;
    }
}
