using CommunityToolkit.HighPerformance.Buffers;
using Google.Protobuf;

namespace PodStatus.Api.Storage.Etcd;

/// <summary>
/// Where pods live in etcd's key space, as kube-apiserver lays it out: <c>{prefix}/pods/{namespace}/{name}</c>.
/// etcd orders keys byte-wise, so a namespace, or all pods, is one contiguous range.
/// </summary>
internal sealed class EtcdKeys(string prefix)
{
    private readonly string _pods = prefix + "/pods/";

    public ByteString Of(PodKey key) => ByteString.CopyFromUtf8($"{_pods}{key.Namespace}/{key.Name}");

    /// <summary>The first key after <paramref name="key"/>: a page that ends at it goes on from here.</summary>
    public ByteString After(PodKey key) => ByteString.CopyFromUtf8($"{_pods}{key.Namespace}/{key.Name}\0");

    /// <summary>The range of one namespace's pods, or of all pods.</summary>
    public (ByteString Start, ByteString End) Range(string? @namespace)
    {
        var start = @namespace is null ? _pods : $"{_pods}{@namespace}/";
        return (ByteString.CopyFromUtf8(start), ByteString.CopyFromUtf8(PrefixEnd(start)));
    }

    /// <summary>A key that holds no pod: reading it tells etcd's current revision at the cost of a lookup.</summary>
    public ByteString Probe => ByteString.CopyFromUtf8(_pods);

    public PodKey Parse(ByteString key)
    {
        var text = key.ToStringUtf8();
        var slash = text.IndexOf('/', _pods.Length);
        if (!text.StartsWith(_pods, StringComparison.Ordinal) || slash < 0)
        {
            throw new InvalidDataException($"etcd key {text} is not a pod's");
        }

        // Pods share a few namespaces: one string for each.
        return new PodKey(StringPool.Shared.GetOrAdd(text.AsSpan(_pods.Length, slash - _pods.Length)), text[(slash + 1)..]);
    }

    /// <summary>The end of the range of keys that start with <paramref name="prefix"/> (its last character plus one).</summary>
    private static string PrefixEnd(string prefix) => string.Concat(prefix.AsSpan(0, prefix.Length - 1), ((char)(prefix[^1] + 1)).ToString());
}
