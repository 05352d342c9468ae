using Microsoft.AspNetCore.Diagnostics;

namespace PodStatus.Api.Errors;

/// <summary>
/// Where failures become responses: a <see cref="StatusException"/> is written as its Status; anything else is
/// logged and answered with a 500 InternalError Status that carries no stack trace. (The resource handlers answer
/// their own refusals the same way, before the exception reaches the middleware.)
/// </summary>
internal sealed partial class StatusExceptionHandler(ILogger<StatusExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var status = exception switch
        {
            StatusException known => known.Status,
            Storage.StoreUnavailableException unavailable => StatusErrors.ServiceUnavailable(unavailable.Message),
            BadHttpRequestException { StatusCode: 413 } => StatusErrors.RequestEntityTooLarge(Http.RequestBody.MaxBytes),
            BadHttpRequestException bad => StatusErrors.BadRequest(bad.Message),
            _ => null,
        };
        if (status is null)
        {
            Log.Unexpected(logger, httpContext.Request.Method, httpContext.Request.Path, exception);
            status = StatusErrors.InternalError("an unexpected error occurred; see the server log");
        }

        await StatusResult.WriteAsync(httpContext.Response, status);
        return true;
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Error, Message = "Unexpected failure serving {Method} {Path}")]
        public static partial void Unexpected(ILogger logger, string method, string path, Exception exception);
    }
}
