using System.Threading.Channels;

namespace PodStatus.Api.Simulation.Lifecycle;

/// <summary>
/// Work that falls due at a time, one item per key: a later item for a key replaces the one before (an object's new
/// version replaces what its old one had scheduled). Items wait in a queue ordered by time under a single timer of the
/// server's clock, so a million waiting objects cost a heap entry each, not a timer or a task each; due items are
/// handed to <see cref="Ready"/> in time order.
/// </summary>
public sealed class DueQueue<TKey, TItem> : IDisposable
    where TKey : notnull
{
    private readonly TimeProvider _clock;
    private readonly Lock _lock = new();
    private readonly Dictionary<TKey, (TItem Item, long Token)> _waiting = [];
    private readonly PriorityQueue<(TKey Key, long Token), DateTimeOffset> _byTime = new();
    private readonly Channel<TItem> _ready = Channel.CreateUnbounded<TItem>(new UnboundedChannelOptions { SingleWriter = false });
    private readonly ITimer _timer;
    private long _tokens;
    private DateTimeOffset? _armedFor;

    public DueQueue(TimeProvider clock)
    {
        _clock = clock;
        _timer = clock.CreateTimer(_ => Release(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>The items that have fallen due, in time order.</summary>
    public ChannelReader<TItem> Ready => _ready.Reader;

    /// <summary>How many items wait for their time.</summary>
    public int Waiting
    {
        get
        {
            lock (_lock)
            {
                return _waiting.Count;
            }
        }
    }

    /// <summary>Schedules <paramref name="item"/> for <paramref name="key"/> after <paramref name="delay"/>, in place of any it had.</summary>
    public void Schedule(TKey key, TItem item, TimeSpan delay)
    {
        lock (_lock)
        {
            if (delay <= TimeSpan.Zero)
            {
                _waiting.Remove(key);
                _ready.Writer.TryWrite(item);
                return;
            }

            var token = ++_tokens;
            _waiting[key] = (item, token);
            var due = _clock.GetUtcNow() + delay;
            _byTime.Enqueue((key, token), due);
            Arm();
        }
    }

    /// <summary>Drops what <paramref name="key"/> waits for (its object is gone, or no stage matches it any more).</summary>
    public void Cancel(TKey key)
    {
        lock (_lock)
        {
            // Its heap entry stays until its time, and is passed over then: the token no longer matches.
            _waiting.Remove(key);
        }
    }

    /// <summary>Drops everything (another replica simulates now).</summary>
    public void Clear()
    {
        lock (_lock)
        {
            _waiting.Clear();
            _byTime.Clear();
            while (_ready.Reader.TryRead(out _))
            {
            }
        }
    }

    /// <summary>Moves every item whose time has come to <see cref="Ready"/>, and sets the timer for the next.</summary>
    private void Release()
    {
        lock (_lock)
        {
            _armedFor = null;
            var now = _clock.GetUtcNow();
            while (_byTime.TryPeek(out var entry, out var due) && due <= now)
            {
                _byTime.Dequeue();
                if (_waiting.TryGetValue(entry.Key, out var waiting) && waiting.Token == entry.Token)
                {
                    _waiting.Remove(entry.Key);
                    _ready.Writer.TryWrite(waiting.Item);
                }
            }

            Arm();
        }
    }

    /// <summary>Under the lock: the timer set for the earliest entry, unless it already is.</summary>
    private void Arm()
    {
        if (!_byTime.TryPeek(out _, out var next) || _armedFor <= next)
        {
            return;
        }

        _armedFor = next;
        var wait = next - _clock.GetUtcNow();
        _timer.Change(wait > TimeSpan.Zero ? wait : TimeSpan.Zero, Timeout.InfiniteTimeSpan);
    }

    public void Dispose() => _timer.Dispose();
}
