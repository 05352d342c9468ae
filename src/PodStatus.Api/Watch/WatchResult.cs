using System.Buffers;
using System.Text;
using PodStatus.Api.Errors;
using PodStatus.Api.Http;
using PodStatus.Api.Serialization;
using PodStatus.Api.Storage;
using PodStatus.Api.Tables;

namespace PodStatus.Api.Watch;

/// <summary>
/// Streams one watch: HTTP 200, one <c>{"type":...,"object":...}</c> per line, as kube-apiserver does. Events come
/// from the resource's <see cref="WatchCache"/> at this watcher's own pace; their frames are shared by every watcher
/// of the same version that sends them unchanged. A watcher that falls out of the log is ended, and resumes from
/// its last resourceVersion.
/// </summary>
public sealed class WatchResult(WatchedResource resource, WatchRequest watch, WatchService service) : IResult
{
    private const string InitialEventsEnd = "k8s.io/initial-events-end";
    private readonly ChangeLog _log = resource.Cache.Log;
    private readonly ServedVersion _version = resource.Version;
    private readonly Func<ObjectEvent, byte[]> _frameOf = change => Frame(change.Type, resource.Version.Read(change.Object), resource.Version);
    private Snapshot? _snapshot;
    private bool _tableColumnsSent;
    private long _lastRevision;

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/json";
        using var ending = CancellationTokenSource.CreateLinkedTokenSource(httpContext.RequestAborted, service.Lifetime.ApplicationStopping);
        if (watch.Timeout > TimeSpan.Zero)
        {
            ending.CancelAfter(watch.Timeout);
        }
        else
        {
            ending.Cancel();
        }

        var token = ending.Token;
        if (!await resource.Cache.FollowsAsync(httpContext.RequestAborted))
        {
            // Changes cannot be told while the store is away: the client retries, and lists again.
            throw new StoreUnavailableException("the watch cache is not following the storage; try again shortly");
        }

