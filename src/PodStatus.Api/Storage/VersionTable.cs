namespace PodStatus.Api.Storage;

/// <summary>
/// The current version of each of a store's slots. A write that points an older object at a new version costs every
/// young collection a card of the runtime's card table (256 bytes of the heap), read while requests wait, until the
/// version is old itself. So the slots hold no references: each holds a position in <see cref="VersionLog"/>, where
/// writes append their versions one after another, and the thousands of writes between two collections share a few
/// cards however the slots they change are spread (a million pods written at random would mark a card each). Entries
/// are changed under the store's write lock and read without it.
/// </summary>
internal sealed class VersionTable
{
    // Chunks of 2,048 entries of 24 bytes stay out of the large object heap, and never move: a growing array would
    // be copied, and a reader of the old copy would miss a write made after it.
    private const int ChunkBits = 11;
    private const int ChunkSize = 1 << ChunkBits;

    private Entry[][] _chunks = [];
    private readonly Stack<int> _free = new();
    private readonly VersionLog _log;
    private int _used;

    public VersionTable() => _log = new VersionLog(this);

    private struct Entry
    {
        /// <summary>Where its version is in the log; 0 for none.</summary>
        public long Position;
        public int Generation;
        public long ExpiresTicks;
    }

    /// <summary>The version <paramref name="slot"/> holds; null once it is removed.</summary>
    public StoredObject? this[ObjectSlot slot]
    {
        get
        {
            // An entry is reused once its slot is removed: a reader still holding that slot (a snapshot, the expiry
            // queue) must not take the new owner's version. Removal moves the generation on before reuse writes a
            // version; the version is read first, the generation after.
            ref var entry = ref At(slot.Index);
            StoredObject? current;
            while (true)
            {
                var position = Volatile.Read(ref entry.Position);
                if (position == 0)
                {
                    current = null;
                    break;
                }

                // Its place in the log is emptied once the entry has moved on (a write, or the log moving it): then
                // the entry names the new one.
                if ((current = _log[position]) is not null)
                {
                    break;
                }
            }

            return Volatile.Read(ref entry.Generation) == slot.Generation ? current : null;
        }

        set => Place(slot.Index, value ?? throw new ArgumentNullException(nameof(value), "Remove empties a slot."));
    }

    /// <summary>A new slot for <paramref name="key"/>, holding <paramref name="value"/>.</summary>
    public ObjectSlot Add(ObjectKey key, StoredObject value)
    {
        var index = _free.Count > 0 ? _free.Pop() : _used++;
        if (index >> ChunkBits == _chunks.Length)
        {
            Volatile.Write(ref _chunks, [.. _chunks, new Entry[ChunkSize]]);
        }

        Place(index, value);
        return new ObjectSlot(key, index, At(index).Generation);
    }

    /// <summary>Empties <paramref name="slot"/>'s entry for a later slot.</summary>
    public void Remove(ObjectSlot slot)
    {
        ref var entry = ref At(slot.Index);
        var position = entry.Position;
        Volatile.Write(ref entry.Position, 0);
        _log.Release(position);
        Volatile.Write(ref entry.Generation, entry.Generation + 1);
        entry.ExpiresTicks = 0;
        _free.Push(slot.Index);
        _log.Compact();
    }

    /// <summary>When <paramref name="slot"/>'s version expires, or null (no time to live, or not queued); read and
    /// written under the write lock, by a slot still in the store.</summary>
    public DateTimeOffset? Expires(ObjectSlot slot) =>
        At(slot.Index).ExpiresTicks is var ticks and not 0 ? new DateTimeOffset(ticks, TimeSpan.Zero) : null;

    public void SetExpires(ObjectSlot slot, DateTimeOffset expires) => At(slot.Index).ExpiresTicks = expires.UtcTicks;

    /// <summary>Entry <paramref name="index"/> now holds <paramref name="value"/>, appended to the log.</summary>
    private void Place(int index, StoredObject value)
    {
        Move(index, _log.Append(value, index));
        _log.Compact();
    }

