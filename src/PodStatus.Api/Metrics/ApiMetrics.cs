using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using Prometheus;
using PodStatus.Api.Endpoints;
using PodStatus.Api.Http;
using PodStatus.Api.Registry;
using PodStatus.Api.Security;
using PodStatus.Api.Storage;

namespace PodStatus.Api.Metrics;

/// <summary>
/// kube-apiserver's metrics under its own names and labels (<c>apiserver/pkg/endpoints/metrics</c>), with
/// prometheus-net's process and runtime metrics, in a registry of this server's own (two servers in one process,
/// as in tests, count apart). Served at <c>/metrics</c> in Prometheus' text format.
/// </summary>
public sealed class ApiMetrics : IDisposable
{
    /// <summary>Upstream's buckets for <c>apiserver_request_duration_seconds</c>.</summary>
    private static readonly double[] DurationBuckets = [0.005, 0.025, 0.05, 0.1, 0.2, 0.4, 0.6, 0.8, 1.0, 1.25, 1.5, 2, 3, 4, 5, 6, 8, 10, 15, 20, 30, 45, 60];

    private readonly Counter _requests;
    private readonly Histogram _durations;
    private readonly Gauge _watchers;
    private readonly ConcurrentDictionary<SeriesKey, (Counter.Child Count, Histogram.Child? Duration)> _series = new();
    private readonly Func<SeriesKey, (Counter.Child, Histogram.Child?)> _newSeries;
    private readonly ConcurrentDictionary<(Endpoint, bool Watch), RequestSeries?> _routes = new();

    /// <summary>
    /// The server's services, for the scrape-time callbacks, let go of when the server stops: prometheus-net keeps a
    /// registry reachable for a while after its last use, and it must not keep the whole stopped server with it.
    /// </summary>
    private readonly StrongBox<IServiceProvider?> _services;

    /// <param name="services">Where the store is found when scraped: not before, so the metrics (and
    /// <c>/metrics</c>) exist before the settings that choose the store are checked.</param>
    public ApiMetrics(IServiceProvider services)
    {
        _newSeries = Series;
        var server = _services = new StrongBox<IServiceProvider?>(services);
        var registry = Registry;
        // Process and runtime metrics read their values when scraped; set up at the first scrape, so start-up does
        // not pay for them.
        var processMetrics = 0;
        registry.AddBeforeCollectCallback(() =>
        {
            if (Interlocked.Exchange(ref processMetrics, 1) == 0)
            {
                DotNetStats.Register(registry);
            }
        });
        var metrics = Prometheus.Metrics.WithCustomRegistry(registry);
        // Go's go_memstats_alloc_bytes_total, which kube-apiserver exports, in .NET's terms (for the whole process):
        // every byte allocated, even if freed. Over the requests between two scrapes it gives what a request
        // allocates, which the machine does not move (bench/run.sh prints it).
        var allocated = metrics.CreateCounter("dotnet_gc_allocated_bytes_total", "Total number of bytes allocated on the managed heap, even if freed.");
        registry.AddBeforeCollectCallback(() => allocated.IncTo(GC.GetTotalAllocatedBytes()));
        // The time garbage collections held every thread, as Go's go_gc_duration_seconds sums it: over a load, what
        // share of its tail the collector explains (bench/heartbeat.sh prints it per phase).
        var paused = metrics.CreateCounter("dotnet_gc_pause_seconds_total", "Total time the process was paused for garbage collection.");
        registry.AddBeforeCollectCallback(() => paused.IncTo(GC.GetTotalPauseDuration().TotalSeconds));
        _requests = metrics.CreateCounter("apiserver_request_total",
            "Counter of apiserver requests broken out for each verb, dry run value, group, version, resource, scope, component, and HTTP response code.",
            "verb", "dry_run", "group", "version", "resource", "subresource", "scope", "component", "code");
        _durations = metrics.CreateHistogram("apiserver_request_duration_seconds",
            "Response latency distribution in seconds for each verb, dry run value, group, version, resource, subresource, scope and component.",
            new HistogramConfiguration
            {
                LabelNames = ["verb", "dry_run", "group", "version", "resource", "subresource", "scope", "component"],
                Buckets = DurationBuckets,
            });
        _watchers = metrics.CreateGauge("apiserver_registered_watchers",
            "Number of currently registered watchers for a given resources", "group", "version", "kind");
        var objects = metrics.CreateGauge("apiserver_storage_objects",
            "Number of stored objects at the time of last check split by kind.", "resource");

        // Counted when scraped, so no request pays for it; -1, as upstream, when the store cannot say.
        registry.AddBeforeCollectCallback(async cancellationToken =>
        {
            if (server.Value?.GetRequiredService<Registries>() is not { } registries)
            {
                return;
            }

            // Every served kind's watcher series, at 0 until a watch opens.
            foreach (var served in server.Value.GetRequiredService<ServedResources>().Resources)
            {
                _watchers.WithLabels(served.Group, served.Version, served.Kind);
            }

            foreach (var resource in registries.All)
            {
                var name = resource.Resource.GroupResource.ToString();
                try
                {
                    using var all = await resource.Store.ListAsync(null, cancellationToken);
                    objects.WithLabels(name).Set(await all.CountAsync(cancellationToken: cancellationToken));
                }
                catch (StoreUnavailableException)
                {
                    objects.WithLabels(name).Set(-1);
                }
            }
        });
    }

