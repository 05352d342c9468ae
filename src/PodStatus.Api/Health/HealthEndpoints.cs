using System.Text;
using PodStatus.Api.Storage;
using PodStatus.Api.Watch;

namespace PodStatus.Api.Health;

/// <summary>
/// kube-apiserver's health endpoints, for load balancers and orchestrators: <c>/livez</c> (the process serves),
/// <c>/readyz</c> and <c>/healthz</c> (it can serve pods: the store answers and the watch cache follows it). Each
/// answers <c>ok</c>, or 500 naming the failed check; <c>?verbose</c> lists every check, as upstream's do.
/// </summary>
public static class HealthEndpoints
{
    /// <summary>How long the store check waits for an answer.</summary>
    private static readonly TimeSpan StoreCheckTimeout = TimeSpan.FromSeconds(2);

    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapGet("/livez", (HttpRequest request) => Report("livez", request, [("ping", null)])).ExcludeFromDescription().AllowAnonymous();
        app.MapGet("/readyz", ReadinessAsync).ExcludeFromDescription().AllowAnonymous();
        app.MapGet("/healthz", ReadinessAsync).ExcludeFromDescription().AllowAnonymous();
        return app;
    }

    private static async Task<IResult> ReadinessAsync(HttpRequest request, IPodStore store, WatchCache cache)
    {
        var endpoint = request.Path.Value!.TrimStart('/');
        return Report(endpoint, request, [("ping", null), ("storage", await StoreProblemAsync(store)), ("watch-cache", cache.IsFollowing ? null : "not following the store")]);
    }

    private static async Task<string?> StoreProblemAsync(IPodStore store)
    {
        using var timeout = new CancellationTokenSource(StoreCheckTimeout);
        try
        {
            await store.RevisionAsync(timeout.Token);
            return null;
        }
        catch (Exception error) when (error is StoreUnavailableException or OperationCanceledException)
        {
            return error.Message;
        }
    }

    /// <summary>Upstream's report: <c>[+]name ok</c> or <c>[-]name failed: reason withheld</c> per check.</summary>
    private static IResult Report(string endpoint, HttpRequest request, IReadOnlyList<(string Name, string? Problem)> checks)
    {
        var healthy = checks.All(check => check.Problem is null);
        if (healthy && !request.Query.ContainsKey("verbose"))
        {
            return Results.Text("ok", "text/plain; charset=utf-8");
        }

        var report = new StringBuilder();
        foreach (var (name, problem) in checks)
        {
            report.Append(problem is null ? $"[+]{name} ok\n" : $"[-]{name} failed: reason withheld\n");
        }

        report.Append(healthy ? $"{endpoint} check passed\n" : $"{endpoint} check failed\n");
        return Results.Text(report.ToString(), "text/plain; charset=utf-8", statusCode: healthy ? 200 : 500);
    }
}
