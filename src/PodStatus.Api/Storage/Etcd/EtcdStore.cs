using System.Runtime.CompilerServices;
using dotnet_etcd;
using Etcdserverpb;
using Google.Protobuf;
using Grpc.Core;
using Mvccpb;

namespace PodStatus.Api.Storage.Etcd;

/// <summary>
/// One resource's objects in etcd, as kube-apiserver keeps them (<c>--storage-media-type=application/json</c>): one
/// key per object holding its JSON without resourceVersion, which is the key's <c>mod_revision</c>; a list's
/// resourceVersion is the revision it was read at; every write is one transaction conditional on the revision it
/// replaces; the change stream is an etcd watch on the resource's range. With a time to live, every write attaches
/// a lease that ends it then, as upstream's event storage does. Any number of replicas may share one etcd: it
/// orders every write.
/// </summary>
internal sealed partial class EtcdStore : IStore
{
    /// <summary>How many objects one range request of a list reads.</summary>
    internal const int PageSize = 500;

    /// <summary>How often an idle change stream asks etcd how far it has got (its progress notification), so a
    /// watch from a revision written elsewhere in etcd is not kept waiting.</summary>
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromMilliseconds(250);

    private readonly KV.KVClient _kv;
    private readonly Etcdserverpb.Watch.WatchClient _watch;
    private readonly EtcdKeys _keys;
    private readonly TimeSpan _timeout;
    private readonly Func<ReadOnlyMemory<byte>, EncodedObject> _decode;
    private readonly EtcdLeases? _leases;
    private readonly RecentObjects _recent = new();
    private readonly RecentWrites _writing = new();
    private readonly ILogger<EtcdStore> _logger;

    /// <param name="client">The connection to etcd every resource's store shares.</param>
    /// <param name="options">The etcd settings.</param>
    /// <param name="resource">The resource's part of its keys (<c>pods</c>, <c>minions</c>).</param>
    /// <param name="decode">Reads a stored value back into its encoded form.</param>
    /// <param name="timeToLive">How long an object lives after its last write, or null for ever.</param>
    /// <param name="logger">For what the change stream drops.</param>
    public EtcdStore(EtcdClient client, EtcdOptions options, string resource, Func<ReadOnlyMemory<byte>, EncodedObject> decode, TimeSpan? timeToLive,
        ILogger<EtcdStore> logger)
    {
        _logger = logger;
        _keys = new EtcdKeys(options.Prefix, resource);
        _timeout = options.RequestTimeout;
        _decode = decode;
        _kv = client.GetConnection().KVClient;
        _watch = client.GetConnection().WatchClient;
        _leases = timeToLive is { } ttl ? new EtcdLeases(client.GetConnection().LeaseClient, ttl, _timeout) : null;
    }

    /// <summary>The one connection to etcd, shared by every resource's store.</summary>
    public static EtcdClient Connect(EtcdOptions options) => new(options.Endpoints, configureChannelOptions: channel =>
    {
        // Objects may be large and a list page holds hundreds.
        channel.MaxReceiveMessageSize = null;
        channel.MaxSendMessageSize = null;
        if (channel.HttpHandler is SocketsHttpHandler handler)
        {
            // A member that stops answering without closing its connections is noticed within seconds.
            handler.KeepAlivePingDelay = TimeSpan.FromSeconds(5);
            handler.KeepAlivePingTimeout = TimeSpan.FromSeconds(5);
            handler.KeepAlivePingPolicy = HttpKeepAlivePingPolicy.Always;
            handler.ConnectTimeout = options.RequestTimeout;
        }
    });

    /// <summary>The key as upstream's storage errors name it (<c>/registry/pods/default/web</c>).</summary>
    public string KeyText(ObjectKey key) => _keys.Text(key);

    public async ValueTask<StoredObject?> GetAsync(ObjectKey key, bool consistent = true, CancellationToken cancellationToken = default)
    {
        if (!consistent && _recent.Get(key) is { } held)
        {
            return held;
        }

        var response = await CallAsync(options => _kv.RangeAsync(new RangeRequest { Key = _keys.Of(key) }, options), cancellationToken);
        if (response.Kvs.Count == 0)
        {
            _recent.Forget(key);
            return null;
        }

        return Remember(ToStored(response.Kvs[0]));
    }

