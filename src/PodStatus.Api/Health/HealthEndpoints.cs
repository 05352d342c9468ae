using System.Text;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using PodStatus.Api.Registry;
using PodStatus.Api.Storage;
using PodStatus.Api.Watch;

namespace PodStatus.Api.Health;

/// <summary>
/// kube-apiserver's health endpoints on ASP.NET Core's health checks, for load balancers and orchestrators:
/// <c>/livez</c> (the process serves), <c>/readyz</c> and <c>/healthz</c> (it can serve pods: the store answers and
/// the watch cache follows it). Each answers <c>ok</c>, or 500 with upstream's report naming the failed check;
/// <c>?verbose</c> lists every check, as upstream's do. Open to all, as upstream's system:public-info-viewer.
/// </summary>
public static class HealthEndpoints
{
    private const string Live = "livez";
    private const string Ready = "readyz";

    public static IServiceCollection AddPodStatusHealthChecks(this IServiceCollection services)
    {
        services.AddHealthChecks()
            .AddCheck("ping", () => HealthCheckResult.Healthy(), [Live, Ready])
            .AddCheck<StorageCheck>("storage", HealthStatus.Unhealthy, [Ready], TimeSpan.FromSeconds(2))
            .AddCheck<WatchCacheCheck>("watch-cache", HealthStatus.Unhealthy, [Ready]);
        return services;
    }

    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/livez", Options(Live, "livez")).AllowAnonymous();
        app.MapHealthChecks("/readyz", Options(Ready, "readyz")).AllowAnonymous();
        app.MapHealthChecks("/healthz", Options(Ready, "healthz")).AllowAnonymous();
        return app;
    }

    private static HealthCheckOptions Options(string tag, string endpoint) => new()
    {
        Predicate = check => check.Tags.Contains(tag),
        ResultStatusCodes = { [HealthStatus.Healthy] = 200, [HealthStatus.Degraded] = 200, [HealthStatus.Unhealthy] = 500 },
        ResponseWriter = (context, report) => WriteAsync(context, report, endpoint),
    };

    /// <summary>Upstream's report: <c>[+]name ok</c> or <c>[-]name failed: reason withheld</c> per check.</summary>
    private static Task WriteAsync(HttpContext context, HealthReport report, string endpoint)
    {
        context.Response.ContentType = "text/plain; charset=utf-8";
        var healthy = report.Status != HealthStatus.Unhealthy;
        if (healthy && !context.Request.Query.ContainsKey("verbose"))
        {
            return context.Response.WriteAsync("ok");
        }

        var text = new StringBuilder();
        foreach (var (name, entry) in report.Entries)
        {
            text.Append(entry.Status == HealthStatus.Unhealthy ? $"[-]{name} failed: reason withheld\n" : $"[+]{name} ok\n");
        }

        text.Append(healthy ? $"{endpoint} check passed\n" : $"{endpoint} check failed\n");
        return context.Response.WriteAsync(text.ToString());
    }

    /// <summary>The store answers (its newest revision) within the check's timeout.</summary>
    private sealed class StorageCheck(Registries registries) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            try
            {
                // Every store shares one storage (memory, or one etcd): asking one asks it.
                await registries.All[0].Store.RevisionAsync(cancellationToken);
                return HealthCheckResult.Healthy();
            }
            catch (StoreUnavailableException error)
            {
                return HealthCheckResult.Unhealthy(error.Message);
            }
        }
    }

    /// <summary>Every resource's watch cache follows its store.</summary>
    private sealed class WatchCacheCheck(WatchCaches caches) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
            Task.FromResult(caches.All.FirstOrDefault(cache => !cache.IsFollowing) is { } lost
                ? HealthCheckResult.Unhealthy($"the watch cache of {lost.Resource} is not following the store")
                : HealthCheckResult.Healthy());
    }
}