    /// <summary>Entry <paramref name="index"/>'s version is now at <paramref name="position"/>: the entry names it
    /// before the old place is emptied, so a reader who finds that place empty finds the new one.</summary>
    private void Move(int index, long position)
    {
        ref var entry = ref At(index);
        var previous = entry.Position;
        Volatile.Write(ref entry.Position, position);
        _log.Release(previous);
    }

    /// <summary>How many positions the log spans (for the tests): at most about twice the slots it holds.</summary>
    internal long LoggedPositions => _log.Span;

    private ref Entry At(int index) => ref Volatile.Read(ref _chunks)[index >> ChunkBits][index & (ChunkSize - 1)];

    /// <summary>
    /// The versions, in the order they were written, in segments of 4,096 (64 KB each, below the large object heap).
    /// A version the table no longer names is emptied at once (storing null marks no card), so the log holds what the
    /// table holds; once it spans more than twice that, the oldest segment's remaining versions are appended again
    /// (storing an old object marks no card either) and the segment is let go. Positions are never reused.
    /// </summary>
    private sealed class VersionLog(VersionTable table)
    {
        private const int SegmentBits = 12;
        private const int SegmentSize = 1 << SegmentBits;

        /// <summary>Segments by number, each at its number modulo the length; readers check the number.</summary>
        private Segment?[] _segments = new Segment?[4];
        private long _oldest;
        private long _next = 1;
        private long _held;

        private sealed class Segment(long number)
        {
            public readonly long Number = number;
            public readonly Placed[] Items = new Placed[SegmentSize];
        }

        private struct Placed
        {
            public StoredObject? Value;
            public int Index;
        }

        public long Span => _next - (_oldest << SegmentBits);

        /// <summary>The version at <paramref name="position"/>, or null once it is emptied or its segment let go.</summary>
        public StoredObject? this[long position]
        {
            get
            {
                var number = position >> SegmentBits;
                var segments = Volatile.Read(ref _segments);
                var segment = Volatile.Read(ref segments[number & (segments.Length - 1)]);
                return segment?.Number == number ? Volatile.Read(ref segment.Items[position & (SegmentSize - 1)].Value) : null;
            }
        }

        /// <summary>Appends entry <paramref name="index"/>'s new version; returns its position.</summary>
        public long Append(StoredObject value, int index)
        {
            var position = _next++;
            var number = position >> SegmentBits;
            var segments = _segments;
            var at = number & (segments.Length - 1);
            if (segments[at]?.Number != number)
            {
                if (segments[at] is not null)
                {
                    // Every place is taken by a segment still in use: twice as many places, each segment at its own.
                    var grown = new Segment?[segments.Length * 2];
                    foreach (var kept in segments)
                    {
                        if (kept is not null)
                        {
                            grown[kept.Number & (grown.Length - 1)] = kept;
                        }
                    }

                    Volatile.Write(ref _segments, segments = grown);
                    at = number & (segments.Length - 1);
                }

                Volatile.Write(ref segments[at], new Segment(number));
            }

            ref var item = ref segments[at]!.Items[position & (SegmentSize - 1)];
            item.Index = index;
            Volatile.Write(ref item.Value, value);
            _held++;
            return position;
        }

        /// <summary>Empties <paramref name="position"/> (0 for none), which its entry no longer names.</summary>
        public void Release(long position)
        {
            if (position != 0)
            {
                ref var item = ref SegmentOf(position).Items[position & (SegmentSize - 1)];
                Volatile.Write(ref item.Value, null);
                _held--;
            }
        }

        /// <summary>While the log spans more than twice what it holds, moves the oldest segment's versions on.</summary>
        public void Compact()
        {
            while ((_next >> SegmentBits) - _oldest > 2 + (2 * _held >> SegmentBits))
            {
                var oldest = SegmentOf(_oldest << SegmentBits);
                foreach (var item in oldest.Items)
                {
                    if (item.Value is { } value)
                    {
                        table.Move(item.Index, Append(value, item.Index));
                    }
                }

                var segments = _segments;
                Volatile.Write(ref segments[_oldest & (segments.Length - 1)], null);
                _oldest++;
            }
        }

        private Segment SegmentOf(long position)
        {
            var number = position >> SegmentBits;
            return _segments[number & (_segments.Length - 1)]!;
        }
    }
}
