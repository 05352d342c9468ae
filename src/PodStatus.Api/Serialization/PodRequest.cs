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
            using var document = JsonDocument.Parse(json, KubeJson.DocumentOptions);
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
        var reader = new Utf8JsonReader(json, KubeJson.ReaderOptions);
        if (reader.Read() && reader.TokenType == JsonTokenType.Null && !reader.Read())
        {
            return new PodRequest(); // Go decodes null into an empty Pod, which then fails the usual checks.
        }

        if (reader.TokenType != JsonTokenType.StartObject)
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
    /// Upstream's 400 for a body that does not decode (<c>handlers/rest.go transformDecodeError</c>), with Go's
    /// words for why: when even the kind cannot be read it quotes the start of the body; otherwise it names the kind.
    /// </summary>
    private static Status DecodeError(ReadOnlySequence<byte> json, Exception error)
    {
        var body = json.ToArray();
        var (kindUnread, detail) = GoJsonTypes.Explain(body, KubeJson.Pod, error.Message);
        if (kindUnread)
        {
            return Unrecognized(detail, body);
        }

        // A document without kind is decoded as the default, v1 Pod.
        using var document = JsonDocument.Parse(body, KubeJson.DocumentOptions);
        var kind = document.RootElement.TryGetProperty("kind", out var k) ? k.GetString() : null;
        var apiVersion = document.RootElement.TryGetProperty("apiVersion", out var v) ? v.GetString() : null;
        return StatusErrors.BadRequest($"{(string.IsNullOrEmpty(kind) ? "Pod" : kind)} in version \"{VersionOf(apiVersion)}\" cannot be handled as a Pod: {detail}");
    }

    /// <summary>Upstream's 400 when not even the kind can be read: a syntax error, or a YAML body that does not convert.</summary>
    public static Status Unrecognized(string detail, byte[] body) =>
        StatusErrors.BadRequest($"the object provided is unrecognized (must be of type Pod): {detail} ({Summary(body)})");

    /// <summary>Upstream's <c>summarizeData</c>: the first 30 bytes, as text when they start an object, else in hex.</summary>
    private static string Summary(byte[] body)
    {
        var start = body.AsSpan(0, Math.Min(body.Length, 30));
        var text = body.Length == 0 ? "<empty>" : body[0] == '{' ? Encoding.UTF8.GetString(start) : Convert.ToHexStringLower(start);
        return body.Length > 30 ? text + " ..." : text;
    }

    private static string VersionOf(string? apiVersion) =>
        apiVersion is null ? "v1" : apiVersion[(apiVersion.IndexOf('/') + 1)..];
}
