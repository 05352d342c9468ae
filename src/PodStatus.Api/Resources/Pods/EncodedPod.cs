using System.Buffers;
using CommunityToolkit.HighPerformance.Buffers;
using System.Text.Json;
using k8s.Models;
using PodStatus.Api.Selection;
using PodStatus.Api.Serialization;
using PodStatus.Api.Storage;

namespace PodStatus.Api.Resources.Pods;

/// <summary>
/// A pod in its stored form, which knows where its spec and status are: a status write reuses the stored spec
/// bytes without parsing them, and the metadata and status the last writes decoded are kept for the next.
/// Layout: <c>{"kind":"Pod","apiVersion":"v1","metadata":{...},"spec":{...},"status":{...}}</c>.
/// </summary>
public sealed class EncodedPod : EncodedObject
{
    /// <summary>Every encoded pod starts so; a list item is the same bytes without it.</summary>
    public static ReadOnlySpan<byte> TypePrefix => """{"kind":"Pod","apiVersion":"v1","""u8;

    private readonly Range _spec;
    private readonly Range _status;

    // The decoded metadata and status this encoding was made from. The next status write needs both, and keeping
    // them saves parsing them again (about a third of a write's work), but decoded objects take several times the
    // memory of their JSON, so only the most recently written pods keep them (see DecodedCache).
    private V1ObjectMeta? _metadata;
    private V1PodStatus? _decodedStatus;
    private uint _cacheSlot;

    private EncodedPod(byte[] utf8, string uid, ObjectKey key, int metadataEnd, Range spec, Range status, SelectableFields fields)
        : base(utf8, key, uid, TypePrefix.Length + MetadataProperty.Length, metadataEnd, fields)
    {
        _spec = spec;
        _status = status;
    }

    public ReadOnlySpan<byte> SpecJson => Utf8[_spec];

    public ReadOnlySpan<byte> StatusJson => Utf8[_status];

    /// <summary>The stored metadata, possibly shared: read it, never change it (DecodeMetadata gives a copy to change).</summary>
    public V1ObjectMeta Metadata => _metadata ?? DecodeMetadata();

    /// <summary>The stored status, possibly shared: read it, never change it.</summary>
    public V1PodStatus Status => _decodedStatus ?? DecodeStatus();

    /// <summary>
    /// Re-encodes with new metadata and status, keeping the spec bytes as they are (they come from an earlier
    /// encoding, so they are already canonical). The pod takes <paramref name="metadata"/> (its resourceVersion and
    /// selfLink are cleared) and <paramref name="status"/> over: they must not change afterwards.
    /// </summary>
    public EncodedPod WithStatus(V1ObjectMeta metadata, V1PodStatus status) =>
        Encode(metadata, Key, SpecJson, status, default, PodFields.WithStatus(Fields, metadata, status));

    /// <summary>Re-encodes with new metadata, keeping spec and status bytes as they are.</summary>
    public EncodedPod WithMetadata(V1ObjectMeta metadata) => Encode(metadata, Key, SpecJson, null, StatusJson, Fields.WithLabels(metadata.Labels));

    /// <summary>
    /// Serializes a pod under <paramref name="key"/> (its metadata's namespace and name). <paramref name="metadata"/>
    /// is owned by the encoding, which clears its resourceVersion and selfLink. Spec (and status, when given as JSON) are copied as they
    /// stand: they come from an earlier encoding, so they are already canonical.
    /// </summary>
    private static EncodedPod Encode(
        V1ObjectMeta metadata, ObjectKey key, ReadOnlySpan<byte> specJson, V1PodStatus? status, ReadOnlySpan<byte> statusJson, SelectableFields fields)
    {
        metadata.ResourceVersion = null;
        metadata.SelfLink = null;
        using var scratch = ScratchJson.Rent();
        var (buffer, writer) = scratch;
        var metadataEnd = WriteHead(buffer, writer, TypePrefix, metadata);

        buffer.Write(""","spec":"""u8);
        var specStart = buffer.WrittenCount;
        buffer.Write(specJson);
        var specEnd = buffer.WrittenCount;

        buffer.Write(""","status":"""u8);
        var statusStart = buffer.WrittenCount;
        if (status is null)
        {
            buffer.Write(statusJson);
        }
        else
        {
            writer.Reset();
            JsonSerializer.Serialize(writer, status, KubeJson.PodStatus);
            writer.Flush();
        }

        var statusEnd = buffer.WrittenCount;
        buffer.Write("}"u8);

        var pod = new EncodedPod(
            buffer.WrittenSpan.ToArray(),
            metadata.Uid ?? "",
            key,
            metadataEnd,
            specStart..specEnd,
            statusStart..statusEnd,
            fields);
        if (status is not null)
        {
            DecodedCache.Keep(pod, metadata, status);
        }

        return pod;
    }

