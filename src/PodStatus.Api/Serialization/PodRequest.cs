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

    /// <summary>What the server tells the client about the body (unknown fields, under <c>fieldValidation=Warn</c>).</summary>
    public IReadOnlyList<string> Warnings { get; private init; } = [];

    /// <summary>
    /// Decodes a Pod, failing with upstream's 400 messages for malformed bodies and foreign kinds. Fields the Pod
    /// type does not have are dropped with a warning, dropped silently, or rejected, as <paramref name="validation"/> says.
    /// </summary>
    public static PodRequest Parse(ReadOnlySequence<byte> json, bool readSpec, FieldValidation validation = FieldValidation.Warn)
    {
        PodRequest request;
        try
        {
            // A strict decode costs what a lenient one does; only a body it rejects is looked at again.
            request = Read(json, readSpec, strict: validation != FieldValidation.Ignore);
        }
        catch (Exception error) when (IsDecodeFailure(error))
        {
            request = validation == FieldValidation.Ignore ? throw DecodeError(json, error).AsException() : ReadWithUnknownFields(json, readSpec, validation, error);
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

    private static bool IsDecodeFailure(Exception error) =>
        // The client library's converters report bad quantities and times as FormatException.
        error is JsonException or FormatException or OverflowException;

    /// <summary>The strict decode failed: decode leniently, then name the unknown fields (or fail as the strict decode did).</summary>
    private static PodRequest ReadWithUnknownFields(ReadOnlySequence<byte> json, bool readSpec, FieldValidation validation, Exception strictError)
    {
        PodRequest request;
        List<string> unknown;
        try
        {
            request = Read(json, readSpec, strict: false);
            using var document = JsonDocument.Parse(json);
            unknown = UnknownFields.Find(document.RootElement);
        }
        catch (Exception error) when (IsDecodeFailure(error))
        {
            throw DecodeError(json, error).AsException();
        }

        if (unknown.Count == 0)
        {
            throw DecodeError(json, strictError).AsException();
        }

        var messages = unknown.Select(field => $"unknown field \"{field}\"").ToList();
        if (validation == FieldValidation.Strict)
        {
            throw StatusErrors.BadRequest("strict decoding error: " + string.Join(", ", messages)).AsException();
        }

        return new PodRequest
        {
            Kind = request.Kind,
            ApiVersion = request.ApiVersion,
            Metadata = request.Metadata,
            Spec = request.Spec,
            Status = request.Status,
            Warnings = messages,
        };
    }

    private static PodRequest Read(ReadOnlySequence<byte> json, bool readSpec, bool strict)
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
                metadata = JsonSerializer.Deserialize(ref reader, strict ? KubeJson.Strict.Metadata : KubeJson.Metadata);
            }
            else if (name.SequenceEqual("status"u8))
            {
                status = JsonSerializer.Deserialize(ref reader, strict ? KubeJson.Strict.PodStatus : KubeJson.PodStatus);
            }
            else if (name.SequenceEqual("spec"u8) && readSpec)
            {
                spec = JsonSerializer.Deserialize(ref reader, strict ? KubeJson.Strict.Spec : KubeJson.Spec);
            }
            else if (name.SequenceEqual("kind"u8))
            {
                kind = ReadString(ref reader);
            }
            else if (name.SequenceEqual("apiVersion"u8))
            {
                apiVersion = ReadString(ref reader);
            }
            else if (strict && !name.SequenceEqual("spec"u8))
            {
                throw new JsonException("unknown field");
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
