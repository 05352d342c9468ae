namespace PodStatus.Api.Storage;

/// <summary>
/// Where a pod lives. Ordered as upstream's storage keys, <c>{namespace}/{name}</c> byte-wise, so every store lists
/// in etcd's order: "ns-a" comes before "ns", as '-' sorts before '/'. (Names are ASCII, so UTF-16 order is byte order.)
/// </summary>
public readonly record struct PodKey(string Namespace, string Name) : IComparable<PodKey>
{
    /// <summary>Namespaces in the order of their keys' prefixes, <c>{namespace}/</c>.</summary>
    public static readonly IComparer<string> NamespaceOrder = Comparer<string>.Create(CompareNamespaces);

    public int CompareTo(PodKey other)
    {
        var byNamespace = CompareNamespaces(Namespace, other.Namespace);
        return byNamespace != 0 ? byNamespace : string.CompareOrdinal(Name, other.Name);
    }

    /// <summary>Compares <c>a + "/"</c> with <c>b + "/"</c> without making either.</summary>
    private static int CompareNamespaces(string? a, string? b)
    {
        a ??= "";
        b ??= "";
        var common = Math.Min(a.Length, b.Length);
        var order = string.CompareOrdinal(a, 0, b, 0, common);
        if (order != 0 || a.Length == b.Length)
        {
            return order;
        }

        return a.Length < b.Length ? '/' - b[common] : a[common] - '/';
    }

    public override string ToString() => $"{Namespace}/{Name}";
}
