namespace PodStatus.Api.Storage;

/// <summary>Where a pod lives. Ordered as upstream's storage keys: by namespace, then name, byte-wise.</summary>
public readonly record struct PodKey(string Namespace, string Name) : IComparable<PodKey>
{
    public int CompareTo(PodKey other)
    {
        var byNamespace = string.CompareOrdinal(Namespace, other.Namespace);
        return byNamespace != 0 ? byNamespace : string.CompareOrdinal(Name, other.Name);
    }

    public override string ToString() => $"{Namespace}/{Name}";
}
