using System.Text.Json.Serialization;

namespace PodStatus.Api.Simulation.Stages;

// KWOK's Stage (kwok.x-k8s.io/v1alpha1, pkg/apis/v1alpha1/stage_types.go) as it is written in a stage file. Read
// strictly: a field this server does not know (a newer KWOK's, or a typo) fails the load rather than being ignored.

public sealed record StageDocument(
    [property: JsonPropertyName("apiVersion")] string? ApiVersion,
    [property: JsonPropertyName("kind")] string? Kind,
    [property: JsonPropertyName("metadata")] StageMetadata? Metadata,
    [property: JsonPropertyName("spec")] StageSpec? Spec);

public sealed record StageMetadata(
    [property: JsonPropertyName("name")] string? Name,
    [property: JsonPropertyName("labels")] Dictionary<string, string>? Labels,
    [property: JsonPropertyName("annotations")] Dictionary<string, string>? Annotations);

public sealed record StageSpec(
    [property: JsonPropertyName("resourceRef")] StageResourceRef? ResourceRef,
    [property: JsonPropertyName("selector")] StageSelector? Selector,
    [property: JsonPropertyName("weight")] long? Weight,
    [property: JsonPropertyName("weightFrom")] ExpressionFrom? WeightFrom,
    [property: JsonPropertyName("delay")] StageDelay? Delay,
    [property: JsonPropertyName("next")] StageNext? Next,
    [property: JsonPropertyName("steps")] List<StageStepDocument>? Steps,
    [property: JsonPropertyName("immediateNextStage")] bool? ImmediateNextStage);

public sealed record StageResourceRef(
    [property: JsonPropertyName("apiGroup")] string? ApiGroup,
    [property: JsonPropertyName("kind")] string? Kind);

public sealed record StageSelector(
    [property: JsonPropertyName("matchLabels")] Dictionary<string, string>? MatchLabels,
    [property: JsonPropertyName("matchAnnotations")] Dictionary<string, string>? MatchAnnotations,
    [property: JsonPropertyName("matchExpressions")] List<SelectorRequirement>? MatchExpressions);

/// <summary>A jq requirement, written inline (deprecated) or under <c>jq</c>.</summary>
public sealed record SelectorRequirement(
    [property: JsonPropertyName("key")] string? Key,
    [property: JsonPropertyName("operator")] string? Operator,
    [property: JsonPropertyName("values")] List<string>? Values,
    [property: JsonPropertyName("jq")] SelectorRequirement? Jq);

/// <summary>A jq expression, written as <c>expressionFrom</c> (deprecated) or under <c>jq</c>.</summary>
public sealed record ExpressionFrom(
    [property: JsonPropertyName("expressionFrom")] string? Expression,
    [property: JsonPropertyName("jq")] JqExpression? Jq)
{
    public string? Query => Jq?.Expression ?? Expression;
}

public sealed record JqExpression([property: JsonPropertyName("expression")] string? Expression);

public sealed record StageDelay(
    [property: JsonPropertyName("durationMilliseconds")] long? DurationMilliseconds,
    [property: JsonPropertyName("durationFrom")] ExpressionFrom? DurationFrom,
    [property: JsonPropertyName("jitterDurationMilliseconds")] long? JitterDurationMilliseconds,
    [property: JsonPropertyName("jitterDurationFrom")] ExpressionFrom? JitterDurationFrom);

public sealed record StageNext(
    [property: JsonPropertyName("event")] StageEvent? Event,
    [property: JsonPropertyName("finalizers")] StageFinalizers? Finalizers,
    [property: JsonPropertyName("delete")] bool? Delete,
    [property: JsonPropertyName("patches")] List<StagePatch>? Patches,
    [property: JsonPropertyName("statusTemplate")] string? StatusTemplate);

/// <summary>One of v0.8's <c>steps</c>: each does one thing.</summary>
public sealed record StageStepDocument(
    [property: JsonPropertyName("patch")] StagePatch? Patch,
    [property: JsonPropertyName("event")] StageEvent? Event,
    [property: JsonPropertyName("finalizers")] StageFinalizers? Finalizers,
    [property: JsonPropertyName("delete")] bool? Delete);

public sealed record StageEvent(
    [property: JsonPropertyName("type")] string? Type,
    [property: JsonPropertyName("reason")] string? Reason,
    [property: JsonPropertyName("message")] string? Message);

public sealed record StageFinalizers(
    [property: JsonPropertyName("add")] List<FinalizerItem>? Add,
    [property: JsonPropertyName("remove")] List<FinalizerItem>? Remove,
    [property: JsonPropertyName("empty")] bool? Empty);

public sealed record FinalizerItem([property: JsonPropertyName("value")] string? Value);

public sealed record StagePatch(
    [property: JsonPropertyName("subresource")] string? Subresource,
    [property: JsonPropertyName("root")] string? Root,
    [property: JsonPropertyName("template")] string? Template,
    [property: JsonPropertyName("type")] string? Type);

/// <summary>The stage document's JSON metadata, made at build time: reading it needs no reflection.</summary>
[JsonSerializable(typeof(StageDocument))]
internal sealed partial class StageJson : JsonSerializerContext;
