using System.Buffers;
using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using k8s;
using k8s.Models;
using PodStatus.Api.Selection;
using PodStatus.Api.Serialization;

namespace PodStatus.Api.Storage;

/// <summary>
/// An object in its stored form: the exact JSON that is served, minus <c>resourceVersion</c> and <c>selfLink</c>,
/// which depend on the write and the request and are spliced in when it is sent. Keeping objects serialized keeps
/// memory near their JSON size, and a read or a watch event is a copy of bytes, not a serialization. Layout:
/// <c>{"kind":...,"apiVersion":...,"metadata":{...},...}</c>: the type, then metadata, then the rest of the object.
/// Beside the bytes are the object's key, uid, labels and selectable fields, so selectors filter without decoding.
/// </summary>
public class EncodedObject
{
    protected static ReadOnlySpan<byte> MetadataProperty => "\"metadata\":"u8;

    private readonly byte[] _utf8;
    private readonly int _metadataStart;
    private readonly int _metadataEnd;
    private readonly Guid _uidGuid;
    private readonly string? _uidText;

    /// <param name="utf8">The object's JSON, in the layout above.</param>
    /// <param name="key">Its namespace and name.</param>
    /// <param name="uid">Its <c>metadata.uid</c>.</param>
    /// <param name="metadataStart">Where the metadata object's opening brace is.</param>
    /// <param name="metadataEnd">Where its closing brace is.</param>
    /// <param name="fields">Its labels and selectable fields.</param>
    protected EncodedObject(byte[] utf8, ObjectKey key, string uid, int metadataStart, int metadataEnd, SelectableFields fields)
    {
        _utf8 = utf8;
        Key = key;
        // Uids are almost always canonical GUIDs: kept as one, they take 16 bytes instead of a 96-byte string.
        Span<char> canonical = stackalloc char[36];
        if (Guid.TryParseExact(uid, "D", out var guid) && guid.TryFormat(canonical, out _, "D") && canonical.SequenceEqual(uid))
        {
            _uidGuid = guid;
        }
        else
        {
            _uidText = uid;
        }

        _metadataStart = metadataStart;
        _metadataEnd = metadataEnd;
        Fields = fields;
    }

    public ObjectKey Key { get; private set; }

    public string Uid => _uidText ?? _uidGuid.ToString("D");

    /// <summary>Whether the object's uid is <paramref name="uid"/>, without making a string of a GUID-kept one.</summary>
    public bool HasUid(string uid)
    {
        if (_uidText is not null)
        {
            return _uidText == uid;
        }

        Span<char> text = stackalloc char[36];
        return _uidGuid.TryFormat(text, out _, "D") && text.SequenceEqual(uid);
    }

    /// <summary>The labels and the values field selectors match.</summary>
    public SelectableFields Fields { get; private set; }

    public ReadOnlySpan<byte> Utf8 => _utf8;

    /// <summary>The same bytes, for a store that sends them on (never changed).</summary>
    public ReadOnlyMemory<byte> Utf8Memory => _utf8;

    public int Length => _utf8.Length;

    /// <summary>The JSON up to (not including) the closing brace of metadata, where per-response fields go.</summary>
    public ReadOnlySpan<byte> Head => _utf8.AsSpan(0, _metadataEnd);

    /// <summary>The head without the type, <c>"metadata":{...</c>: list items carry no kind and apiVersion.</summary>
    public ReadOnlySpan<byte> ItemHead => _utf8.AsSpan(_metadataStart - MetadataProperty.Length, _metadataEnd - _metadataStart + MetadataProperty.Length);

    /// <summary>From the closing brace of metadata to the end.</summary>
    public ReadOnlySpan<byte> Tail => _utf8.AsSpan(_metadataEnd);

    /// <summary>The metadata object's JSON.</summary>
    public ReadOnlySpan<byte> MetadataJson => _utf8.AsSpan(_metadataStart, _metadataEnd + 1 - _metadataStart);

    /// <summary>Whether these labels and fields are selected.</summary>
    public bool Matches(LabelSelector labels, FieldSelector fields) =>
        labels.Matches(Fields) && fields.Matches(Key.Name, Key.Namespace, Fields);

