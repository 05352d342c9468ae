namespace PodStatus.Api.Storage;

/// <summary>A pod as the store holds it at one revision.</summary>
public sealed record StoredPod(EncodedPod Pod, long ResourceVersion)
{
    public PodKey Key => Pod.Key;
}