        // A watch without a revision starts from a list, read before the response starts so a store that cannot
        // be reached is a 503, not a broken stream.
        _snapshot = watch.From is null ? await resource.Store.ListAsync(watch.Namespace, httpContext.RequestAborted) : null;
        try
        {
            // Headers go out before the first event, so clients see the watch open even when nothing happens.
            await response.StartAsync(token);
            await response.BodyWriter.FlushAsync(token);
            var position = await StartAsync(response, token);
            if (position is not { } next)
            {
                return;
            }

            await StreamAsync(response, next, token);
        }
        catch (OperationCanceledException) when (!httpContext.RequestAborted.IsCancellationRequested)
        {
            // Timeout or shutdown: end the stream cleanly, with a last bookmark if the client takes them.
            if (watch.AllowBookmarks && !service.Lifetime.ApplicationStopping.IsCancellationRequested)
            {
                await WriteAsync(response, Bookmark(_lastRevision, initialEventsEnd: false), CancellationToken.None);
            }

            await response.BodyWriter.FlushAsync(CancellationToken.None);
        }
        catch (OperationCanceledException)
        {
            // The client went away.
        }
        finally
        {
            _snapshot?.Dispose();
        }
    }

    /// <summary>Sends the initial events a start point calls for; returns the log position to stream from, or null when done.</summary>
    private async Task<long?> StartAsync(HttpResponse response, CancellationToken token)
    {
        if (_snapshot is { } snapshot)
        {
            _lastRevision = snapshot.ResourceVersion;
            // The initial events go out in blocks, as a list's items do: there may be a million of them.
            var output = new BlockWriter(response.BodyWriter);
            await foreach (var value in snapshot.ReadAsync(cancellationToken: token).Where(Matches))
            {
                if (watch.IsTable)
                {
                    output.Write(FrameFor(EventTypes.Added, value, shared: null).Span);
                }
                else
                {
                    Write(output, EventTypes.Added, _version.Read(value), _version);
                }

                await output.SendIfFullAsync(token);
            }

            if (watch.SendInitialEvents)
            {
                output.Write(Bookmark(snapshot.ResourceVersion, initialEventsEnd: true));
            }

            await output.SendAsync(token);
            // Released once sent: an open snapshot costs the in-memory store's writes a little.
            _snapshot = null;
            snapshot.Dispose();
            return await PositionAfterAsync(response, snapshot.ResourceVersion, token);
        }

        _lastRevision = watch.From!.Value;
        return await PositionAfterAsync(response, _lastRevision, token);
    }

    /// <summary>Where in the watch cache the changes after <paramref name="revision"/> start, once it has them.</summary>
    private async Task<long?> PositionAfterAsync(HttpResponse response, long revision, CancellationToken token)
    {
        if (!await resource.Cache.ReachesAsync(revision, service.Clock, token))
        {
            // A revision the cache has not reached (one from before a restart, or while etcd is away): clients re-list on it.
            return await ErrorAsync(response, StatusErrors.TooLargeResourceVersion(revision, _log.Revision), token);
        }

        return _log.PositionAfter(revision, out _) ?? await ExpiredAsync(response, revision, token);
    }

    private async Task StreamAsync(HttpResponse response, long position, CancellationToken token)
    {
        // One timer per bookmark interval, however many changes arrive meanwhile.
        Task? bookmarkDue = null;
        while (true)
        {
            var appended = _log.WaitBeyondAsync(position, token);
            if (watch.AllowBookmarks)
            {
                bookmarkDue ??= Task.Delay(service.Options.BookmarkInterval, service.Clock, token);
                await Task.WhenAny(appended, bookmarkDue);
                token.ThrowIfCancellationRequested();
                if (bookmarkDue.IsCompleted)
                {
                    await WriteAsync(response, Bookmark(_lastRevision, initialEventsEnd: false), token);
                    await response.BodyWriter.FlushAsync(token);
                    bookmarkDue = null;
                }
            }
            else
            {
                await appended;
            }

            var written = false;
            for (; position < _log.Count; position++)
            {
                // Fallen out of the log: end this watch rather than hold the writers back.
                var change = _log.At(position);
                if (change is null)
                {
                    return;
                }

                _lastRevision = change.ResourceVersion;
                if (Transition(change) is { } type)
                {
                    await WriteAsync(response, FrameFor(type, change.Object, type == change.Type ? change : null), token);
                    written = true;
                }
            }

            // A watcher the changes did not concern has nothing to send (and many such share every change).
            if (written)
            {
                await response.BodyWriter.FlushAsync(token);
            }
        }
    }

    /// <summary>
    /// What a change is to this watcher: an object that starts matching its selectors is ADDED, one that stops
    /// matching is DELETED, one that matches before and after is MODIFIED; null when it is none of its business.
    /// </summary>
    private string? Transition(ObjectEvent change)
    {
        // Without selectors the version before matches when there was one (same key, so same namespace): no need to read it.
        var before = watch.Labels.IsEmpty && watch.Fields.IsEmpty
            ? change.HasPrevious && InNamespace(change.Object)
            : change.Previous is { } previous && Matches(previous);
        var after = change.Type != EventTypes.Deleted && Matches(change.Object);
        return (before, after) switch
        {
            (true, true) => EventTypes.Modified,
            (false, true) => EventTypes.Added,
            (true, false) => EventTypes.Deleted,
            _ => null,
        };
    }

    private bool InNamespace(StoredObject value) => watch.Namespace is null || value.Key.Namespace == watch.Namespace;

    private bool Matches(StoredObject value) => InNamespace(value) && value.Object.Matches(watch.Labels, watch.Fields);

    /// <summary>The shared frame when the event goes out as it happened; otherwise one made for this watcher.</summary>
    private ReadOnlyMemory<byte> FrameFor(string type, StoredObject value, ObjectEvent? shared)
    {
        if (!watch.IsTable)
        {
            return shared?.Frame(_version.Index, _frameOf) ?? Frame(type, _version.Read(value), _version);
        }

        var table = TableResult.Single(value, _version, resource.Printer, watch.TableObjects!, service.Clock.GetUtcNow().UtcDateTime,
            withColumns: !_tableColumnsSent);
        _tableColumnsSent = true;
        return Envelope(type, table);
    }

    private Task<long?> ExpiredAsync(HttpResponse response, long requested, CancellationToken token)
    {
        _log.PositionAfter(requested, out var oldest);
        return ErrorAsync(response, StatusErrors.WatchExpired(requested, oldest), token);
    }

    /// <summary>Ends the watch with one ERROR event, as upstream reports what goes wrong once a watch has started.</summary>
    private static async Task<long?> ErrorAsync(HttpResponse response, Status status, CancellationToken token)
    {
        await WriteAsync(response, ErrorEvent(status), token);
        await response.BodyWriter.FlushAsync(token);
        return null;
    }

    /// <summary>The ERROR event that carries <paramref name="status"/>, one line.</summary>
    public static byte[] ErrorEvent(Status status) => Envelope(EventTypes.Error, StatusJson.Serialize(status));

    /// <summary>An object of the resource's kind that carries only the revision (and, after the initial events, upstream's annotation).</summary>
    private byte[] Bookmark(long revision, bool initialEventsEnd)
    {
        var annotations = initialEventsEnd ? $",\"annotations\":{{\"{InitialEventsEnd}\":\"true\"}}" : "";
        var resource = _version.Resource;
        var empty = $"{{\"kind\":\"{resource.Kind}\",\"apiVersion\":\"{resource.GroupVersion}\",\"metadata\":{{\"resourceVersion\":\"{revision}\"{annotations}}}}}";
        return Envelope(EventTypes.Bookmark, Encoding.UTF8.GetBytes(empty));
    }

    /// <summary><c>{"type":"MODIFIED","object":{...}}\n</c>: the frame of one change, written once for every watcher.</summary>
    public static byte[] Frame(string type, StoredObject value, ServedVersion version)
    {
        var buffer = new ArrayBufferWriter<byte>(value.Object.Length + 192);
        Write(buffer, type, value, version);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>The frame of <see cref="Frame"/>, written to <paramref name="output"/> without an array of its own.</summary>
    private static void Write(IBufferWriter<byte> output, string type, StoredObject value, ServedVersion version)
    {
        output.Write("{\"type\":\""u8);
        output.Advance(Encoding.ASCII.GetBytes(type, output.GetSpan(type.Length)));
        output.Write("\",\"object\":"u8);
        ObjectWriter.WriteWithOwnLink(output, value, version, asListItem: false);
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

    /// <summary>Buffers a frame; the caller flushes once it has written what is there (large backlogs flush as they go).</summary>
    private static async ValueTask WriteAsync(HttpResponse response, ReadOnlyMemory<byte> frame, CancellationToken token)
    {
        response.BodyWriter.Write(frame.Span);
        if (response.BodyWriter.UnflushedBytes > 64 * 1024)
        {
            await response.BodyWriter.FlushAsync(token);
        }
    }
}
