using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using PodStatus.Api.Audit;
using PodStatus.Api.Simulation.Stages;

namespace PodStatus.Api.Serialization;

/// <summary>
/// JSON metadata for PodStatus's own types and the JSON DOM, made at build time as the client library's context is
/// for the models: no serializer call depends on reflection (see <c>KubeJson</c> for the models).
/// </summary>
[JsonSerializable(typeof(AuditEvent))]
[JsonSerializable(typeof(StageDocument))]
[JsonSerializable(typeof(JsonNode))]
[JsonSerializable(typeof(JsonObject))]
[JsonSerializable(typeof(JsonArray))]
[JsonSerializable(typeof(string))]
internal sealed partial class OwnJson : JsonSerializerContext;
