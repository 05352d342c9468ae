using System.Buffers;
using System.Text;
using PodStatus.Api.Serialization;

namespace PodStatus.Api.Storage;

/// <summary>The kinds of watch events, spelled as on the wire.</summary>
public static class EventTypes
{
    public const string Added = "ADDED";
    public const string Modified = "MODIFIED";
    public const string Deleted = "DELETED";
    public const string Bookmark = "BOOKMARK";
    public const string Error = "ERROR";
}

/// <summary>
/// One change to one pod, at one revision. <see cref="Pod"/> is the pod after the change (for a deletion, its last
/// state at the deletion's revision); <see cref="Previous"/> the pod before it, so selectors can see a pod enter or
/// leave their set. The JSON frame is made once, by whichever watcher needs it first, and shared by all.
/// </summary>
public sealed class PodEvent
{
    private byte[]? _frame;
    private StoredPod? _previous;
    private Func<StoredPod>? _readPrevious;

    public PodEvent(string type, StoredPod pod, StoredPod? previous)
    {
        Type = type;
        Pod = pod;
        _previous = previous;
    }

    /// <summary>A change whose previous version is read only if a watcher asks for it (a selector that may have
    /// matched it): etcd sends it encoded, and most watchers never look.</summary>
    public PodEvent(string type, StoredPod pod, Func<StoredPod> readPrevious)
    {
        Type = type;
        Pod = pod;
        _readPrevious = readPrevious;
    }

    public string Type { get; }

    public StoredPod Pod { get; }

    public StoredPod? Previous => _previous ??= _readPrevious?.Invoke();

    /// <summary>Whether there was a version before (<see cref="Previous"/> is not null), without reading it.</summary>
    public bool HasPrevious => _previous is not null || _readPrevious is not null;

    public long ResourceVersion => Pod.ResourceVersion;

    /// <summary><c>{"type":"MODIFIED","object":{...}}\n</c>, serialized once for every watcher.</summary>
    public ReadOnlyMemory<byte> Frame => _frame ??= Serialize(Type, Pod);

    public static byte[] Serialize(string type, StoredPod pod)
    {
        var buffer = new ArrayBufferWriter<byte>(pod.Pod.Length + 192);
        Write(buffer, type, pod);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>The frame of <see cref="Serialize"/>, written to <paramref name="output"/> without an array of its own.</summary>
    public static void Write(IBufferWriter<byte> output, string type, StoredPod pod)
    {
        output.Write("{\"type\":\""u8);
        output.Advance(Encoding.ASCII.GetBytes(type, output.GetSpan(type.Length)));
        output.Write("\",\"object\":"u8);
        PodWriter.WriteWithOwnLink(output, pod, asListItem: false);
        output.Write("}\n"u8);
    }

    /// <summary>Wraps any object's JSON as one watch event line: <c>{"type":...,"object":...}\n</c>.</summary>
    public static byte[] Envelope(string type, ReadOnlySpan<byte> json)
    {
        var prefix = Encoding.ASCII.GetBytes($"{{\"type\":\"{type}\",\"object\":");
        var frame = new byte[prefix.Length + json.Length + 2];
        prefix.CopyTo(frame, 0);
        json.CopyTo(frame.AsSpan(prefix.Length));
        frame[^2] = (byte)'}';
        frame[^1] = (byte)'\n';
        return frame;
    }
}
