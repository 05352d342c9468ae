using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using k8s;
using k8s.Models;
using PodStatus.Api.Errors;
using PodStatus.Api.Schema;
using PodStatus.Api.Serialization;

namespace PodStatus.Api.Http;

/// <summary>
/// An object sent in a request body, decoded as kube-apiserver decodes it into the resource's type: upstream's 400
/// messages for malformed bodies and foreign kinds, and fields the type does not have dropped with a warning,
/// dropped silently, or rejected, as <c>fieldValidation</c> says. A status write's body skips its spec, which the
/// write throws away.
/// </summary>
public sealed class ObjectRequest<T>
    where T : class, IKubernetesObject<V1ObjectMeta>, new()
{
    private static readonly JsonTypeInfo<T> Lenient = KubeJson.TypeInfo<T>();
    private static readonly Lazy<(JsonTypeInfo<T> Strict, JsonTypeInfo<T> WithoutSpec, JsonTypeInfo<T> StrictWithoutSpec)> Others = new(() => (
        (JsonTypeInfo<T>)KubeJson.Strict.Options.GetTypeInfo(typeof(T)),
        (JsonTypeInfo<T>)KubeJson.WithoutSpec.Options.GetTypeInfo(typeof(T)),
        (JsonTypeInfo<T>)KubeJson.WithoutSpec.StrictOptions.GetTypeInfo(typeof(T))));

    private ObjectRequest(T value, IReadOnlyList<string> warnings)
    {
        Object = value;
        Warnings = warnings;
    }

    /// <summary>The object, with metadata (empty when the body had none).</summary>
    public T Object { get; }

    /// <summary>What the server tells the client about the body (unknown fields, under <c>fieldValidation=Warn</c>).</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>Decodes a body as an object of <paramref name="resource"/>.</summary>
    public static ObjectRequest<T> Parse(ReadOnlySequence<byte> json, ApiResource resource, FieldValidation validation, bool skipSpec = false)
    {
        ObjectRequest<T> request;
        try
        {
            // A strict decode costs what a lenient one does; only a body it rejects is looked at again.
            request = new(Read(json, skipSpec, strict: validation != FieldValidation.Ignore), []);
        }
        catch (Exception error) when (IsDecodeFailure(error))
        {
            request = validation == FieldValidation.Ignore
                ? throw DecodeError(json, resource, error).AsException()
                : ReadWithUnknownFields(json, resource, skipSpec, validation, error);
        }

        var value = request.Object;
        if (value.ApiVersion is { Length: > 0 } apiVersion && apiVersion != resource.GroupVersion)
        {
            throw StatusErrors.BadRequest(
                $"the API version in the data ({apiVersion}) does not match the expected API version ({resource.GroupVersion})").AsException();
        }

        if (value.Kind is { Length: > 0 } kind && kind != resource.Kind)
        {
            throw StatusErrors.BadRequest(
                $"{kind} in version \"{resource.Version}\" cannot be handled as a {resource.Kind}: converting ({resource.Version}.{kind}) to " +
                $"({InternalPackage(resource)}.{resource.Kind}): unknown conversion").AsException();
        }

        value.Metadata ??= new V1ObjectMeta();
        return request;
    }

    private static bool IsDecodeFailure(Exception error) =>
        // The client library's converters report bad times as FormatException, bad quantities as FormatException or
        // (an unknown suffix) ArgumentException.
        error is JsonException or FormatException or ArgumentException or OverflowException;

    /// <summary>The strict decode failed: decode leniently, then name the unknown fields (or fail as the strict decode did).</summary>
    private static ObjectRequest<T> ReadWithUnknownFields(
        ReadOnlySequence<byte> json, ApiResource resource, bool skipSpec, FieldValidation validation, Exception strictError)
    {
        T value;
        List<string> unknown;
        try
        {
            value = Read(json, skipSpec, strict: false);
            using var document = JsonDocument.Parse(json, KubeJson.DocumentOptions);
            unknown = UnknownFields.Find(document.RootElement, Lenient);
            if (skipSpec)
            {
                // The spec was not decoded, so its fields are not reported (a deviation the README names).
                unknown.RemoveAll(field => field.StartsWith("spec.", StringComparison.Ordinal));
            }
        }
        catch (Exception error) when (IsDecodeFailure(error))
        {
            throw DecodeError(json, resource, error).AsException();
        }

        if (unknown.Count == 0)
        {
            throw DecodeError(json, resource, strictError).AsException();
        }

        var messages = unknown.Select(field => $"unknown field \"{field}\"").ToList();
        if (validation == FieldValidation.Strict)
        {
            throw StatusErrors.BadRequest("strict decoding error: " + string.Join(", ", messages)).AsException();
        }

        return new ObjectRequest<T>(value, messages);
    }

    private static T Read(ReadOnlySequence<byte> json, bool skipSpec, bool strict)
    {
        var type = (strict, skipSpec) switch
        {
            (false, false) => Lenient,
            (true, false) => Others.Value.Strict,
            (false, true) => Others.Value.WithoutSpec,
            (true, true) => Others.Value.StrictWithoutSpec,
        };
        var reader = new Utf8JsonReader(json, KubeJson.ReaderOptions);
        if (!reader.Read())
        {
            throw new JsonException("unexpected end of JSON input");
        }

        if (reader.TokenType is not (JsonTokenType.StartObject or JsonTokenType.Null))
        {
            throw new JsonException("expected a JSON object");
        }

        // Go decodes null into an empty object, which then fails the usual checks.
        var value = JsonSerializer.Deserialize(ref reader, type) ?? new T();
        if (reader.Read())
        {
            throw new JsonException("unexpected data after the top-level object");
        }

        return value;
    }

    /// <summary>
    /// Upstream's 400 for a body that does not decode (<c>handlers/rest.go transformDecodeError</c>), with Go's
    /// words for why: when even the kind cannot be read it quotes the start of the body; otherwise it names the kind.
    /// </summary>
    private static Status DecodeError(ReadOnlySequence<byte> json, ApiResource resource, Exception error)
    {
        var body = json.ToArray();
        var (kindUnread, detail) = GoJsonTypes.Explain(body, Lenient, error.Message);
        if (kindUnread)
        {
            return Unrecognized(resource, detail, body);
        }

        // A document without kind is decoded as the resource's own kind.
        using var document = JsonDocument.Parse(body, KubeJson.DocumentOptions);
        var kind = document.RootElement.TryGetProperty("kind", out var k) ? k.GetString() : null;
        var apiVersion = document.RootElement.TryGetProperty("apiVersion", out var v) ? v.GetString() : null;
        var version = apiVersion is null ? resource.Version : apiVersion[(apiVersion.IndexOf('/') + 1)..];
        return StatusErrors.BadRequest($"{(string.IsNullOrEmpty(kind) ? resource.Kind : kind)} in version \"{version}\" cannot be handled as a {resource.Kind}: {detail}");
    }

    /// <summary>Upstream's 400 when not even the kind can be read: a syntax error, or a YAML body that does not convert.</summary>
    public static Status Unrecognized(ApiResource resource, string detail, byte[] body) =>
        StatusErrors.BadRequest($"the object provided is unrecognized (must be of type {resource.Kind}): {detail} ({Summary(body)})");

    /// <summary>Upstream's <c>summarizeData</c>: the first 30 bytes, as text when they start an object, else in hex.</summary>
    private static string Summary(byte[] body)
    {
        var start = body.AsSpan(0, Math.Min(body.Length, 30));
        var text = body.Length == 0 ? "<empty>" : body[0] == '{' ? Encoding.UTF8.GetString(start) : Convert.ToHexStringLower(start);
        return body.Length > 30 ? text + " ..." : text;
    }

    /// <summary>The Go package of the kind's internal type, as conversion errors name it: <c>core</c>, <c>coordination</c>.</summary>
    private static string InternalPackage(ApiResource resource) =>
        resource.Group.Length == 0 || resource.Group == "events.k8s.io" ? "core" : resource.Group.Split('.')[0];
}
