using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using PodStatus.Api.Errors;
using PodStatus.Api.Serialization;

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
/// off. Watches (long-running) and health checks do not count. Built on ASP.NET Core's concurrency limiter.
/// </summary>
internal static class RequestLimits
{
    public static IServiceCollection AddRequestLimits(this IServiceCollection services)
    {
        services.AddOptions<LimitsOptions>().BindConfiguration(LimitsOptions.Section)
            .Validate(o => o.MaxRequestsInFlight >= 0 && o.MaxMutatingRequestsInFlight >= 0, "Limits: the in-flight limits must be 0 (none) or positive")
            .ValidateOnStart();
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<LimitsOptions>>((rates, limits) =>
        {
            rates.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context => PartitionOf(context.Request, limits.Value));
            rates.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            rates.OnRejected = (rejected, _) =>
            {
                rejected.HttpContext.Response.Headers.RetryAfter = "1";
                return new ValueTask(StatusResult.WriteAsync(rejected.HttpContext.Response, StatusErrors.TooManyRequests(retryAfterSeconds: 1)));
            };
        });
        return services;
    }

    private static RateLimitPartition<string> PartitionOf(HttpRequest request, LimitsOptions limits)
    {
        if (IsLongRunningOrHealth(request))
        {
            return RateLimitPartition.GetNoLimiter("exempt");
        }

        var readOnly = HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method);
        var (name, limit) = readOnly ? ("read-only", limits.MaxRequestsInFlight) : ("mutating", limits.MaxMutatingRequestsInFlight);
        return limit == 0
            ? RateLimitPartition.GetNoLimiter(name)
            : RateLimitPartition.GetConcurrencyLimiter(name, _ => new ConcurrencyLimiterOptions { PermitLimit = limit, QueueLimit = 0 });
    }

    private static bool IsLongRunningOrHealth(HttpRequest request) =>
        request.Path.StartsWithSegments("/livez") || request.Path.StartsWithSegments("/readyz") || request.Path.StartsWithSegments("/healthz")
        || (HttpMethods.IsGet(request.Method) && QueryConversion.Bool(request.Query["watch"]));
}
