using System.Buffers;
using System.Text.Json;

namespace PodStatus.Api.Serialization;

/// <summary>
/// A per-thread buffer and JSON writer for code that writes JSON and copies out the result (a pod's encoding, a
/// YAML document's conversion), so each allocates only what it returns, not a buffer grown step by step. Its users
/// never await between renting and copying out, and never nest, so one pair per thread serves them all.
/// </summary>
internal static class ScratchJson
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
