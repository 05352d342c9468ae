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
/// One change to one object, at one revision. <see cref="Object"/> is the object after the change (for a deletion,
/// its last state at the deletion's revision); <see cref="Previous"/> the object before it, so selectors can see
/// it enter or leave their set. Its JSON frame is made once per served version, by whichever watcher needs it
/// first, and shared by all.
/// </summary>
public sealed class ObjectEvent
{
    private byte[]? _frame;
    private byte[]?[]? _otherFrames;
    private StoredObject? _previous;
    private Func<StoredObject>? _readPrevious;

    public ObjectEvent(string type, StoredObject value, StoredObject? previous)
    {
        Type = type;
        Object = value;
        _previous = previous;
    }

    /// <summary>A change whose previous version is read only if a watcher asks for it (a selector that may have
    /// matched it): etcd sends it encoded, and most watchers never look.</summary>
    public ObjectEvent(string type, StoredObject value, Func<StoredObject> readPrevious)
    {
        Type = type;
        Object = value;
        _readPrevious = readPrevious;
    }

    public string Type { get; }

    public StoredObject Object { get; }

    public StoredObject? Previous => _previous ??= _readPrevious?.Invoke();

    /// <summary>Whether there was a version before (<see cref="Previous"/> is not null), without reading it.</summary>
    public bool HasPrevious => _previous is not null || _readPrevious is not null;

    public long ResourceVersion => Object.ResourceVersion;

    /// <summary>
    /// The event's frame for watchers of served version <paramref name="version"/> (0 is the stored one), made by
    /// <paramref name="make"/> the first time one is asked for and then shared by every watcher.
    /// </summary>
    public ReadOnlyMemory<byte> Frame(int version, Func<ObjectEvent, byte[]> make)
    {
        if (version == 0)
        {
            return _frame ??= make(this);
        }

        var others = _otherFrames ??= new byte[]?[version];
        if (others.Length < version)
        {
            Array.Resize(ref others, version);
            _otherFrames = others;
        }

        return others[version - 1] ??= make(this);
    }
}
