using Microsoft.Extensions.Options;
using PodStatus.Api.Errors;
using PodStatus.Api.Security;
using PodStatus.Api.Security.Rbac;

namespace PodStatus.Api.Audit;

/// <summary>
/// Records every write (create, update, patch, delete, deletecollection), allowed or not, once answered: upstream's
/// audit filter at level Metadata and stage ResponseComplete. One without valid credentials is recorded as
/// <c>system:anonymous</c> with its 401, so guessing at tokens shows in the log. Each response carries its
/// event's id in <c>Audit-Id</c> (a client's own <c>Audit-ID</c> is kept).
/// </summary>
public static class AuditRecording
{
    public static IServiceCollection AddAuditLog(this IServiceCollection services)
    {
        services.AddOptions<AuditOptions>().BindConfiguration(AuditOptions.Section)
            .Validate(o => o.LogPath is null or "" or "-" || CanAppend(o.LogPath),
                "Audit:LogPath must be a file this server may write, in a folder that exists, or - for standard output")
            .ValidateOnStart();
        services.AddSingleton<AuditLog>();
        services.AddHostedService(provider => provider.GetRequiredService<AuditLog>());
        return services;
    }

    private static bool CanAppend(string path)
    {
        try
        {
            using var file = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite);
            return true;
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return false;
        }
    }

    public static IApplicationBuilder UseAuditLog(this IApplicationBuilder app)
    {
        if (!app.ApplicationServices.GetRequiredService<IOptions<AuditOptions>>().Value.Enabled)
        {
            return app;
        }

        var log = app.ApplicationServices.GetRequiredService<AuditLog>();
        var clock = app.ApplicationServices.GetRequiredService<TimeProvider>();
        return app.Use(async (context, next) =>
        {
            var request = RequestAttributes.Of(context);
            if (!request.IsResourceRequest || !request.IsWrite)
            {
                await next(context);
                return;
            }

            var received = clock.GetUtcNow();
            var id = context.Request.Headers["Audit-ID"].ToString() is { Length: > 0 } given ? given : Guid.NewGuid().ToString();
            // When the response starts: an error's handler clears the headers set before.
            context.Response.OnStarting(() =>
            {
                context.Response.Headers["Audit-Id"] = id;
                return Task.CompletedTask;
            });
            try
            {
                await next(context);
            }
            finally
            {
                await log.RecordAsync(Event(context, request, id, received, clock.GetUtcNow()));
            }
        });
    }

    private static AuditEvent Event(HttpContext context, RequestAttributes request, string id, DateTimeOffset received, DateTimeOffset completed)
    {
        var user = KubeUser.From(context.User);
        var status = context.Features.Get<Status>();
        var decision = context.Features.Get<AuthorizationDecision>();
        var code = context.Response.StatusCode;
        return new AuditEvent(
            id,
            context.Request.Path + context.Request.QueryString,
            request.Verb,
            new AuditUser(user.Name, user.Uid.Length > 0 ? user.Uid : null, user.Groups),
            [context.Connection.RemoteIpAddress?.ToString() ?? "127.0.0.1"],
            context.Request.Headers.UserAgent.ToString() is { Length: > 0 } agent ? agent : null,
            new AuditObjectReference(request.Resource, Text(request.Namespace), Text(request.Name), Text(request.ApiGroup), request.ApiVersion, Text(request.Subresource)),
            status is not null && code >= 400 ? new AuditResponseStatus(code, "Failure", status.Message, status.Reason) : new AuditResponseStatus(code),
            AuditLog.MicroTime(received),
            AuditLog.MicroTime(completed),
            decision is { } made
                ? new Dictionary<string, string>
                {
                    ["authorization.k8s.io/decision"] = made.Allowed ? "allow" : "forbid",
                    ["authorization.k8s.io/reason"] = made.Reason,
                }
                : null);
    }

    private static string? Text(string value) => value.Length > 0 ? value : null;
}
