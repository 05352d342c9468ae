using PodStatus.Api.Serialization;

namespace PodStatus.Api.Endpoints;

/// <summary>Reads the options and body of a write, and reports what the body carried that the server dropped.</summary>
internal static class WriteRequest
{
    public static async Task<(PodRequest Body, WriteOptions Options)> ReadPodAsync(
        HttpRequest request, string optionsKind, bool readSpec, CancellationToken cancellationToken)
    {
        var options = WriteOptions.Parse(request.Query, optionsKind);
        var body = await RequestBody.ReadAsync(
            request, json => PodRequest.Parse(json, readSpec, options.FieldValidation), PodRequest.Unrecognized, cancellationToken);
        AddWarnings(request.HttpContext.Response, body.Warnings);
        return (body, options);
    }

    /// <summary>
    /// Upstream's <c>Warning: 299 - "..."</c> headers, which kubectl prints as warnings. Upstream quotes with
    /// <c>strconv.Quote</c>; non-ASCII is escaped here (as <c>QuoteToASCII</c>) because HTTP header values are
    /// ASCII in Kestrel, and client-go's unquoting reads both the same.
    /// </summary>
    public static void AddWarnings(HttpResponse response, IReadOnlyList<string> warnings)
    {
        foreach (var warning in warnings)
        {
            response.Headers.Append("Warning", $"299 - {GoStrconv.QuoteToAscii(warning)}");
        }
    }
}
