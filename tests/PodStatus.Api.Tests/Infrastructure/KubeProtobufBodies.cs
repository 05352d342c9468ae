using Google.Protobuf;

namespace PodStatus.Api.Tests.Infrastructure;

/// <summary>
/// Bodies in Kubernetes' protobuf encoding, as client-go writes them: <c>k8s\0</c>, then a <c>runtime.Unknown</c>
/// (typeMeta in field 1, the object's bytes in field 2, contentEncoding and contentType empty).
/// </summary>
public static class KubeProtobufBodies
{
    /// <summary>A Namespace with a name and labels (metadata field 1: name 1, labels 11), as kubectl create namespace sends.</summary>
    public static byte[] Namespace(string name, params (string Key, string Value)[] labels)
    {
        var metadata = Message(output =>
        {
            output.WriteTag(1, WireFormat.WireType.LengthDelimited);
            output.WriteString(name);
            foreach (var (key, value) in labels)
            {
                output.WriteTag(11, WireFormat.WireType.LengthDelimited);
                output.WriteBytes(Message(entry =>
                {
                    entry.WriteTag(1, WireFormat.WireType.LengthDelimited);
                    entry.WriteString(key);
                    entry.WriteTag(2, WireFormat.WireType.LengthDelimited);
                    entry.WriteString(value);
                }));
            }
        });
        var ns = Message(output =>
        {
            output.WriteTag(1, WireFormat.WireType.LengthDelimited);
            output.WriteBytes(metadata);
            output.WriteTag(2, WireFormat.WireType.LengthDelimited);
            output.WriteBytes(ByteString.Empty);
            output.WriteTag(3, WireFormat.WireType.LengthDelimited);
            output.WriteBytes(ByteString.Empty);
        });
        var unknown = Message(output =>
        {
            output.WriteTag(1, WireFormat.WireType.LengthDelimited);
            output.WriteBytes(Message(typeMeta =>
            {
                typeMeta.WriteTag(1, WireFormat.WireType.LengthDelimited);
                typeMeta.WriteString("v1");
                typeMeta.WriteTag(2, WireFormat.WireType.LengthDelimited);
                typeMeta.WriteString("Namespace");
            }));
            output.WriteTag(2, WireFormat.WireType.LengthDelimited);
            output.WriteBytes(ns);
            output.WriteTag(3, WireFormat.WireType.LengthDelimited);
            output.WriteString("");
            output.WriteTag(4, WireFormat.WireType.LengthDelimited);
            output.WriteString("");
        });
        return [.. "k8s\0"u8, .. unknown.ToByteArray()];
    }

    private static ByteString Message(Action<CodedOutputStream> write)
    {
        using var buffer = new MemoryStream();
        var output = new CodedOutputStream(buffer);
        write(output);
        output.Flush();
        return ByteString.CopyFrom(buffer.ToArray());
    }
}
