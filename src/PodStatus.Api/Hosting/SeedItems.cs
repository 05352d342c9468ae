using System.Text.Json;
using PodStatus.Api.Serialization;

namespace PodStatus.Api.Hosting;

/// <summary>
/// Reads the objects of a JSON seed file as it streams past: each item of a List is handed on as bytes of its own,
/// so a file of a million pods is never held whole and one object can be decoded while the next is read.
/// </summary>
internal static class SeedItems
{
    private const int InitialBuffer = 1 << 16;

    /// <summary>
    /// Calls <paramref name="onItem"/> with each element of the root object's <c>items</c> array, in order, and
    /// returns the root's <c>kind</c>; <paramref name="isList"/> is false when the root has no items array (a single object).
    /// </summary>
    public static string? Read(Stream stream, Action<byte[]> onItem, out bool isList)
    {
        var buffer = new byte[InitialBuffer];
        var length = 0;
        var final = false;
        var state = new JsonReaderState(KubeJson.ReaderOptions);
        var cursor = new Cursor();
        while (true)
        {
            if (!final)
            {
                var read = stream.Read(buffer, length, buffer.Length - length);
                final = read == 0;
                length += read;
            }

            var (consumed, next, done) = Scan(buffer.AsSpan(0, length), final, state, cursor, onItem);
            if (done)
            {
                isList = cursor.SawItems;
                return cursor.Started ? cursor.Kind : throw new InvalidDataException("expected an object or a List of objects");
            }

            // Keep what was not consumed (a partial token or item) at the start; grow when an item fills the buffer.
            state = next;
            Buffer.BlockCopy(buffer, consumed, buffer, 0, length - consumed);
            length -= consumed;
            if (length == buffer.Length)
            {
                Array.Resize(ref buffer, buffer.Length * 2);
            }
        }
    }

    /// <summary>Reads tokens until the data runs out; returns how far it got and whether the root object has ended.</summary>
    private static (int Consumed, JsonReaderState State, bool Done) Scan(
        ReadOnlySpan<byte> data, bool final, JsonReaderState state, Cursor cursor, Action<byte[]> onItem)
    {
        var reader = new Utf8JsonReader(data, final, state);
        while (true)
        {
            // A value that does not fit yet is read again, whole, once more data has come.
            var before = (State: reader.CurrentState, Consumed: (int)reader.BytesConsumed);
            if (!reader.Read())
            {
                return ((int)reader.BytesConsumed, reader.CurrentState, final);
            }

            var depth = reader.CurrentDepth;
            switch (reader.TokenType)
            {
                case JsonTokenType.StartObject when depth == 0:
                    cursor.Started = true;
                    continue;
                case JsonTokenType.EndObject when depth == 0:
                    return ((int)reader.BytesConsumed, reader.CurrentState, true);
                case not JsonTokenType.StartObject when depth == 0:
                    throw new InvalidDataException("expected an object or a List of objects");
                case JsonTokenType.PropertyName when depth == 1:
                    cursor.Property = reader.GetString();
                    continue;
                case JsonTokenType.StartArray when depth == 1 && cursor.Property == "items":
                    cursor.InItems = cursor.SawItems = true;
                    continue;
                case JsonTokenType.EndArray when depth == 1 && cursor.InItems:
                    cursor.InItems = false;
                    continue;
                case JsonTokenType.String when depth == 1 && cursor.Property == "kind":
                    cursor.Kind = reader.GetString();
                    continue;
            }

            var item = cursor.InItems && depth == 2;
            var start = (int)reader.TokenStartIndex;
            if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray && !reader.TrySkip())
            {
                return (before.Consumed, before.State, false);
            }

            if (item)
            {
                onItem(data[start..(int)reader.BytesConsumed].ToArray());
            }
        }
    }

    /// <summary>Where the scan is in the root object, kept between buffers.</summary>
    private sealed class Cursor
    {
        public string? Property { get; set; }

        public string? Kind { get; set; }

        public bool InItems { get; set; }

        public bool SawItems { get; set; }

        public bool Started { get; set; }
    }
}