    public async ValueTask<Snapshot> ListAsync(string? @namespace, CancellationToken cancellationToken = default)
    {
        // The first page's read fixes the revision (a linearizable read: every write acknowledged before is in it).
        var first = await RangeAsync(@namespace, start: null, revision: 0, cancellationToken);
        return new EtcdSnapshot(this, @namespace, first.Header.Revision, first);
    }

    public async ValueTask<Snapshot?> ListAtAsync(string? @namespace, long revision, CancellationToken cancellationToken = default)
    {
        try
        {
            var first = await RangeAsync(@namespace, start: null, revision, cancellationToken);
            return new EtcdSnapshot(this, @namespace, revision, first);
        }
        catch (RpcException error) when (error.StatusCode == StatusCode.OutOfRange)
        {
            // Compacted, or a revision etcd has not reached: either way not a revision this list can be read at.
            return null;
        }
    }

    /// <summary>One page of a list: up to <see cref="PageSize"/> objects from <paramref name="start"/> (or the range's
    /// first), at <paramref name="revision"/> (0: now).</summary>
    internal Task<RangeResponse> RangeAsync(string? @namespace, ObjectKey? start, long revision, CancellationToken cancellationToken)
    {
        var request = RangeAfter(@namespace, start, revision);
        request.Limit = PageSize;
        return CallAsync(options => _kv.RangeAsync(request, options), cancellationToken);
    }

    /// <summary>How many objects the range holds after <paramref name="start"/>, at <paramref name="revision"/>.</summary>
    internal async Task<long> CountAsync(string? @namespace, ObjectKey? start, long revision, CancellationToken cancellationToken)
    {
        var request = RangeAfter(@namespace, start, revision);
        request.CountOnly = true;
        return (await CallAsync(options => _kv.RangeAsync(request, options), cancellationToken)).Count;
    }

    private RangeRequest RangeAfter(string? @namespace, ObjectKey? start, long revision)
    {
        var (first, end) = _keys.Range(@namespace);
        return new RangeRequest { Key = start is { } after ? _keys.After(after) : first, RangeEnd = end, Revision = revision };
    }

    public async ValueTask<StoredObject?> CreateAsync(EncodedObject value, CancellationToken cancellationToken = default)
    {
        _writing.Put(value);
        var key = _keys.Of(value.Key);
        var txn = new TxnRequest
        {
            // A key never written, or deleted since, has mod_revision 0.
            Compare = { new Compare { Key = key, Target = Compare.Types.CompareTarget.Mod, ModRevision = 0 } },
            Success = { new RequestOp { RequestPut = await PutAsync(key, value, cancellationToken) } },
        };
        var response = await CallAsync(options => _kv.TxnAsync(txn, options), cancellationToken);
        return response.Succeeded ? Remember(new StoredObject(value, response.Header.Revision)) : null;
    }

    public async ValueTask<StoredObject?> UpdateAsync(StoredObject current, EncodedObject updated, CancellationToken cancellationToken = default)
    {
        _writing.Put(updated);
        var key = _keys.Of(current.Key);
        var put = new RequestOp { RequestPut = await PutAsync(key, updated, cancellationToken) };
        var response = await CallAsync(options => _kv.TxnAsync(Conditional(key, current.ResourceVersion, put), options), cancellationToken);
        return response.Succeeded ? Remember(new StoredObject(updated, response.Header.Revision)) : Refresh(current.Key, response);
    }

    /// <summary>The put of a write, with a lease that ends it when the resource has a time to live.</summary>
    private async ValueTask<PutRequest> PutAsync(ByteString key, EncodedObject value, CancellationToken cancellationToken) => new()
    {
        Key = key,
        Value = UnsafeByteOperations.UnsafeWrap(value.Utf8Memory),
        Lease = _leases is null ? 0 : await _leases.LeaseAsync(cancellationToken),
    };