    public CollectorRegistry Registry { get; } = Prometheus.Metrics.NewCustomRegistry();

    public void Dispose()
    {
        _services.Value = null;
        // The routes' endpoints hold their handlers, and through them the whole server.
        _routes.Clear();
    }

    /// <summary>
    /// Whether a request names a resource PodStatus serves. Only those are counted: the path is the client's, and a
    /// series for every made-up resource would let anyone grow the server's memory.
    /// </summary>
    private static bool IsServed(ServedResources served, RequestAttributes request) =>
        served.Serves(request.ApiGroup, request.ApiVersion, request.Resource, request.Subresource)
        || (request.ApiGroup, request.ApiVersion, request.Resource, request.Subresource) is
            ("authorization.k8s.io", "v1", "selfsubjectaccessreviews", "") or ("authentication.k8s.io", "v1", "selfsubjectreviews", "");

    /// <summary>
    /// What is counted of a request: its route's series when it was routed, found once per route (every request a
    /// route answers names the same verb, resource and scope, a collection's GET one of list and watch); else read
    /// from its path. Null for a request not counted.
    /// </summary>
    public RequestSeries? SeriesOf(HttpContext context, ServedResources served)
    {
        var request = context.Request;
        var watch = HttpMethods.IsGet(request.Method) && QueryConversion.Bool(request.Query["watch"]);
        // Only a route of one method: any other method reaches it as the 405 routing answers, and the methods a
        // client can make up must not each add an entry.
        if (context.GetEndpoint() is { } endpoint &&
            endpoint.Metadata.GetMetadata<IHttpMethodMetadata>() is { HttpMethods: [var method] } &&
            string.Equals(method, request.Method, StringComparison.OrdinalIgnoreCase))
        {
            return _routes.GetOrAdd((endpoint, watch), static (_, state) => state.Metrics.NewSeries(state.Context, state.Served, kept: true),
                (Metrics: this, Context: context, Served: served));
        }

        return NewSeries(context, served, kept: false);
    }

    private RequestSeries? NewSeries(HttpContext context, ServedResources served, bool kept)
    {
        var request = RequestAttributes.Of(context);
        return request.IsResourceRequest && IsServed(served, request)
            ? new RequestSeries(this, request, request.Verb == "watch" ? served.KindOf(request.ApiGroup, request.Resource) : "", kept)
            : null;
    }

    /// <summary>The series a request's answer is counted in.</summary>
    private (Counter.Child Count, Histogram.Child? Duration) Series(RequestAttributes request, bool dryRun, int code) =>
        _series.GetOrAdd(new SeriesKey(request.Verb, request.ApiGroup, request.ApiVersion, request.Resource, request.Subresource, Scope(request), dryRun, code), _newSeries);

