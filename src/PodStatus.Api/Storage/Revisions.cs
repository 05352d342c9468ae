namespace PodStatus.Api.Storage;

/// <summary>
/// The one revision counter of the in-memory stores, and the lock their writes take, shared by every resource as
/// etcd's revision is by every key: a write of any resource takes the next revision, and when the lock is let go
/// every change up to <see cref="Current"/> is in its store's change log.
/// </summary>
public sealed class Revisions
{
    private long _current;

    /// <summary>Held while a store writes: revisions are taken and changes logged in one order.</summary>
    public Lock WriteLock { get; } = new();

    /// <summary>The revision of the newest write.</summary>
    public long Current => Volatile.Read(ref _current);

    /// <summary>Under <see cref="WriteLock"/>: the next revision.</summary>
    public long Next()
    {
        var next = _current + 1;
        Volatile.Write(ref _current, next);
        return next;
    }

    /// <summary>Under <see cref="WriteLock"/>: at least <paramref name="revision"/> (seed objects keep theirs).</summary>
    public void Reach(long revision) => Volatile.Write(ref _current, Math.Max(_current, revision));
}
