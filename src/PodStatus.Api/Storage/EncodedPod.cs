using System.Buffers;
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

    // The decoded metadata and status this encoding was made from: the next status write needs both, and
    // keeping them saves parsing them again on every write. They are shared, so they are never changed.
    private V1ObjectMeta? _metadata;
    private V1PodStatus? _decodedStatus;

    private EncodedPod(byte[] utf8, string uid, PodKey key, int metadataEnd, Range spec, Range status)
    {
        _utf8 = utf8;
        Uid = uid;
        Key = key;
        _metadataEnd = metadataEnd;
        _spec = spec;
        _status = status;
    }

    public PodKey Key { get; }

    public string Uid { get; }

    public ReadOnlySpan<byte> Utf8 => _utf8;

    /// <summary>The JSON up to (not including) the closing brace of metadata, where per-response fields go.</summary>
    public ReadOnlySpan<byte> Head => _utf8.AsSpan(0, _metadataEnd);

    /// <summary>From the closing brace of metadata to the end.</summary>
    public ReadOnlySpan<byte> Tail => _utf8.AsSpan(_metadataEnd);

    public ReadOnlySpan<byte> SpecJson => _utf8.AsSpan()[_spec];

    public ReadOnlySpan<byte> StatusJson => _utf8.AsSpan()[_status];

    public int Length => _utf8.Length;

    /// <summary>The stored metadata, decoded once. Shared: read it, never change it (<see cref="DecodeMetadata"/> gives a copy to change).</summary>
    public V1ObjectMeta Metadata => _metadata ??= DecodeMetadata();

    /// <summary>The stored status, decoded once. Shared: read it, never change it.</summary>
    public V1PodStatus Status => _decodedStatus ??= DecodeStatus();

    /// <summary>
    /// Serializes a pod with <paramref name="specJson"/> as it stands (it comes from an earlier encoding, so it is
    /// already canonical). The pod takes <paramref name="metadata"/> (which must carry name and namespace; its
    /// resourceVersion and selfLink are cleared) and <paramref name="status"/> over: they must not change afterwards.
    /// </summary>
    public static EncodedPod Encode(V1ObjectMeta metadata, ReadOnlySpan<byte> specJson, V1PodStatus status) =>
        Encode(metadata, specJson, status, default);

    /// <summary>Re-encodes with new metadata, keeping spec and status bytes as they are.</summary>
    public EncodedPod WithMetadata(V1ObjectMeta metadata)
    {
        var pod = Encode(metadata, SpecJson, null, StatusJson);
        pod._decodedStatus = _decodedStatus;
        return pod;
    }

    /// <summary>
    /// Serializes a pod. <paramref name="metadata"/> must carry name and namespace; it is owned by the encoding,
    /// which clears its resourceVersion and selfLink. Spec (and status, when given as JSON) are copied as they
    /// stand: they come from an earlier encoding, so they are already canonical.
    /// </summary>
    private static EncodedPod Encode(V1ObjectMeta metadata, ReadOnlySpan<byte> specJson, V1PodStatus? status, ReadOnlySpan<byte> statusJson)
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

        return new EncodedPod(
            buffer.WrittenSpan.ToArray(),
            metadata.Uid ?? "",
            new PodKey(metadata.NamespaceProperty, metadata.Name),
            metadataEnd,
            specStart..specEnd,
            statusStart..statusEnd)
        {
            _metadata = metadata,
            _decodedStatus = status,
        };
    }

    public static EncodedPod Encode(V1ObjectMeta metadata, V1PodSpec spec, V1PodStatus status) =>
        Encode(metadata, JsonSerializer.SerializeToUtf8Bytes(spec, KubeJson.Spec), status);

    public static EncodedPod Encode(V1Pod pod) => Encode(pod.Metadata, pod.Spec ?? new V1PodSpec(), pod.Status ?? new V1PodStatus());

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

    /// <summary>Byte equality: upstream skips a write whose serialized object is unchanged.</summary>
    public bool SameContentAs(EncodedPod other) => _utf8.AsSpan().SequenceEqual(other._utf8);
}