    /// <summary>A request's series, found once: prometheus-net builds a label set for each lookup.</summary>
    private (Counter.Child Count, Histogram.Child? Duration) Series(SeriesKey key)
    {
        var verb = MetricVerb(key.Verb);
        var dryRun = key.DryRun ? "All" : "";
        var count = _requests.WithLabels(verb, dryRun, key.Group, key.Version, key.Resource, key.Subresource, key.Scope, "apiserver",
            key.Code.ToString(CultureInfo.InvariantCulture));
        var duration = verb == "WATCH"
            ? null
            : _durations.WithLabels(verb, dryRun, key.Group, key.Version, key.Resource, key.Subresource, key.Scope, "apiserver");
        return (count, duration);
    }

    /// <summary>The verb as upstream's metrics name it: the HTTP method for writes, LIST and WATCH for collections.</summary>
    private static string MetricVerb(string verb) => verb switch
    {
        "get" => "GET",
        "list" => "LIST",
        "watch" => "WATCH",
        "create" => "POST",
        "update" => "PUT",
        "patch" => "PATCH",
        "delete" => "DELETE",
        "deletecollection" => "DELETECOLLECTION",
        _ => verb.ToUpperInvariant(),
    };

    private static string Scope(RequestAttributes request) =>
        request.Name.Length > 0 ? "resource" : request.Namespace.Length > 0 ? "namespace" : "cluster";

    private readonly record struct SeriesKey(string Verb, string Group, string Version, string Resource, string Subresource, string Scope, bool DryRun, int Code);

    private sealed class Decrement(Gauge.Child gauge) : IDisposable
    {
        public void Dispose() => gauge.Dec();
    }

    /// <summary>The series of one kind of request (a route's, or one read from a path), by answer; a route's,
    /// <paramref name="kept"/> for all its requests, remember each answer's series.</summary>
    public sealed class RequestSeries(ApiMetrics metrics, RequestAttributes request, string kind, bool kept)
    {
        private readonly ConcurrentDictionary<(bool DryRun, int Code), (Counter.Child Count, Histogram.Child? Duration)>? _byAnswer = kept ? new() : null;

        /// <summary>For a watch, counts it open until the returned scope is disposed; null for any other request.</summary>
        public IDisposable? Watching()
        {
            if (request.Verb != "watch")
            {
                return null;
            }

            var gauge = metrics._watchers.WithLabels(request.ApiGroup, request.ApiVersion, kind);
            gauge.Inc();
            return new Decrement(gauge);
        }

        /// <summary>Counts a request once it is answered.</summary>
        public void Observe(bool dryRun, int code, TimeSpan elapsed)
        {
            if (_byAnswer is null || !_byAnswer.TryGetValue((dryRun, code), out var series))
            {
                series = metrics.Series(request, dryRun, code);
                _byAnswer?.TryAdd((dryRun, code), series);
            }

            series.Count.Inc();
            series.Duration?.Observe(elapsed.TotalSeconds);
        }
    }
}

/// <summary>Times and counts every request to the API, and serves the metrics.</summary>
public static class RequestMetrics
{
    /// <summary><c>/metrics</c>; with authentication on, for users allowed <c>get</c> on it.</summary>
    public static IEndpointRouteBuilder MapApiMetrics(this IEndpointRouteBuilder app)
    {
        app.MapMetrics("/metrics", app.ServiceProvider.GetRequiredService<ApiMetrics>().Registry).ExcludeFromDescription();
        return app;
    }

    public static IApplicationBuilder UseRequestMetrics(this IApplicationBuilder app)
    {
        var metrics = app.ApplicationServices.GetRequiredService<ApiMetrics>();
        var served = app.ApplicationServices.GetRequiredService<ServedResources>();
        return app.Use(async (context, next) =>
        {
            if (metrics.SeriesOf(context, served) is not { } series)
            {
                await next(context);
                return;
            }

            var started = Stopwatch.GetTimestamp();
            using var watching = series.Watching();
            try
            {
                await next(context);
            }
            finally
            {
                var dryRun = context.Request.Query.ContainsKey("dryRun");
                series.Observe(dryRun, context.Response.StatusCode, Stopwatch.GetElapsedTime(started));
            }
        });
    }
}
