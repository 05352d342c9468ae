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
/// off. Watches (long-running) and health checks do not count. Upstream counts with a buffered channel used as a
/// semaphore; here each kind is one counter, taken and given back with an interlocked add, which costs a request no
/// allocation and no lock (System.Threading.RateLimiting's partitioned limiter cost both, on every request).
/// </summary>
internal static class RequestLimits
{
    public static IServiceCollection AddRequestLimits(this IServiceCollection services)
    {
        services.AddOptions<LimitsOptions>().BindConfiguration(LimitsOptions.Section)
            .Validate(o => o.MaxRequestsInFlight >= 0 && o.MaxMutatingRequestsInFlight >= 0, "Limits: the in-flight limits must be 0 (none) or positive")
            .ValidateOnStart();
        return services;
    }

    public static IApplicationBuilder UseRequestLimits(this IApplicationBuilder app)
    {
        var limits = app.ApplicationServices.GetRequiredService<IOptions<LimitsOptions>>().Value;
        if (limits is { MaxRequestsInFlight: 0, MaxMutatingRequestsInFlight: 0 })
        {
            // No limits: no middleware.
            return app;
        }

        var (readOnly, mutating) = (new InFlight(limits.MaxRequestsInFlight), new InFlight(limits.MaxMutatingRequestsInFlight));
        return app.Use(async (context, next) =>
        {
            var request = context.Request;
            var inFlight = IsLongRunningOrHealth(request) ? null : IsReadOnly(request) ? readOnly : mutating;
            if (inFlight is null || inFlight.Limit == 0)
            {
                await next(context);
                return;
            }

            if (!inFlight.TryEnter())
            {
                context.Response.Headers.RetryAfter = "1";
                await StatusResult.WriteAsync(context.Response, StatusErrors.TooManyRequests(retryAfterSeconds: 1));
                return;
            }

            try
            {
                await next(context);
            }
            finally
            {
                inFlight.Exit();
            }
        });
    }

    /// <summary>Requests of one kind being served, at most <see cref="Limit"/> (0: no limit) at once.</summary>
    private sealed class InFlight(int limit)
    {
        private int _count;

        public int Limit => limit;

        public bool TryEnter()
        {
            if (Interlocked.Increment(ref _count) <= limit)
            {
                return true;
            }

            Interlocked.Decrement(ref _count);
            return false;
        }

        public void Exit() => Interlocked.Decrement(ref _count);
    }

    private static bool IsReadOnly(HttpRequest request) =>
        HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method);

    private static bool IsLongRunningOrHealth(HttpRequest request) =>
        request.Path.StartsWithSegments("/livez") || request.Path.StartsWithSegments("/readyz") || request.Path.StartsWithSegments("/healthz")
        || (HttpMethods.IsGet(request.Method) && QueryConversion.Bool(request.Query["watch"]));
}