    public async ValueTask<long?> DeleteAsync(StoredObject current, CancellationToken cancellationToken = default)
    {
        var key = _keys.Of(current.Key);
        var response = await CallAsync(options => _kv.TxnAsync(Conditional(key, current.ResourceVersion,
            new RequestOp { RequestDeleteRange = new DeleteRangeRequest { Key = key } }), options),
            cancellationToken);
        if (!response.Succeeded)
        {
            Refresh(current.Key, response);
            return null;
        }

        _recent.Forget(current.Key);
        return response.Header.Revision;
    }

    /// <summary>
    /// One transaction: <paramref name="operation"/> if the key is still at <paramref name="revision"/>, else the
    /// key as it stands, so the caller's retry needs no second round trip (as kube-apiserver's etcd3 store does).
    /// </summary>
    private static TxnRequest Conditional(ByteString key, long revision, RequestOp operation) => new()
    {
        Compare = { new Compare { Key = key, Target = Compare.Types.CompareTarget.Mod, ModRevision = revision } },
        Success = { operation },
        Failure = { new RequestOp { RequestRange = new RangeRequest { Key = key } } },
    };

    /// <summary>After a failed conditional write: holds the version the transaction read instead (or forgets a deleted object).</summary>
    private StoredObject? Refresh(ObjectKey key, TxnResponse response)
    {
        var kvs = response.Responses[0].ResponseRange.Kvs;
        if (kvs.Count == 0)
        {
            _recent.Forget(key);
        }
        else
        {
            Remember(ToStored(kvs[0]));
        }

        return null;
    }

    public async ValueTask ImportAsync(IReadOnlyList<StoredObject> objects, CancellationToken cancellationToken = default)
    {
        // One transaction per object, many at a time: each is created unless its key is already there (another
        // replica seeded it, or it was written since), so every replica may start with the same seed.
        using var inFlight = new SemaphoreSlim(64);
        var writes = objects.Select(async value =>
        {
            await inFlight.WaitAsync(cancellationToken);
            try
            {
                await CreateAsync(value.Object, cancellationToken);
            }
            finally
            {
                inFlight.Release();
            }
        });
        await Task.WhenAll(writes);
    }

    public async ValueTask<long> RevisionAsync(CancellationToken cancellationToken = default) =>
        (await CallAsync(options => _kv.RangeAsync(new RangeRequest { Key = _keys.Probe }, options), cancellationToken)).Header.Revision;

