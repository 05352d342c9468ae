using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using PodStatus.Api.Errors;
using PodStatus.Api.Http;

namespace PodStatus.Api.Hosting;

/// <summary>The <c>Limits</c> settings: kube-apiserver's <c>--max-requests-inflight</c> and <c>--max-mutating-requests-inflight</c>.</summary>
public sealed class LimitsOptions
{
    public const string Section = "Limits";

    /// <summary>Read-only requests served at once (GET, HEAD, OPTIONS); 0 for no limit.</summary>
    public int MaxRequestsInFlight { get; set; } = 400;

    /// <summary>Writes served at once (POST, PUT, PATCH, DELETE); 0 for no limit.</summary>
    public int MaxMutatingRequestsInFlight { get; set; } = 200;
}

/// <summary>
/// Max-in-flight, as kube-apiserver's filter: read-only requests and writes each have a number that may be served
/// at once, and a request beyond it is refused at once (no queue) with 429 and <c>Retry-After: 1</c>, so clients back
/// off. Watches (long-running) and health checks do not count. Built on System.Threading.RateLimiting's concurrency
/// limiters, partitioned; ASP.NET Core's rate-limiting middleware is not used because it keeps a limiter of its own,
/// with a timer, that it never disposes, which holds every server started in a process (as tests start many) for good.
/// </summary>
internal static class RequestLimits
{
    public static IServiceCollection AddRequestLimits(this IServiceCollection services)
    {
        services.AddOptions<LimitsOptions>().BindConfiguration(LimitsOptions.Section)
            .Validate(o => o.MaxRequestsInFlight >= 0 && o.MaxMutatingRequestsInFlight >= 0, "Limits: the in-flight limits must be 0 (none) or positive")
            .ValidateOnStart();
        // A service, so the limiter (and the timer it keeps to clean up partitions) goes when the server does.
        services.AddSingleton(provider =>
        {
            // The partitions are made once: a partition made per request would allocate its factories every time.
            var limits = provider.GetRequiredService<IOptions<LimitsOptions>>().Value;
            var exempt = RateLimitPartition.GetNoLimiter("exempt");
            var readOnly = Partition("read-only", limits.MaxRequestsInFlight);
            var mutating = Partition("mutating", limits.MaxMutatingRequestsInFlight);
            return PartitionedRateLimiter.Create<HttpContext, string>(context =>
                IsLongRunningOrHealth(context.Request) ? exempt : IsReadOnly(context.Request) ? readOnly : mutating);
        });
        return services;
    }

    public static IApplicationBuilder UseRequestLimits(this IApplicationBuilder app)
    {
        var limiter = app.ApplicationServices.GetRequiredService<PartitionedRateLimiter<HttpContext>>();
        return app.Use(async (context, next) =>
        {
            using var lease = limiter.AttemptAcquire(context);
            if (!lease.IsAcquired)
            {
                context.Response.Headers.RetryAfter = "1";
                await StatusResult.WriteAsync(context.Response, StatusErrors.TooManyRequests(retryAfterSeconds: 1));
                return;
            }

            await next(context);
        });
    }

    /// <summary>A partition of <paramref name="limit"/> requests at a time (0: no limit), refusing rather than queueing.</summary>
    private static RateLimitPartition<string> Partition(string name, int limit) => limit == 0
        ? RateLimitPartition.GetNoLimiter(name)
        : RateLimitPartition.GetConcurrencyLimiter(name, _ => new ConcurrencyLimiterOptions { PermitLimit = limit, QueueLimit = 0 });

    private static bool IsReadOnly(HttpRequest request) =>
        HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method);

    private static bool IsLongRunningOrHealth(HttpRequest request) =>
        request.Path.StartsWithSegments("/livez") || request.Path.StartsWithSegments("/readyz") || request.Path.StartsWithSegments("/healthz")
        || (HttpMethods.IsGet(request.Method) && QueryConversion.Bool(request.Query["watch"]));
}
