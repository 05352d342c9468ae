using CommunityToolkit.HighPerformance.Buffers;
using Google.Protobuf;

namespace PodStatus.Api.Storage.Etcd;

/// <summary>
/// Where one resource's objects live in etcd's key space, as kube-apiserver lays it out:
/// <c>{prefix}/{resource}/{namespace}/{name}</c>, or <c>{prefix}/{resource}/{name}</c> for a cluster-scoped one
/// (<c>/registry/pods/default/web</c>, <c>/registry/minions/node-1</c>). etcd orders keys byte-wise, so a namespace,
/// or the whole resource, is one contiguous range.
/// </summary>
internal sealed class EtcdKeys(string prefix, string resource)
{
    private readonly string _root = $"{prefix}/{resource}/";

    /// <summary>The key as upstream's errors name it (<c>/registry/pods/default/web</c>).</summary>
    public string Text(ObjectKey key) => _root + key;

    public ByteString Of(ObjectKey key) => ByteString.CopyFromUtf8(Text(key));

    /// <summary>The first key after <paramref name="key"/>: a page that ends at it goes on from here.</summary>
    public ByteString After(ObjectKey key) => ByteString.CopyFromUtf8($"{Text(key)}\0");

    /// <summary>The range of one namespace's objects, or of all the resource's.</summary>
    public (ByteString Start, ByteString End) Range(string? @namespace)
    {
        var start = string.IsNullOrEmpty(@namespace) ? _root : $"{_root}{@namespace}/";
        return (ByteString.CopyFromUtf8(start), ByteString.CopyFromUtf8(PrefixEnd(start)));
    }

    /// <summary>A key that holds no object: reading it tells etcd's current revision at the cost of a lookup.</summary>
    public ByteString Probe => ByteString.CopyFromUtf8(_root);

    public ObjectKey Parse(ByteString key)
    {
        var text = key.ToStringUtf8();
        if (!text.StartsWith(_root, StringComparison.Ordinal))
        {
            throw new InvalidDataException($"etcd key {text} is not under {_root}");
        }

        var slash = text.IndexOf('/', _root.Length);
        // Objects share a few namespaces: one string for each.
        return slash < 0
            ? ObjectKey.Cluster(text[_root.Length..])
            : new ObjectKey(StringPool.Shared.GetOrAdd(text.AsSpan(_root.Length, slash - _root.Length)), text[(slash + 1)..]);
    }

    /// <summary>The end of the range of keys that start with <paramref name="prefix"/> (its last character plus one).</summary>
    private static string PrefixEnd(string prefix) => string.Concat(prefix.AsSpan(0, prefix.Length - 1), ((char)(prefix[^1] + 1)).ToString());
}
