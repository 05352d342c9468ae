namespace PodStatus.Api.Storage;

/// <summary>An object as the store holds it at one revision.</summary>
public sealed record StoredObject(EncodedObject Object, long ResourceVersion)
{
    public ObjectKey Key => Object.Key;
}
