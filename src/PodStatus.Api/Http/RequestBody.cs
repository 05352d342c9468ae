using System.Buffers;
using System.IO.Pipelines;
using Microsoft.Net.Http.Headers;
using PodStatus.Api.Errors;
using YamlDotNet.Core;
using PodStatus.Api.Serialization;

namespace PodStatus.Api.Http;

/// <summary>
/// Reads a PUT or POST body as kube-apiserver does: JSON or YAML only (415 otherwise), at most 3 MiB (413).
/// The JSON is handed to the caller straight from the request pipe, without a copy.
/// </summary>
public static class RequestBody
{
    /// <summary>kube-apiserver's request body limit (<c>MaxRequestBodyBytes</c>).</summary>
    public const long MaxBytes = 3 * 1024 * 1024;

    public static readonly string[] AcceptedMediaTypes = ["application/json", "application/yaml"];

    /// <summary>
    /// Reads the body and passes its JSON to <paramref name="parse"/>, which must not keep it. A YAML body that does
    /// not convert fails with <paramref name="yamlError"/> of go-yaml's message and the body. An empty body is passed
    /// as empty JSON when <paramref name="emptyIsNone"/> (a DELETE's, whose options then come from the query), else
    /// as its type converts it (empty YAML is <c>null</c>).
    /// </summary>
    public static async ValueTask<T> ReadAsync<T>(
        HttpRequest request, Func<ReadOnlySequence<byte>, T> parse, Func<string, byte[], Status> yamlError, CancellationToken cancellationToken,
        bool emptyIsNone = false)
    {
        var isYaml = IsYaml(request.ContentType);
        if (request.ContentLength > MaxBytes)
        {
            throw StatusErrors.RequestEntityTooLarge(MaxBytes).AsException();
        }

        var pipe = request.BodyReader;
        var result = await ReadToEndAsync(pipe, cancellationToken);
        try
        {
            if (!isYaml || (emptyIsNone && result.Buffer.IsEmpty))
            {
                return parse(GoJsonText.Repair(result.Buffer));
            }

            return parse(new ReadOnlySequence<byte>(ConvertYaml(result.Buffer, yamlError)));
        }
        finally
        {
            pipe.AdvanceTo(result.Buffer.End);
        }
    }

    /// <summary>Reads a PATCH body whole, repaired as Go reads JSON (its Content-Type names the patch type, so it is not checked here).</summary>
    public static async ValueTask<byte[]> ReadBytesAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBytes)
        {
            throw StatusErrors.RequestEntityTooLarge(MaxBytes).AsException();
        }

        var pipe = request.BodyReader;
        var result = await ReadToEndAsync(pipe, cancellationToken);
        var bytes = result.Buffer.ToArray();
        pipe.AdvanceTo(result.Buffer.End);
        return GoJsonText.Repair(bytes);
    }

    /// <summary>True for YAML, false for JSON; 415 for anything else. No Content-Type means JSON, as upstream.</summary>
    public static bool IsYaml(string? contentType)
    {
        // What almost every client sends (kubectl and client-go the first, .NET's HttpClient the second), decided
        // without parsing the header.
        if (string.IsNullOrEmpty(contentType) || contentType.Equals("application/json", StringComparison.OrdinalIgnoreCase) ||
            contentType.Equals("application/json; charset=utf-8", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        if (MediaTypeHeaderValue.TryParse(contentType, out var parsed))
        {
            if (parsed.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }

            if (parsed.MediaType.Equals("application/yaml", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        throw StatusErrors.UnsupportedMediaType(AcceptedMediaTypes).AsException();
    }

    private static async ValueTask<ReadResult> ReadToEndAsync(PipeReader pipe, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await pipe.ReadAsync(cancellationToken);
            if (result.Buffer.Length > MaxBytes)
            {
                pipe.AdvanceTo(result.Buffer.End);
                throw StatusErrors.RequestEntityTooLarge(MaxBytes).AsException();
            }

            if (result.IsCompleted)
            {
                return result;
            }

            pipe.AdvanceTo(result.Buffer.Start, result.Buffer.End);
        }
    }

    private static byte[] ConvertYaml(ReadOnlySequence<byte> yaml, Func<string, byte[], Status> yamlError)
    {
        var body = yaml.ToArray();
        try
        {
            return YamlToJson.Convert(body);
        }
        catch (YamlException error)
        {
            throw yamlError(error.Message, body).AsException();
        }
    }
}