    /// <summary>The stored metadata, decoded anew: the caller may change it.</summary>
    public V1ObjectMeta DecodeMetadata() => JsonSerializer.Deserialize(MetadataJson, KubeJson.Metadata)!;

    /// <summary>
    /// Lets go of decoded forms kept for the next write: once this version is no longer stored, or when its writer
    /// will not read them (the next write decodes again).
    /// </summary>
    public virtual void ReleaseDecoded()
    {
    }

    /// <summary>
    /// Before it is stored: takes the key and the selectable fields of <paramref name="previous"/>, the version it
    /// replaces, where they are equal, so a write keeps its new bytes and no second copy of what did not change.
    /// Every object a write keeps is one more for each young collection to copy while requests wait.
    /// </summary>
    public void ShareUnchanged(EncodedObject previous)
    {
        if (Key == previous.Key)
        {
            Key = previous.Key;
        }

        if (Fields.SameAs(previous.Fields))
        {
            Fields = previous.Fields;
        }
    }

    /// <summary>Byte equality: upstream skips a write whose serialized object is unchanged.</summary>
    public bool SameContentAs(EncodedObject other) => _utf8.AsSpan().SequenceEqual(other._utf8);

    /// <summary>
    /// Serializes <paramref name="value"/>, which it takes over: its resourceVersion and selfLink are cleared, and its
    /// type set from <paramref name="kind"/> and <paramref name="apiVersion"/>. The object's own properties follow
    /// metadata in the model's order.
    /// </summary>
    public static EncodedObject Encode<T>(T value, JsonTypeInfo<T> type, string kind, string apiVersion, SelectableFields fields)
        where T : IKubernetesObject<V1ObjectMeta>
    {
        var metadata = value.Metadata;
        metadata.ResourceVersion = null;
        metadata.SelfLink = null;
        using var scratch = ScratchJson.Rent();
        var (buffer, writer) = scratch;
        var typePrefix = TypePrefixes.GetOrAdd((kind, apiVersion), type => Encoding.UTF8.GetBytes($"{{\"kind\":\"{type.Kind}\",\"apiVersion\":\"{type.ApiVersion}\","));
        var metadataEnd = WriteHead(buffer, writer, typePrefix, metadata);
        var metadataStart = typePrefix.Length + MetadataProperty.Length;

        // The rest: the object without its type and metadata, written by its own metadata so every property keeps its
        // converter. It comes as {...}: its opening brace becomes the comma after metadata, its closing one the object's.
        var restStart = buffer.WrittenCount;
        value.Kind = null;
        value.ApiVersion = null;
        value.Metadata = null!;
        try
        {
            writer.Reset();
            JsonSerializer.Serialize(writer, value, type);
            writer.Flush();
        }
        finally
        {
            (value.Kind, value.ApiVersion, value.Metadata) = (kind, apiVersion, metadata);
        }

        var written = buffer.WrittenSpan;
        byte[] utf8;
        if (written.Length - restStart > 2)
        {
            utf8 = written.ToArray();
            utf8[restStart] = (byte)',';
        }
        else
        {
            utf8 = [.. written[..restStart], (byte)'}'];
        }

        var key = new ObjectKey(metadata.NamespaceProperty ?? "", metadata.Name);
        return new EncodedObject(utf8, key, metadata.Uid ?? "", metadataStart, metadataEnd, fields);
    }

    /// <summary><c>{"kind":"Pod","apiVersion":"v1",</c>: how every encoded object of a type starts, made once per type.</summary>
    private static readonly ConcurrentDictionary<(string Kind, string ApiVersion), byte[]> TypePrefixes = new();

    /// <summary>
    /// Writes <c>{"kind":...,"apiVersion":...,"metadata":{...}</c> with the scratch pair (its metadata cleared of
    /// resourceVersion and selfLink by the caller); returns where metadata's closing brace is.
    /// </summary>
    protected static int WriteHead(ArrayBufferWriter<byte> buffer, Utf8JsonWriter writer, ReadOnlySpan<byte> typePrefix, V1ObjectMeta metadata)
    {
        buffer.Write(typePrefix);
        buffer.Write(MetadataProperty);
        JsonSerializer.Serialize(writer, metadata, KubeJson.Metadata);
        writer.Flush();
        return buffer.WrittenCount - 1;
    }
}
