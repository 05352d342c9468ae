using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using PodStatus.Api.Serialization;

namespace PodStatus.Api.Errors;

/// <summary>The Status shape's JSON metadata, source-generated, in the one JSON configuration's wire rules.</summary>
public static class StatusJson
{
    public static readonly JsonTypeInfo<Status> TypeInfo = (JsonTypeInfo<Status>)new JsonSerializerOptions(KubeJson.Options)
    {
        TypeInfoResolver = StatusJsonContext.Default,
    }.GetTypeInfo(typeof(Status));

    /// <summary>The Status as one line of JSON.</summary>
    public static byte[] Serialize(Status status) => JsonSerializer.SerializeToUtf8Bytes(status, TypeInfo);
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(Status))]
internal sealed partial class StatusJsonContext : JsonSerializerContext;
