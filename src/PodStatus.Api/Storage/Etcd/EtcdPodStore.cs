using System.Runtime.CompilerServices;
using dotnet_etcd;
using Etcdserverpb;
using Google.Protobuf;
using Grpc.Core;
using Mvccpb;

namespace PodStatus.Api.Storage.Etcd;

/// <summary>
/// Pods in etcd, as kube-apiserver keeps them (<c>--storage-media-type=application/json</c>): one key per pod
/// holding its JSON without resourceVersion, which is the key's <c>mod_revision</c>; a list's resourceVersion is
/// the revision it was read at; every write is one transaction conditional on the revision it replaces; the change
/// stream is an etcd watch on the pods' range. Any number of replicas may share one etcd: it orders every write.
/// </summary>
internal sealed partial class EtcdPodStore : IPodStore, IDisposable
{
    /// <summary>How many pods one range request of a list reads.</summary>
    internal const int PageSize = 500;

    /// <summary>How often an idle change stream asks etcd how far it has got (its progress notification), so a
    /// watch from a revision written elsewhere in etcd is not kept waiting.</summary>
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromMilliseconds(250);

    private readonly EtcdClient _client;
    private readonly KV.KVClient _kv;
    private readonly Etcdserverpb.Watch.WatchClient _watch;
    private readonly EtcdKeys _keys;
    private readonly TimeSpan _timeout;
    private readonly RecentPods _recent = new();
    private readonly RecentWrites _writing = new();
    private readonly ILogger<EtcdPodStore> _logger;

