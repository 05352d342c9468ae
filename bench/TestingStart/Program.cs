using System.Diagnostics;
using PodStatus.Testing;

// Start-up of PodStatusServer in a test process, against a bare ASP.NET Core server (Kestrel on a loopback port,
// one route) started the same way: the first start in a process, then later ones, and stops.
//   dotnet TestingStart.dll podstatus|bare [later starts, default 30]
var which = args.Length > 0 ? args[0] : "podstatus";
var count = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 30;

Func<Task<IAsyncDisposable>> start = which == "bare" ? StartBareAsync : async () => await PodStatusServer.StartAsync();

var clock = Stopwatch.StartNew();
await (await start()).DisposeAsync();
var first = clock.Elapsed.TotalMilliseconds;
var starts = new List<double>();
var stops = new List<double>();
for (var i = 0; i < count; i++)
{
    clock.Restart();
    var server = await start();
    starts.Add(clock.Elapsed.TotalMilliseconds);
    clock.Restart();
    await server.DisposeAsync();
    stops.Add(clock.Elapsed.TotalMilliseconds);
}

starts.Sort();
stops.Sort();
Console.WriteLine($"{which} first_ms={first:0} start_median_ms={starts[count / 2]:0.0} start_max_ms={starts[^1]:0.0} stop_median_ms={stops[count / 2]:0.0}");

static async Task<IAsyncDisposable> StartBareAsync()
{
    var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
    builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
    builder.Services.AddRouting();
    var app = builder.Build();
    app.MapGet("/", () => "ok");
    await app.StartAsync();
    return app;
}