    public async IAsyncEnumerable<StoreProgress> WatchAsync(long revision, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var ending = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var call = _watch.Watch(cancellationToken: ending.Token);
        var (start, end) = _keys.Range(null);
        var create = new WatchRequest
        {
            CreateRequest = new WatchCreateRequest { Key = start, RangeEnd = end, StartRevision = revision + 1, PrevKv = true },
        };
        await Unavailable(() => call.RequestStream.WriteAsync(create, ending.Token), cancellationToken);
        var asking = AskForProgressAsync(call.RequestStream, ending.Token);
        try
        {
            while (true)
            {
                var more = await Unavailable(() => call.ResponseStream.MoveNext(ending.Token), cancellationToken);
                if (!more)
                {
                    throw new StoreUnavailableException("etcd ended the watch");
                }

                var response = call.ResponseStream.Current;
                if (response.CompactRevision != 0)
                {
                    throw new RevisionCompactedException(revision, response.CompactRevision);
                }

                if (response.Canceled)
                {
                    throw new StoreUnavailableException($"etcd cancelled the watch: {response.CancelReason}");
                }

                foreach (var change in response.Events)
                {
                    if (ToEvent(change) is { } objectEvent)
                    {
                        revision = objectEvent.ResourceVersion;
                        yield return objectEvent;
                    }
                }

                if (response.Events.Count == 0 && !response.Created && response.Header.Revision > revision)
                {
                    // A progress notification: every change up to this revision has been sent.
                    revision = response.Header.Revision;
                    yield return new StoreProgress(null, revision);
                }
            }
        }
        finally
        {
            await ending.CancelAsync();
            await asking.ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    /// <summary>Asks for a progress notification now and then, so the stream's revision keeps up with etcd's even
    /// when the writes are to other keys.</summary>
    private async Task AskForProgressAsync(IClientStreamWriter<WatchRequest> requests, CancellationToken cancellationToken)
    {
        var ask = new WatchRequest { ProgressRequest = new WatchProgressRequest() };
        while (!cancellationToken.IsCancellationRequested)
        {
            await Task.Delay(ProgressInterval, cancellationToken);
            await requests.WriteAsync(ask, cancellationToken);
        }
    }

    /// <summary>etcd's stream is asked how far it has got every <see cref="ProgressInterval"/> anyway.</summary>
    public void RequestProgress()
    {
    }

    /// <summary>A watch event as the change it is; a deletion carries the object as it was, at the deletion's revision.</summary>
    private ObjectEvent? ToEvent(Event change)
    {
        if (change.Type == Event.Types.EventType.Delete)
        {
            var previous = change.PrevKv is { } before ? ToStored(before) : null;
            if (previous is null)
            {
                // Its last state was compacted away before the watch read it: nothing to tell a watcher.
                LogMessages.DeletionWithoutPrevious(_logger, change.Kv.Key.ToStringUtf8());
                return null;
            }

            _recent.Forget(previous.Key);
            return new ObjectEvent(EventTypes.Deleted, previous with { ResourceVersion = change.Kv.ModRevision }, previous);
        }

        var value = ToStored(change.Kv);
        return change.PrevKv is { } earlier
            ? new ObjectEvent(EventTypes.Modified, value, () => ToStored(earlier))
            : new ObjectEvent(EventTypes.Added, value, previous: null);
    }

    /// <summary>
    /// A key-value as a stored object, reusing the version held when it is the same revision, or this replica's own
    /// write of the same bytes (its watch event may come before the write's answer): decoding an object costs far more.
    /// </summary>
    internal StoredObject ToStored(KeyValue kv)
    {
        var key = _keys.Parse(kv.Key);
        if (_recent.At(key, kv.ModRevision) is { } held)
        {
            return held;
        }

        var value = _writing.Get(key) is { } written && written.Utf8.SequenceEqual(kv.Value.Span) ? written : _decode(kv.Value.Memory);
        return new StoredObject(value, kv.ModRevision);
    }

    private StoredObject Remember(StoredObject value)
    {
        _recent.Put(value);
        return value;
    }

    /// <summary>One call to etcd, answered within the request timeout or taken for etcd being unavailable.</summary>
    internal Task<T> CallAsync<T>(Func<CallOptions, AsyncUnaryCall<T>> call, CancellationToken cancellationToken) =>
        Unavailable(() => call(new CallOptions(deadline: DateTime.UtcNow + _timeout, cancellationToken: cancellationToken)).ResponseAsync, cancellationToken);

    internal static async Task<T> Unavailable<T>(Func<Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await call();
        }
        catch (RpcException error) when (error.StatusCode == StatusCode.Cancelled && cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException(cancellationToken);
        }
        catch (RpcException error) when (error.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded or StatusCode.Cancelled or StatusCode.Internal or StatusCode.Unknown)
        {
            var detail = error.StatusCode == StatusCode.DeadlineExceeded ? "it did not answer in time" : error.Status.Detail;
            throw new StoreUnavailableException($"etcd is unavailable: {detail}", error);
        }
        catch (OperationCanceledException error) when (!cancellationToken.IsCancellationRequested)
        {
            // The call's deadline, which the gRPC client sometimes reports so rather than as DeadlineExceeded.
            throw new StoreUnavailableException("etcd is unavailable: it did not answer in time", error);
        }
    }

    private static async Task Unavailable(Func<Task> call, CancellationToken cancellationToken) =>
        await Unavailable(async () =>
        {
            await call();
            return true;
        }, cancellationToken);

    private static partial class LogMessages
    {
        [LoggerMessage(Level = LogLevel.Warning, Message = "etcd reported the deletion of {Key} without its last state; watchers are not told")]
        public static partial void DeletionWithoutPrevious(ILogger logger, string key);
    }
}