    public EtcdPodStore(EtcdOptions options, ILogger<EtcdPodStore> logger)
    {
        _logger = logger;
        _keys = new EtcdKeys(options.Prefix);
        _timeout = options.RequestTimeout;
        _client = new EtcdClient(options.Endpoints, configureChannelOptions: channel =>
        {
            // Pods may be large and a list page holds hundreds.
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
        _kv = _client.GetConnection().KVClient;
        _watch = _client.GetConnection().WatchClient;
    }

    public async ValueTask<StoredPod?> GetAsync(PodKey key, bool consistent = true, CancellationToken cancellationToken = default)
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

    public async ValueTask<PodSnapshot> ListAsync(string? @namespace, CancellationToken cancellationToken = default)
    {
        // The first page's read fixes the revision (a linearizable read: every write acknowledged before is in it).
        var first = await RangeAsync(@namespace, start: null, revision: 0, cancellationToken);
        return new EtcdSnapshot(this, @namespace, first.Header.Revision, first);
    }

    public async ValueTask<PodSnapshot?> ListAtAsync(string? @namespace, long revision, CancellationToken cancellationToken = default)
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

    /// <summary>One page of a list: up to <see cref="PageSize"/> pods from <paramref name="start"/> (or the range's
    /// first), at <paramref name="revision"/> (0: now).</summary>
    internal Task<RangeResponse> RangeAsync(string? @namespace, PodKey? start, long revision, CancellationToken cancellationToken)
    {
        var request = RangeAfter(@namespace, start, revision);
        request.Limit = PageSize;
        return CallAsync(options => _kv.RangeAsync(request, options), cancellationToken);
    }

    /// <summary>How many pods the range holds after <paramref name="start"/>, at <paramref name="revision"/>.</summary>
    internal async Task<long> CountAsync(string? @namespace, PodKey? start, long revision, CancellationToken cancellationToken)
    {
        var request = RangeAfter(@namespace, start, revision);
        request.CountOnly = true;
        return (await CallAsync(options => _kv.RangeAsync(request, options), cancellationToken)).Count;
    }

    private RangeRequest RangeAfter(string? @namespace, PodKey? start, long revision)
    {
        var (first, end) = _keys.Range(@namespace);
        return new RangeRequest { Key = start is { } after ? _keys.After(after) : first, RangeEnd = end, Revision = revision };
    }

    public async ValueTask<StoredPod?> CreateAsync(EncodedPod pod, CancellationToken cancellationToken = default)
    {
        _writing.Put(pod);
        var key = _keys.Of(pod.Key);
        var txn = new TxnRequest
        {
            // A key never written, or deleted since, has mod_revision 0.
            Compare = { new Compare { Key = key, Target = Compare.Types.CompareTarget.Mod, ModRevision = 0 } },
            Success = { new RequestOp { RequestPut = new PutRequest { Key = key, Value = UnsafeByteOperations.UnsafeWrap(pod.Utf8Memory) } } },
        };
        var response = await CallAsync(options => _kv.TxnAsync(txn, options), cancellationToken);
        return response.Succeeded ? Remember(new StoredPod(pod, response.Header.Revision)) : null;
    }

    public async ValueTask<StoredPod?> UpdateAsync(StoredPod current, EncodedPod updated, CancellationToken cancellationToken = default)
    {
        _writing.Put(updated);
        var key = _keys.Of(current.Key);
        var response = await CallAsync(options => _kv.TxnAsync(Conditional(key, current.ResourceVersion,
            new RequestOp { RequestPut = new PutRequest { Key = key, Value = UnsafeByteOperations.UnsafeWrap(updated.Utf8Memory) } }), options),
            cancellationToken);
        return response.Succeeded ? Remember(new StoredPod(updated, response.Header.Revision)) : Refresh(current.Key, response);
    }

    public async ValueTask<long?> DeleteAsync(StoredPod current, CancellationToken cancellationToken = default)
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

    /// <summary>After a failed conditional write: holds the version the transaction read instead (or forgets a deleted pod).</summary>
    private StoredPod? Refresh(PodKey key, TxnResponse response)
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

    public async ValueTask ImportAsync(IReadOnlyList<StoredPod> pods, CancellationToken cancellationToken = default)
    {
        // One transaction per pod, many at a time: each is created unless its key is already there (another
        // replica seeded it, or it was written since), so every replica may start with the same seed.
        using var inFlight = new SemaphoreSlim(64);
        var writes = pods.Select(async pod =>
        {
            await inFlight.WaitAsync(cancellationToken);
            try
            {
                await CreateAsync(pod.Pod, cancellationToken);
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
                    if (ToEvent(change) is { } podEvent)
                    {
                        revision = podEvent.ResourceVersion;
                        yield return podEvent;
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

    /// <summary>A watch event as the change it is; a deletion carries the pod as it was, at the deletion's revision.</summary>
    private PodEvent? ToEvent(Event change)
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
            return new PodEvent(EventTypes.Deleted, previous with { ResourceVersion = change.Kv.ModRevision }, previous);
        }

        var pod = ToStored(change.Kv);
        return change.PrevKv is { } earlier
            ? new PodEvent(EventTypes.Modified, pod, () => ToStored(earlier))
            : new PodEvent(EventTypes.Added, pod, previous: null);
    }

    /// <summary>
    /// A key-value as a stored pod, reusing the version held when it is the same revision, or this replica's own
    /// write of the same bytes (its watch event may come before the write's answer): decoding a pod costs far more.
    /// </summary>
    internal StoredPod ToStored(KeyValue kv)
    {
        var key = _keys.Parse(kv.Key);
        if (_recent.At(key, kv.ModRevision) is { } held)
        {
            return held;
        }

        var pod = _writing.Get(key) is { } written && written.Utf8.SequenceEqual(kv.Value.Span) ? written : EncodedPod.Decode(kv.Value.Span);
        return new StoredPod(pod, kv.ModRevision);
    }

    private StoredPod Remember(StoredPod pod)
    {
        _recent.Put(pod);
        return pod;
    }

    /// <summary>One call to etcd, answered within the request timeout or taken for etcd being unavailable.</summary>
    private Task<T> CallAsync<T>(Func<CallOptions, AsyncUnaryCall<T>> call, CancellationToken cancellationToken) =>
        Unavailable(() => call(new CallOptions(deadline: DateTime.UtcNow + _timeout, cancellationToken: cancellationToken)).ResponseAsync, cancellationToken);

    private static async Task<T> Unavailable<T>(Func<Task<T>> call, CancellationToken cancellationToken)
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

    public void Dispose() => _client.Dispose();

    private static partial class LogMessages
    {
        [LoggerMessage(Level = LogLevel.Warning, Message = "etcd reported the deletion of {Key} without its last state; watchers are not told")]
        public static partial void DeletionWithoutPrevious(ILogger logger, string key);
    }
}
