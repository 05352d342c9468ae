// Summarizes the garbage collections in an EventPipe trace of a server, as bench/simulation.sh records one with
// GC_TRACE=1 (DOTNET_EnableEventPipe=1, DOTNET_EventPipeConfig=Microsoft-Windows-DotNETRuntime:0x1:4):
//   dotnet GcTrace.dll TRACE [from seconds] [to seconds]
// For each generation: how many collections, how often, their pauses and what they promoted, the pause a collection
// costs per MB it promotes (a least-squares line), and how long it spent marking through cards (objects of older
// generations written to point at younger ones, the runtime's GCMarkWithType MarkOlder); then the share of the time
// the process was paused.
using Microsoft.Diagnostics.Tracing;
using Microsoft.Diagnostics.Tracing.Analysis;
using Microsoft.Diagnostics.Tracing.Analysis.GC;
using Microsoft.Diagnostics.Tracing.Parsers.Clr;

var from = args.Length > 1 ? double.Parse(args[1]) : 0;
var to = args.Length > 2 ? double.Parse(args[2]) : double.MaxValue;
using var source = new EventPipeEventSource(args[0]);
source.NeedLoadedDotNetRuntimes();
source.Process();
foreach (var process in source.Processes())
{
    var runtime = process.LoadedDotNetRuntime();
    var collections = runtime?.GC.GCs.Where(gc => gc.StartRelativeMSec / 1000 >= from && gc.StartRelativeMSec / 1000 <= to).ToList();
    if (collections is not { Count: > 1 })
    {
        continue;
    }

    var seconds = (collections[^1].StartRelativeMSec - collections[0].StartRelativeMSec) / 1000;
    Console.WriteLine($"{collections.Count} collections over {seconds:F1} s, {collections.Max(gc => gc.HeapCount)} heap(s) at most");
    foreach (var generation in collections.GroupBy(gc => gc.Generation).OrderBy(group => group.Key))
    {
        var pauses = generation.Select(gc => gc.PauseDurationMSec).Order().ToArray();
        var promoted = generation.Select(gc => gc.PromotedMB).Order().ToArray();
        var (fixedMs, msPerMB) = Line(generation.Select(gc => (gc.PromotedMB, gc.PauseDurationMSec)).ToList());
        var cards = generation.Select(CardMarking).Order().ToArray();
        Console.WriteLine($"  gen{generation.Key}: {pauses.Length} (every {seconds / pauses.Length:F2} s), pause median {pauses[pauses.Length / 2]:F1} ms" +
            $" (max {pauses[^1]:F1}), promoted median {promoted[promoted.Length / 2]:F1} MB; pause = {fixedMs:F1} ms + {msPerMB:F2} ms per MB promoted;" +
            $" marking through cards median {cards[cards.Length / 2]:F1} ms");
    }

    Console.WriteLine($"  paused {collections.Sum(gc => gc.PauseDurationMSec) / 10 / seconds:F1}% of the time");
}

// The time every heap spent marking from older generations' cards in one collection (0 for a background one).
static double CardMarking(TraceGC gc) =>
    gc.PerHeapMarkTimes?.Values.Sum(heap => heap.MarkTimes[(int)MarkRootType.MarkOlder]) ?? 0;

static (double Intercept, double Slope) Line(List<(double X, double Y)> points)
{
    double n = points.Count, sx = points.Sum(p => p.X), sy = points.Sum(p => p.Y);
    double sxx = points.Sum(p => p.X * p.X), sxy = points.Sum(p => p.X * p.Y);
    var denominator = n * sxx - sx * sx;
    var slope = denominator == 0 ? 0 : (n * sxy - sx * sy) / denominator;
    return ((sy - slope * sx) / n, slope);
}
