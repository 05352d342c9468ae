namespace PodStatus.Api.Validation;

/// <summary>The <c>Validation</c> settings.</summary>
public sealed class ValidationOptions
{
    public const string Section = "Validation";

    /// <summary>
    /// Adds checks kube-apiserver does not make: status.phase and condition status must be values upstream
    /// defines, and a pod in a terminal phase may not leave it. Off by default, so PodStatus accepts what
    /// upstream accepts.
    /// </summary>
    public bool Strict { get; set; }
}
