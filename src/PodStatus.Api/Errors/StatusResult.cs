using System.Text.Json;

namespace PodStatus.Api.Errors;

/// <summary>Writes a Status with its code as the HTTP status.</summary>
public sealed class StatusResult(Status status) : IResult
{
    public Status Status { get; } = status;

    public Task ExecuteAsync(HttpContext httpContext) => WriteAsync(httpContext.Response, Status);

    public static Task WriteAsync(HttpResponse response, Status status)
    {
        // Kept with the request, for the audit log's responseStatus.
        response.HttpContext.Features.Set(status);
        response.StatusCode = status.Code;
        response.ContentType = "application/json";
        return JsonSerializer.SerializeAsync(response.Body, status, StatusJson.TypeInfo, response.HttpContext.RequestAborted);
    }
}
