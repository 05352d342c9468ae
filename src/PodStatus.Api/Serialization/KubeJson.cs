using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using k8s;
using k8s.Models;
using PodStatus.Api.Errors;

namespace PodStatus.Api.Serialization;

/// <summary>
/// The one JSON configuration for HTTP, storage and watch, so the bytes stored are the bytes served.
/// Upstream wire rules: camelCase, nulls omitted, RFC 3339 times; metadata comes from source generation
/// (the client library's context for the k8s.Models types, ours for the Status shape).
/// </summary>
public static class KubeJson
{
    /// <summary>Escapes only what JSON requires (quotes as <c>\"</c>, UTF-8 kept), as Go's encoder does.</summary>
    public static readonly JavaScriptEncoder Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;

    /// <summary>For writers the serializer is handed, which use their own encoder rather than the options'.</summary>
    public static readonly JsonWriterOptions WriterOptions = new() { Encoder = Encoder };

    public static readonly JsonSerializerOptions Options = CreateOptions(strict: false);

    /// <summary>For documents read whole (unknown fields, patches): as deep as the serializer reads.</summary>
    public static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = Options.MaxDepth };

    /// <summary>For bodies read token by token: as deep as the serializer reads.</summary>
    public static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = Options.MaxDepth };

    public static readonly JsonTypeInfo<V1Pod> Pod = (JsonTypeInfo<V1Pod>)Options.GetTypeInfo(typeof(V1Pod));
    public static readonly JsonTypeInfo<V1ObjectMeta> Metadata = (JsonTypeInfo<V1ObjectMeta>)Options.GetTypeInfo(typeof(V1ObjectMeta));
    public static readonly JsonTypeInfo<V1PodSpec> Spec = (JsonTypeInfo<V1PodSpec>)Options.GetTypeInfo(typeof(V1PodSpec));
    public static readonly JsonTypeInfo<V1PodStatus> PodStatus = (JsonTypeInfo<V1PodStatus>)Options.GetTypeInfo(typeof(V1PodStatus));
    public static readonly JsonTypeInfo<V1DeleteOptions> DeleteOptions = (JsonTypeInfo<V1DeleteOptions>)Options.GetTypeInfo(typeof(V1DeleteOptions));
    public static readonly JsonTypeInfo<Status> Status = (JsonTypeInfo<Status>)Options.GetTypeInfo(typeof(Status));

    /// <summary>
    /// The same configuration, but a field the type does not have fails the decode (for <c>fieldValidation</c>).
    /// A class of its own so its metadata is built on the first write, not at start-up.
    /// </summary>
    public static class Strict
    {
        public static readonly JsonSerializerOptions Options = CreateOptions(strict: true);
        public static readonly JsonTypeInfo<V1ObjectMeta> Metadata = (JsonTypeInfo<V1ObjectMeta>)Options.GetTypeInfo(typeof(V1ObjectMeta));
        public static readonly JsonTypeInfo<V1PodSpec> Spec = (JsonTypeInfo<V1PodSpec>)Options.GetTypeInfo(typeof(V1PodSpec));
        public static readonly JsonTypeInfo<V1PodStatus> PodStatus = (JsonTypeInfo<V1PodStatus>)Options.GetTypeInfo(typeof(V1PodStatus));
    }

    private static JsonSerializerOptions CreateOptions(bool strict)
    {
        var options = new JsonSerializerOptions
        {
            TypeInfoResolver = JsonTypeInfoResolver.Combine(ErrorJsonContext.Default, SourceGenerationContext.Default),
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            // A 3 MiB pod can nest deeply (e.g. JSON in annotations does not count, but CRD-like specs do).
            MaxDepth = 128,
            Encoder = Encoder,
            UnmappedMemberHandling = strict ? JsonUnmappedMemberHandling.Disallow : JsonUnmappedMemberHandling.Skip,
        };
        options.Converters.Add(new KubernetesJson.Iso8601TimeSpanConverter());
        options.Converters.Add(new Rfc3339TimeConverter());
        options.Converters.Add(new GoZeroValueConverter());
        options.Converters.Add(new KubernetesJson.KubernetesDateTimeOffsetConverter());
        options.MakeReadOnly();
        return options;
    }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(Status))]
internal sealed partial class ErrorJsonContext : JsonSerializerContext;
