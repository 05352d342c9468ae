namespace PodStatus.Api.Storage;

/// <summary>
/// Where an object lives within its resource: its namespace (empty for a cluster-scoped resource) and name. Ordered
/// as upstream's storage keys, <c>{namespace}/{name}</c> byte-wise, so every store lists in etcd's order: "ns-a"
/// comes before "ns", as '-' sorts before '/'. (Names are ASCII, so UTF-16 order is byte order.)
/// </summary>
public readonly record struct ObjectKey(string Namespace, string Name) : IComparable<ObjectKey>
{
    /// <summary>Namespaces in the order of their keys' prefixes, <c>{namespace}/</c>.</summary>
    public static readonly IComparer<string> NamespaceOrder = Comparer<string>.Create(CompareNamespaces);

    /// <summary>The key of a cluster-scoped object.</summary>
    public static ObjectKey Cluster(string name) => new("", name);

    public int CompareTo(ObjectKey other)
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

    /// <summary>The key as upstream writes it below the resource's prefix: <c>namespace/name</c>, or <c>name</c>.</summary>
    public override string ToString() => Namespace.Length == 0 ? Name : $"{Namespace}/{Name}";
}
