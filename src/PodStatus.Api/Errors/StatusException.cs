namespace PodStatus.Api.Errors;

/// <summary>Carries a Kubernetes Status from wherever a request fails to the one place that writes it.</summary>
public sealed class StatusException(Status status) : Exception(status.Message)
{
    public Status Status { get; } = status;
}
