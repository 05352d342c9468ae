using System.Text.Json.Serialization;

namespace PodStatus.Api.Errors;

/// <summary>
/// A Kubernetes <c>meta/v1 Status</c> failure: the one error shape on every <c>/api</c> route, because kubectl
/// and the official clients parse <c>kind: Status</c>. Properties are declared in upstream's key order.
/// </summary>
public sealed class Status
{
    public string Kind => "Status";
    public string ApiVersion => "v1";
    public StatusMetadata Metadata { get; init; } = new();
    [JsonPropertyName("status")]
    public string Outcome => "Failure";
    public required string Message { get; init; }
    public string? Reason { get; init; }
    public StatusDetails? Details { get; init; }
    public required int Code { get; init; }
}

/// <summary>Serialized as <c>{}</c>, as upstream does for errors, except for an expired list's new continue token.</summary>
public sealed class StatusMetadata
{
    public string? Continue { get; init; }
}

public sealed class StatusDetails
{
    public string? Name { get; init; }
    public string? Group { get; init; }
    public string? Kind { get; init; }
    public string? Uid { get; init; }
    public IReadOnlyList<StatusCause>? Causes { get; init; }
    public int? RetryAfterSeconds { get; init; }
}

public sealed record StatusCause(string? Reason, string Message, string? Field);
