using System.Buffers;
using System.Buffers.Text;
using System.Text;
using PodStatus.Api.Storage;

namespace PodStatus.Api.Http;

/// <summary>
/// Writes stored objects to the wire: the stored bytes with resourceVersion and selfLink spliced into metadata,
/// so serving an object is two copies and no serialization.
/// </summary>
public static class ObjectWriter
{
    private static ReadOnlySpan<byte> ResourceVersionProperty => ",\"resourceVersion\":\""u8;
    private static ReadOnlySpan<byte> SelfLinkProperty => ",\"selfLink\":\""u8;

    /// <summary>The exact byte count <see cref="WriteWithOwnLink"/> produces for the whole object.</summary>
    public static int Measure(StoredObject value, ServedVersion version, string subresource = "")
    {
        var link = version.LinkStart.Length + Encoding.UTF8.GetByteCount(value.Key.Name)
            + (subresource.Length > 0 ? 1 + Encoding.UTF8.GetByteCount(subresource) : 0);
        if (version.Resource.Namespaced)
        {
            link += Encoding.UTF8.GetByteCount(value.Key.Namespace) + version.LinkMiddle.Length;
        }

        return value.Object.Length
            + ResourceVersionProperty.Length + CountDigits(value.ResourceVersion) + 1
            + SelfLinkProperty.Length + link + 1;
    }

    /// <summary>
    /// Writes <paramref name="value"/> with its own path in <paramref name="version"/> (and the
    /// <paramref name="subresource"/> answered, as <c>/status</c>) as selfLink, written from its key without making a
    /// string of it first; as a list item without kind and apiVersion, as upstream's list items.
    /// </summary>
    public static void WriteWithOwnLink(IBufferWriter<byte> output, StoredObject value, ServedVersion version, bool asListItem, string subresource = "")
    {
        if (asListItem)
        {
            output.Write("{"u8);
            output.Write(value.Object.ItemHead);
        }
        else
        {
            output.Write(value.Object.Head);
        }

        WriteResourceVersion(output, value.ResourceVersion);
        output.Write(SelfLinkProperty);
        output.Write(version.LinkStart);
        if (version.Resource.Namespaced)
        {
            WriteUtf8(output, value.Key.Namespace);
            output.Write(version.LinkMiddle);
        }

        WriteUtf8(output, value.Key.Name);
        if (subresource.Length > 0)
        {
            output.Write("/"u8);
            WriteUtf8(output, subresource);
        }

        output.Write("\""u8);
        output.Write(value.Object.Tail);
    }

    /// <summary>Its metadata object with its resourceVersion spliced in, as a Table row's PartialObjectMetadata carries it.</summary>
    public static void WriteMetadata(IBufferWriter<byte> output, StoredObject value)
    {
        output.Write(value.Object.MetadataJson[..^1]);
        WriteResourceVersion(output, value.ResourceVersion);
        output.Write("}"u8);
    }

    private static void WriteResourceVersion(IBufferWriter<byte> output, long resourceVersion)
    {
        output.Write(ResourceVersionProperty);
        var span = output.GetSpan(20);
        Utf8Formatter.TryFormat(resourceVersion, span, out var written);
        output.Advance(written);
        output.Write("\""u8);
    }

    private static void WriteUtf8(IBufferWriter<byte> output, string text)
    {
        var span = output.GetSpan(Encoding.UTF8.GetMaxByteCount(text.Length));
        output.Advance(Encoding.UTF8.GetBytes(text, span));
    }

    private static int CountDigits(long value)
    {
        var digits = 1;
        while ((value /= 10) != 0)
        {
            digits++;
        }

        return digits;
    }
}
