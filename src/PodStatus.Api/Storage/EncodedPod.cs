using System.Buffers;
using CommunityToolkit.HighPerformance.Buffers;
using System.Text.Json;
using k8s.Models;
using PodStatus.Api.Serialization;

namespace PodStatus.Api.Storage;

/// <summary>
/// A pod in its stored form: the exact JSON that is served, minus <c>resourceVersion</c> and <c>selfLink</c>, which
/// depend on the write and the request and are spliced in when the pod is sent. Keeping pods serialized keeps
/// memory near their JSON size and lets a status write reuse the stored spec bytes without parsing them.
/// Layout: <c>{"kind":"Pod","apiVersion":"v1","metadata":{...},"spec":{...},"status":{...}}</c>.
/// </summary>
public sealed class EncodedPod
{
    /// <summary>Every encoded pod starts so; a list item is the same bytes without it.</summary>
    public static ReadOnlySpan<byte> TypePrefix => """{"kind":"Pod","apiVersion":"v1","""u8;

    private static ReadOnlySpan<byte> MetadataProperty => "\"metadata\":"u8;

    private readonly byte[] _utf8;
    private readonly int _metadataEnd;
    private readonly Range _spec;
    private readonly Range _status;

    // The decoded metadata and status this encoding was made from. The next status write needs both, and keeping
    // them saves parsing them again (about a third of a write's work), but decoded objects take several times the
    // memory of their JSON, so only the most recently written pods keep them (see DecodedCache).
    private V1ObjectMeta? _metadata;
    private V1PodStatus? _decodedStatus;
    private uint _cacheSlot;
    private readonly Guid _uidGuid;
    private readonly string? _uidText;

    private EncodedPod(byte[] utf8, string uid, PodKey key, int metadataEnd, Range spec, Range status, SelectableFields fields)
    {
        Fields = fields;
        _utf8 = utf8;
        // Uids are almost always canonical GUIDs: kept as one, they take 16 bytes instead of a 96-byte string.
        if (Guid.TryParseExact(uid, "D", out var guid) && guid.ToString("D") == uid)
        {
            _uidGuid = guid;
        }
        else
        {
            _uidText = uid;
        }

        Key = key;
        _metadataEnd = metadataEnd;
        _spec = spec;
        _status = status;
    }

    public PodKey Key { get; }

    public string Uid => _uidText ?? _uidGuid.ToString("D");

    /// <summary>Whether the pod's uid is <paramref name="uid"/>, without making a string of a GUID-kept one.</summary>
    public bool HasUid(string uid)
    {
        if (_uidText is not null)
        {
            return _uidText == uid;
        }

        Span<char> text = stackalloc char[36];
        return _uidGuid.TryFormat(text, out _, "D") && text.SequenceEqual(uid);
    }

    public ReadOnlySpan<byte> Utf8 => _utf8;

    /// <summary>The same bytes, for a store that sends them on (never changed).</summary>
    public ReadOnlyMemory<byte> Utf8Memory => _utf8;

    /// <summary>The JSON up to (not including) the closing brace of metadata, where per-response fields go.</summary>
    public ReadOnlySpan<byte> Head => _utf8.AsSpan(0, _metadataEnd);

    /// <summary>From the closing brace of metadata to the end.</summary>
    public ReadOnlySpan<byte> Tail => _utf8.AsSpan(_metadataEnd);

    public ReadOnlySpan<byte> SpecJson => _utf8.AsSpan()[_spec];

    public ReadOnlySpan<byte> StatusJson => _utf8.AsSpan()[_status];

    public int Length => _utf8.Length;

    /// <summary>The stored metadata, possibly shared: read it, never change it (<see cref="DecodeMetadata"/> gives a copy to change).</summary>
    public V1ObjectMeta Metadata => _metadata ?? DecodeMetadata();

    /// <summary>The stored status, possibly shared: read it, never change it.</summary>
    public V1PodStatus Status => _decodedStatus ?? DecodeStatus();

    /// <summary>The labels and the values field selectors match.</summary>
    public SelectableFields Fields { get; }

    /// <summary>
    /// Re-encodes with new metadata and status, keeping the spec bytes as they are (they come from an earlier
    /// encoding, so they are already canonical). The pod takes <paramref name="metadata"/> (its resourceVersion and
    /// selfLink are cleared) and <paramref name="status"/> over: they must not change afterwards.
    /// </summary>
    public EncodedPod WithStatus(V1ObjectMeta metadata, V1PodStatus status) =>
        Encode(metadata, Key, SpecJson, status, default, Fields.WithStatus(metadata, status));

    /// <summary>Re-encodes with new metadata, keeping spec and status bytes as they are.</summary>
    public EncodedPod WithMetadata(V1ObjectMeta metadata) => Encode(metadata, Key, SpecJson, null, StatusJson, Fields.WithLabels(metadata));

    /// <summary>
    /// Serializes a pod under <paramref name="key"/> (its metadata's namespace and name). <paramref name="metadata"/>
    /// is owned by the encoding, which clears its resourceVersion and selfLink. Spec (and status, when given as JSON) are copied as they
    /// stand: they come from an earlier encoding, so they are already canonical.
    /// </summary>
    private static EncodedPod Encode(
        V1ObjectMeta metadata, PodKey key, ReadOnlySpan<byte> specJson, V1PodStatus? status, ReadOnlySpan<byte> statusJson, SelectableFields fields)
    {
        metadata.ResourceVersion = null;
        metadata.SelfLink = null;
        var (buffer, writer) = Scratch.Rent();
        buffer.Write(TypePrefix);
        buffer.Write(MetadataProperty);
        JsonSerializer.Serialize(writer, metadata, KubeJson.Metadata);
        writer.Flush();
        var metadataEnd = buffer.WrittenCount - 1;

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
            new PodKey(StringPool.Shared.GetOrAdd(metadata.NamespaceProperty), metadata.Name),
            JsonSerializer.SerializeToUtf8Bytes(spec, KubeJson.Spec),
            status,
            default,
            SelectableFields.Of(metadata, spec, status));

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

    /// <summary>
    /// A per-thread buffer and writer for encoding, so a write allocates only the finished pod. Encoding never
    /// awaits, so the pair cannot be shared by two writes at once.
    /// </summary>
    private static class Scratch
    {
        [ThreadStatic]
        private static ArrayBufferWriter<byte>? _buffer;

        [ThreadStatic]
        private static Utf8JsonWriter? _writer;

        public static (ArrayBufferWriter<byte> Buffer, Utf8JsonWriter Writer) Rent()
        {
            var buffer = _buffer ??= new ArrayBufferWriter<byte>(16 * 1024);
            buffer.ResetWrittenCount();
            var writer = _writer ??= new Utf8JsonWriter(buffer, KubeJson.WriterOptions);
            writer.Reset(buffer);
            return (buffer, writer);
        }
    }

    public V1ObjectMeta DecodeMetadata()
    {
        var start = TypePrefix.Length + MetadataProperty.Length;
        return JsonSerializer.Deserialize(_utf8.AsSpan(start, _metadataEnd + 1 - start), KubeJson.Metadata)!;
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
    public void ReleaseDecoded() => DecodedCache.Release(this);

    /// <summary>Byte equality: upstream skips a write whose serialized object is unchanged.</summary>
    public bool SameContentAs(EncodedPod other) => _utf8.AsSpan().SequenceEqual(other._utf8);
}
