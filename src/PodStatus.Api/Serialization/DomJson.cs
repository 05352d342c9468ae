using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace PodStatus.Api.Serialization;

/// <summary>
/// JSON metadata for the JSON DOM and plain strings, made at build time (as the client library's context is for the
/// models), so writing them needs no reflection: a Native AOT build has none to give.
/// </summary>
[JsonSerializable(typeof(JsonNode))]
[JsonSerializable(typeof(JsonObject))]
[JsonSerializable(typeof(JsonArray))]
[JsonSerializable(typeof(string))]
internal sealed partial class DomJson : JsonSerializerContext;
