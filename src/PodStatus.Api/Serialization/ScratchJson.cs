using System.Buffers;
using System.Text.Json;

namespace PodStatus.Api.Serialization;

/// <summary>
/// A per-thread buffer and JSON writer for code that writes JSON and copies out or reads back the result (a pod's
/// encoding, a YAML document's conversion, a patch's object), so each allocates only what it keeps, not a buffer grown
/// step by step. Its users never await while they hold it. One use inside another (an encoding while a patch's
/// object is written) gets a pair of its own rather than the thread's, which the outer use still holds.
/// </summary>
internal static class ScratchJson
{
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? _buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? _writer;

    [ThreadStatic]
    private static bool _held;

    /// <summary>The thread's pair, emptied (or a new one when it is held); dispose to give it back.</summary>
    public static Lease Rent()
    {
        if (_held)
        {
            var own = new ArrayBufferWriter<byte>(16 * 1024);
            return new Lease(own, new Utf8JsonWriter(own, KubeJson.WriterOptions), returns: false);
        }

        _held = true;
        var buffer = _buffer ??= new ArrayBufferWriter<byte>(16 * 1024);
        buffer.ResetWrittenCount();
        var writer = _writer ??= new Utf8JsonWriter(buffer, KubeJson.WriterOptions);
        writer.Reset(buffer);
        return new Lease(buffer, writer, returns: true);
    }

    public readonly struct Lease(ArrayBufferWriter<byte> buffer, Utf8JsonWriter writer, bool returns) : IDisposable
    {
        public ArrayBufferWriter<byte> Buffer => buffer;

        public Utf8JsonWriter Writer => writer;

        public void Deconstruct(out ArrayBufferWriter<byte> buffer, out Utf8JsonWriter writer) => (buffer, writer) = (Buffer, Writer);

        public void Dispose()
        {
            if (returns)
            {
                _held = false;
            }
        }
    }
}
