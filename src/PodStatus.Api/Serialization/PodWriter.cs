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
    public static int Measure(StoredPod pod, string selfLink) =>
        pod.Pod.Length
        + ResourceVersionProperty.Length + CountDigits(pod.ResourceVersion) + 1
        + SelfLinkProperty.Length + Encoding.UTF8.GetByteCount(selfLink) + 1;

    /// <summary>
    /// Writes <paramref name="pod"/> with its own path as selfLink, written from its key without making a string of
    /// it first; as a list item without kind and apiVersion, as upstream's list items.
    /// </summary>
    public static void WriteWithOwnLink(IBufferWriter<byte> output, StoredPod pod, bool asListItem)
    {
        if (asListItem)
        {
            output.Write("{"u8);
            output.Write(pod.Pod.Head[EncodedPod.TypePrefix.Length..]);
        }
        else
        {
            output.Write(pod.Pod.Head);
        }

        WriteResourceVersion(output, pod.ResourceVersion);
        output.Write(SelfLinkProperty);
        output.Write("/api/v1/namespaces/"u8);
        WriteUtf8(output, pod.Key.Namespace);
        output.Write("/pods/"u8);
        WriteUtf8(output, pod.Key.Name);
        output.Write("\""u8);
        output.Write(pod.Pod.Tail);
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

    /// <summary>
    /// Writes <paramref name="pod"/>. <paramref name="selfLink"/> is a request path built from validated names, so it
    /// needs no escaping.
    /// </summary>
    public static void Write(IBufferWriter<byte> output, StoredPod pod, string selfLink)
    {
        output.Write(pod.Pod.Head);
        WriteResourceVersion(output, pod.ResourceVersion);
        output.Write(SelfLinkProperty);
        WriteUtf8(output, selfLink);
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