    /// <summary>Serializes a pod; it takes <paramref name="metadata"/> and <paramref name="status"/> over.</summary>
    public static EncodedPod Encode(V1ObjectMeta metadata, V1PodSpec spec, V1PodStatus status) =>
        Encode(
            metadata,
            // Pods share a few namespaces: one string for each, not one per pod.
            new ObjectKey(StringPool.Shared.GetOrAdd(metadata.NamespaceProperty), metadata.Name),
            JsonSerializer.SerializeToUtf8Bytes(spec, KubeJson.Spec),
            status,
            default,
            PodFields.Of(metadata, spec, status));

    public static EncodedPod Encode(V1Pod pod) => Encode(pod.Metadata, pod.Spec ?? new V1PodSpec(), pod.Status ?? new V1PodStatus());

    /// <summary>A pod from its stored JSON (as etcd holds it), re-encoded as it is served.</summary>
    public static EncodedPod Decode(ReadOnlySpan<byte> stored)
    {
        var pod = JsonSerializer.Deserialize(stored, KubeJson.Pod);
        if (pod?.Metadata?.Name is null)
        {
            throw new InvalidDataException("a stored pod has no metadata.name");
        }

        var encoded = Encode(pod);
        // Read, not being written: its decoded forms need not stay cached.
        encoded.ReleaseDecoded();
        return encoded;
    }

    /// <summary>
    /// Bounds the memory decoded objects take: the last <see cref="Size"/> pods encoded keep theirs, and each new
    /// one takes the oldest's place. A pod written again and again (a kubelet's, a benchmark's) stays in it.
    /// </summary>
    private static class DecodedCache
    {
        private const int Size = 1024;
        private static readonly EncodedPod?[] Recent = new EncodedPod?[Size];
        private static uint _next;

        public static void Keep(EncodedPod pod, V1ObjectMeta metadata, V1PodStatus status)
        {
            pod._metadata = metadata;
            pod._decodedStatus = status;
            pod._cacheSlot = Interlocked.Increment(ref _next) % Size;
            if (Interlocked.Exchange(ref Recent[pod._cacheSlot], pod) is { } evicted)
            {
                Drop(evicted);
            }
        }

        public static void Release(EncodedPod pod)
        {
            Drop(pod);
            Interlocked.CompareExchange(ref Recent[pod._cacheSlot], null, pod);
        }

        private static void Drop(EncodedPod pod)
        {
            pod._metadata = null;
            pod._decodedStatus = null;
        }
    }

    public V1PodSpec DecodeSpec() => JsonSerializer.Deserialize(SpecJson, KubeJson.Spec)!;

    public V1PodStatus DecodeStatus() => JsonSerializer.Deserialize(StatusJson, KubeJson.PodStatus)!;

    /// <summary>The whole pod as objects, for paths that change the spec (rare next to status writes).</summary>
    public V1Pod Decode() => new()
    {
        ApiVersion = "v1",
        Kind = "Pod",
        Metadata = DecodeMetadata(),
        Spec = DecodeSpec(),
        Status = DecodeStatus(),
    };

    /// <summary>
    /// Drops the decoded metadata and status once this version is no longer stored (replaced, deleted, or never
    /// written), so the cache holds current versions only.
    /// </summary>
    public override void ReleaseDecoded() => DecodedCache.Release(this);
}
