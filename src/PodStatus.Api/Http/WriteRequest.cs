using k8s;
using k8s.Models;
using PodStatus.Api.Errors;
using PodStatus.Api.Schema;
using PodStatus.Api.Serialization;

namespace PodStatus.Api.Http;

/// <summary>Reads the options and body of a write, and reports what the body carried that the server dropped.</summary>
public static class WriteRequest
{
    /// <summary>
    /// The query options (of <paramref name="optionsKind"/>: <c>CreateOptions</c>, <c>UpdateOptions</c>) and the body as
    /// an object of <paramref name="resource"/>; a status write (<paramref name="skipSpec"/>) does not decode the spec.
    /// </summary>
    public static async ValueTask<(T Body, WriteOptions Options)> ReadObjectAsync<T>(
        HttpRequest request, ApiResource resource, string optionsKind, bool skipSpec, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>, new()
    {
        var options = WriteOptions.Parse(request.Query, optionsKind);
        if (KubeProtobuf.IsProtobuf(request.ContentType) && KubeProtobuf.ReaderFor<T>() is { } readProtobuf)
        {
            return (ReadProtobuf(readProtobuf, await RequestBody.ReadBytesAsync(request, cancellationToken), resource), options);
        }

        var body = await RequestBody.ReadAsync(
            request,
            json => ObjectRequest<T>.Parse(json, resource, options.FieldValidation, skipSpec),
            (detail, bytes) => ObjectRequest<T>.Unrecognized(resource, detail, bytes),
            cancellationToken);
        AddWarnings(request.HttpContext.Response, body.Warnings);
        return (body.Object, options);
    }

    /// <summary>A body kubectl's typed client sent in protobuf; one that does not decode is upstream's 400.</summary>
    private static T ReadProtobuf<T>(Func<byte[], T> read, byte[] body, ApiResource resource)
    {
        try
        {
            return read(body);
        }
        catch (Exception error) when (error is Google.Protobuf.InvalidProtocolBufferException or FormatException)
        {
            throw StatusErrors.BadRequest($"the object provided is unrecognized (must be of type {resource.Kind}): {error.Message}").AsException();
        }
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
