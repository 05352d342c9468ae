// The live page (/ui) in Debian's headless Chromium against a PodStatus holding many pods: how soon the first rows
// show, how long the whole list takes, the page's JavaScript heap and DOM once listed and while status writes stream
// in (each applied through the watch), how many frames it draws meanwhile, and its longest task.
//   dotnet LivePage.dll URL PODS [seconds of writes, default 20] [writes per second, default 1000]
// The pods are those of bench/make-seed.py (pod-I in namespace ns-I%100).
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Playwright;

var server = new Uri(args[0]);
var pods = int.Parse(args[1], CultureInfo.InvariantCulture);
var seconds = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 20;
var rate = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 1000;

using var playwright = await Playwright.CreateAsync();
await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
{
    ExecutablePath = "/usr/bin/chromium",
    Headless = true,
    Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--disable-background-networking"],
});
var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
var cdp = await page.Context.NewCDPSessionAsync(page);
await cdp.SendAsync("Performance.enable");

var clock = Stopwatch.StartNew();
await page.GotoAsync(new Uri(server, "/ui/").ToString());
await page.Locator(".grid-row").First.WaitForAsync(new() { Timeout = 60_000 });
var firstRows = clock.Elapsed.TotalSeconds;
await page.Locator("#sync").GetByText("pods: watching").WaitForAsync(new() { Timeout = 300_000 });
var listed = clock.Elapsed.TotalSeconds;
Console.WriteLine($"first rows after {firstRows:F2} s; all {await page.Locator("#row-count").InnerTextAsync()} listed and watched after {listed:F1} s");
Console.WriteLine($"listed:  {await Metrics()}");

// Frames drawn and long tasks, counted in the page while the writes stream in.
await page.EvaluateAsync("""
    () => {
      window.bench = { frames: 0, longest: 0, longTasks: 0 };
      const frame = () => { window.bench.frames++; requestAnimationFrame(frame); };
      requestAnimationFrame(frame);
      new PerformanceObserver((list) => {
        for (const task of list.getEntries()) {
          window.bench.longTasks++;
          window.bench.longest = Math.max(window.bench.longest, task.duration);
        }
      }).observe({ type: 'longtask' });
    }
    """);

using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64 }) { BaseAddress = server };
var writes = 0;
var writer = Stopwatch.StartNew();
var inFlight = new List<Task>();
var random = new Random(1);
while (writer.Elapsed.TotalSeconds < seconds)
{
    while (writes < writer.Elapsed.TotalSeconds * rate)
    {
        var i = random.Next(pods);
        var phase = writes % 2 == 0 ? "Pending" : "Running";
        inFlight.Add(http.PatchAsync($"/api/v1/namespaces/ns-{i % 100}/pods/pod-{i}/status",
            new StringContent("{\"status\":{\"phase\":\"" + phase + "\"}}", Encoding.UTF8, "application/merge-patch+json")));
        writes++;
    }

    inFlight.RemoveAll(task => task.IsCompleted);
    await Task.Delay(5);
}

await Task.WhenAll(inFlight);
var bench = await page.EvaluateAsync<JsonElement>("() => window.bench");
Console.WriteLine($"{writes} status writes in {writer.Elapsed.TotalSeconds:F1} s: the page drew {bench.GetProperty("frames").GetDouble() / writer.Elapsed.TotalSeconds:F0} frames/s; " +
    $"{bench.GetProperty("longTasks").GetInt32()} tasks over 50 ms, the longest {bench.GetProperty("longest").GetDouble():F0} ms");
Console.WriteLine($"after:   {await Metrics()}");

// A write to a pod in view shows within (page-side) a frame of its watch event.
var first = await page.Locator(".grid-row").First.GetAttributeAsync("data-key");
var (ns, name) = (first!.Split('/')[0], first.Split('/')[1]);
var shown = Stopwatch.StartNew();
await http.PatchAsync($"/api/v1/namespaces/{ns}/pods/{name}/status",
    new StringContent("""{"status":{"phase":"Failed"}}""", Encoding.UTF8, "application/merge-patch+json"));
await page.Locator($".grid-row[data-key='{first}'] > div:nth-child(3)").GetByText("Failed").WaitForAsync();
Console.WriteLine($"a status write to a row in view shown after {shown.Elapsed.TotalMilliseconds:F0} ms");

// The JavaScript heap after a full collection, and the DOM: what the page holds, not what it has yet to collect.
async Task<string> Metrics()
{
    await cdp.SendAsync("HeapProfiler.collectGarbage");
    var result = await cdp.SendAsync("Performance.getMetrics");
    var metrics = result!.Value.GetProperty("metrics").EnumerateArray().ToDictionary(m => m.GetProperty("name").GetString()!, m => m.GetProperty("value").GetDouble());
    var rows = await page.Locator(".grid-row").CountAsync();
    return $"JS heap {metrics["JSHeapUsedSize"] / 1e6:F0} MB, {metrics["Nodes"]:F0} DOM nodes, {rows} rows rendered";
}
