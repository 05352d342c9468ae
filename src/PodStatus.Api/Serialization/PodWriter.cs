using System.Buffers;
using System.Buffers.Text;
using System.Text;
using PodStatus.Api.Storage;

namespace PodStatus.Api.Serialization;

/// <summary>
/// Writes stored pods to the wire: the stored bytes with resourceVersion and selfLink spliced into metadata,
/// so serving a pod is two copies and no serialization.
/// </summary>
public static class PodWriter
{
    private static ReadOnlySpan<byte> ResourceVersionProperty => ",\"resourceVersion\":\""u8;
    private static ReadOnlySpan<byte> SelfLinkProperty => ",\"selfLink\":\""u8;

    /// <summary>The exact byte count <see cref="Write"/> produces.</summary>
    public static int Measure(StoredPod pod, string selfLink, bool asListItem) =>
        pod.Pod.Length
        - (asListItem ? EncodedPod.TypePrefix.Length - 1 : 0)
        + ResourceVersionProperty.Length + CountDigits(pod.ResourceVersion) + 1
        + SelfLinkProperty.Length + Encoding.UTF8.GetByteCount(selfLink) + 1;

    /// <summary>
    /// Writes <paramref name="pod"/>; as a list item it carries no kind and apiVersion, as upstream's list items.
    /// <paramref name="selfLink"/> is a request path built from validated names, so it needs no escaping.
    /// </summary>
    public static void Write(IBufferWriter<byte> output, StoredPod pod, string selfLink, bool asListItem)
    {
        var head = pod.Pod.Head;
        if (asListItem)
        {
            output.Write("{"u8);
            head = head[EncodedPod.TypePrefix.Length..];
        }

        output.Write(head);
        output.Write(ResourceVersionProperty);
        var span = output.GetSpan(20);
        Utf8Formatter.TryFormat(pod.ResourceVersion, span, out var written);
        output.Advance(written);
        output.Write("\""u8);
        output.Write(SelfLinkProperty);
        var linkSpan = output.GetSpan(Encoding.UTF8.GetMaxByteCount(selfLink.Length));
        output.Advance(Encoding.UTF8.GetBytes(selfLink, linkSpan));
        output.Write("\""u8);
        output.Write(pod.Pod.Tail);
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
