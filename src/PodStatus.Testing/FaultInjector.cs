using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Http;
using PodStatus.Api.Errors;
using PodStatus.Api.Schema;
using PodStatus.Api.Security;
using PodStatus.Api.Watch;

namespace PodStatus.Testing;

/// <summary>
/// A request a fault may match: a write (create, update, patch, delete) or a watch, and what it names: the resource
/// (<c>pods</c>, <c>leases</c>) and its API group (empty for the core group).
/// </summary>
public sealed record FaultRequest(string Verb, string Namespace, string Name, string Subresource, string Resource = "pods", string Group = "");

/// <summary>
/// Faults on demand, for a client's retry paths: the next writes answer 409, 429, 500, 503 (or any code) with the
/// Status kube-apiserver would send, or are delayed; open watches are cut; the next watches get 410 Expired. Each
/// fault is used up by the requests it answers; the rest go through untouched.
/// </summary>
public sealed class FaultInjector
{
    private readonly Lock _lock = new();
    private readonly List<Fault> _faults = [];
    private readonly ConcurrentDictionary<HttpContext, byte> _watches = new();

    /// <summary>
    /// The next <paramref name="count"/> writes (to the object <paramref name="namespace"/>/<paramref name="name"/>
    /// when given, and matching <paramref name="match"/> when given) answer <paramref name="code"/> without being
    /// made: 409 is upstream's optimistic-lock Conflict, 429 TooManyRequests with Retry-After, 500 InternalError,
    /// 503 ServiceUnavailable.
    /// </summary>
    public void FailNextWrites(HttpStatusCode code, int count = 1, string? @namespace = null, string? name = null, Func<FaultRequest, bool>? match = null) =>
        Add(new Fault(count, Matcher(@namespace, name, match), code, null));

    /// <summary>The next <paramref name="count"/> matching writes wait <paramref name="delay"/> (real time) before they are served.</summary>
    public void DelayNextWrites(TimeSpan delay, int count = 1, string? @namespace = null, string? name = null, Func<FaultRequest, bool>? match = null) =>
        Add(new Fault(count, Matcher(@namespace, name, match), null, delay));

    /// <summary>The next <paramref name="count"/> watches get a 410 Expired error event at once, as a watch from a
    /// resourceVersion the server no longer keeps does: clients list again.</summary>
    public void ExpireNextWatches(int count = 1) => Add(new Fault(count, request => request.Verb == "watch", HttpStatusCode.Gone, null));

    /// <summary>Cuts every open watch (the connection drops, as when a server or a proxy goes away); returns how many.</summary>
    public int CutWatches()
    {
        var cut = 0;
        foreach (var watch in _watches.Keys)
        {
            watch.Abort();
            cut++;
        }

        return cut;
    }

    /// <summary>Faults not yet used up.</summary>
    public int Pending
    {
        get
        {
            lock (_lock)
            {
                return _faults.Sum(fault => fault.Remaining);
            }
        }
    }

    internal async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var attributes = RequestAttributes.Of(context);
        if (!attributes.IsResourceRequest || !(attributes.IsWrite || attributes.Verb == "watch"))
        {
            await next(context);
            return;
        }

        var request = new FaultRequest(attributes.Verb, attributes.Namespace, attributes.Name, attributes.Subresource, attributes.Resource, attributes.ApiGroup);
        var fault = Take(request);
        if (fault?.Delay is { } delay)
        {
            await Task.Delay(delay, context.RequestAborted);
        }
        else if (fault?.Code is { } code)
        {
            await AnswerAsync(context, request, code);
            return;
        }

        if (request.Verb != "watch")
        {
            await next(context);
            return;
        }

        _watches.TryAdd(context, 0);
        try
        {
            await next(context);
        }
        finally
        {
            _watches.TryRemove(context, out _);
        }
    }

    private static Task AnswerAsync(HttpContext context, FaultRequest request, HttpStatusCode code)
    {
        if (request.Verb == "watch")
        {
            // As upstream's watch cache answers a revision it no longer keeps: 200, then one ERROR event.
            context.Response.ContentType = "application/json";
            return context.Response.Body.WriteAsync(WatchResult.ErrorEvent(StatusErrors.WatchExpired(1, 2)), context.RequestAborted).AsTask();
        }

        var status = code switch
        {
            HttpStatusCode.Conflict => StatusErrors.ObjectModified(new GroupResource(request.Group, request.Resource), request.Name),
            HttpStatusCode.TooManyRequests => StatusErrors.TooManyRequests(retryAfterSeconds: 1),
            HttpStatusCode.InternalServerError => StatusErrors.InternalError("injected fault"),
            HttpStatusCode.ServiceUnavailable => StatusErrors.ServiceUnavailable("injected fault: the server is unavailable"),
            _ => new Status { Code = (int)code, Reason = code.ToString(), Message = $"injected fault: {(int)code} {code}" },
        };
        if (code == HttpStatusCode.TooManyRequests)
        {
            context.Response.Headers.RetryAfter = "1";
        }

        return StatusResult.WriteAsync(context.Response, status);
    }

    private void Add(Fault fault)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(fault.Remaining);
        lock (_lock)
        {
            _faults.Add(fault);
        }
    }

    private Fault? Take(FaultRequest request)
    {
        lock (_lock)
        {
            var fault = _faults.Find(fault => fault.Matches(request));
            if (fault is null)
            {
                return null;
            }

            if (--fault.Remaining == 0)
            {
                _faults.Remove(fault);
            }

            return fault;
        }
    }

    private static Func<FaultRequest, bool> Matcher(string? @namespace, string? name, Func<FaultRequest, bool>? match) => request =>
        request.Verb != "watch"
        && (@namespace is null || request.Namespace == @namespace)
        && (name is null || request.Name == name)
        && (match is null || match(request));

    private sealed class Fault(int remaining, Func<FaultRequest, bool> matches, HttpStatusCode? code, TimeSpan? delay)
    {
        public int Remaining { get; set; } = remaining;

        public HttpStatusCode? Code { get; } = code;

        public TimeSpan? Delay { get; } = delay;

        public bool Matches(FaultRequest request) => matches(request);
    }
}
