using System.Buffers;
using System.Text;
using System.Text.Json;
using k8s.Models;
using PodStatus.Api.Errors;

namespace PodStatus.Api.Serialization;

/// <summary>
/// A Pod sent in a request body. The top level is read by hand so a status write can skip the spec it would
/// throw away; metadata, spec and status are decoded by the source-generated serializer.
/// </summary>
public sealed class PodRequest
{
    public string? Kind { get; private init; }

    public string? ApiVersion { get; private init; }

    public V1ObjectMeta Metadata { get; private init; } = new();

    /// <summary>Null when absent, or when the caller asked to skip it.</summary>
    public V1PodSpec? Spec { get; private init; }

    public V1PodStatus? Status { get; private init; }

    /// <summary>Decodes a Pod, failing with upstream's 400 messages for malformed bodies and foreign kinds.</summary>
    public static PodRequest Parse(ReadOnlySequence<byte> json, bool readSpec)
    {
        PodRequest request;
        try
        {
            request = Read(json, readSpec);
        }
        catch (Exception error) when (error is JsonException or FormatException or OverflowException)
        {
            // The client library's converters report bad quantities and times as FormatException.
            throw DecodeError(json, error).AsException();
        }

        if (request.ApiVersion is { Length: > 0 } apiVersion && apiVersion != "v1")
        {
            throw StatusErrors.BadRequest(
                $"the API version in the data ({apiVersion}) does not match the expected API version (v1)").AsException();
        }

        if (request.Kind is { Length: > 0 } kind && kind != "Pod")
        {
            throw StatusErrors.BadRequest(
                $"{kind} in version \"v1\" cannot be handled as a Pod: converting (v1.{kind}) to (core.Pod): unknown conversion").AsException();
        }

        return request;
    }

    private static PodRequest Read(ReadOnlySequence<byte> json, bool readSpec)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = KubeJson.Options.MaxDepth });
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("expected a JSON object");
        }

        string? kind = null, apiVersion = null;
        V1ObjectMeta? metadata = null;
        V1PodSpec? spec = null;
        V1PodStatus? status = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.ValueSpan;
            var escaped = reader.ValueIsEscaped;
            reader.Read();
            if (escaped)
            {
                reader.Skip();
            }
            else if (name.SequenceEqual("metadata"u8))
            {
                metadata = JsonSerializer.Deserialize(ref reader, KubeJson.Metadata);
            }
            else if (name.SequenceEqual("status"u8))
            {
                status = JsonSerializer.Deserialize(ref reader, KubeJson.PodStatus);
            }
            else if (name.SequenceEqual("spec"u8) && readSpec)
            {
                spec = JsonSerializer.Deserialize(ref reader, KubeJson.Spec);
            }
            else if (name.SequenceEqual("kind"u8))
            {
                kind = ReadString(ref reader);
            }
            else if (name.SequenceEqual("apiVersion"u8))
            {
                apiVersion = ReadString(ref reader);
            }
            else
            {
                reader.Skip();
            }
        }

        if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
        {
            throw new JsonException("unexpected data after the top-level object");
        }

        return new PodRequest { Kind = kind, ApiVersion = apiVersion, Metadata = metadata ?? new V1ObjectMeta(), Spec = spec, Status = status };
    }

    private static string? ReadString(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.String => reader.GetString(),
        JsonTokenType.Null => null,
        _ => throw new JsonException($"cannot unmarshal {reader.TokenType} into a string"),
    };

    /// <summary>
    /// Upstream names the kind it found (<c>handlers/rest.go transformDecodeError</c>) when the body is valid JSON,
    /// and quotes the start of the body when it could not even find the kind.
    /// </summary>
    private static Status DecodeError(ReadOnlySequence<byte> json, Exception error)
    {
        var detail = error.Message;
        if (TryReadTypeMeta(json, out var kind, out var apiVersion))
        {
            // A valid document without kind is decoded as the default, v1 Pod.
            kind = string.IsNullOrEmpty(kind) ? "Pod" : kind;
            return StatusErrors.BadRequest($"{kind} in version \"{VersionOf(apiVersion)}\" cannot be handled as a Pod: {detail}");
        }

        var start = Encoding.UTF8.GetString(json.Slice(0, Math.Min(json.Length, 30)));
        return StatusErrors.BadRequest(
            $"the object provided is unrecognized (must be of type Pod): couldn't get version/kind; json parse error: {detail} ({start})");
    }

    private static string VersionOf(string? apiVersion) =>
        apiVersion is null ? "v1" : apiVersion[(apiVersion.IndexOf('/') + 1)..];

    private static bool TryReadTypeMeta(ReadOnlySequence<byte> json, out string? kind, out string? apiVersion)
    {
        kind = apiVersion = null;
        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return false;
            }

            if (document.RootElement.TryGetProperty("kind", out var k) && k.ValueKind == JsonValueKind.String)
            {
                kind = k.GetString();
            }

            if (document.RootElement.TryGetProperty("apiVersion", out var v) && v.ValueKind == JsonValueKind.String)
            {
                apiVersion = v.GetString();
            }

            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
