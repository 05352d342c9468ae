using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using PodStatus.Api.Resources.Pods;
using PodStatus.Api.Storage;
using PodStatus.Api.Storage.Etcd;

namespace PodStatus.Api.Tests.Storage;

/// <summary>What every <see cref="IStore"/> must do, shown with pods. A new store is tested by adding a subclass.</summary>
public abstract class StoreContractTests
{
    protected abstract IStore CreateStore();

    /// <summary>Whether the store's revision counts writes beyond this store's keys (etcd's is shared by every key).</summary>
    protected virtual bool SharesRevisions => false;

    [Fact]
    public async Task TheChangeStream_TellsEveryWriteAfterARevision_InOrder_WithTheVersionBefore()
    {
        var store = CreateStore();
        var start = await store.RevisionAsync(Token);
        var a = (await store.CreateAsync(Pod("a"), Token))!;
        var running = (await store.UpdateAsync(a, Pod("a", phase: "Running"), Token))!;
        var deleted = (await store.DeleteAsync(running, Token))!.Value;

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Token);
        stop.CancelAfter(TimeSpan.FromSeconds(10));
        var changes = new List<ObjectEvent>();
        await foreach (var progress in store.WatchAsync(start, stop.Token))
        {
            if (progress.Change is { } change)
            {
                changes.Add(change);
            }

            if (changes.Count == 3)
            {
                break;
            }
        }

        Assert.Equal(
            [(EventTypes.Added, a.ResourceVersion, "Pending"), (EventTypes.Modified, running.ResourceVersion, "Running"), (EventTypes.Deleted, deleted, "Running")],
            changes.Select(c => (c.Type, c.ResourceVersion, ((EncodedPod)c.Object.Object).DecodeStatus().Phase)));
        Assert.Null(changes[0].Previous);
        Assert.Equal(a.ResourceVersion, changes[1].Previous!.ResourceVersion);
        Assert.Equal(running.ResourceVersion, changes[2].Previous!.ResourceVersion);
    }

    [Fact]
    public async Task TheChangeStream_FromARevisionNoLongerKept_IsRefused()
    {
        var store = CreateStore();
        var first = (await store.CreateAsync(Pod("a"), Token))!;
        for (var i = 0; i < 5; i++)
        {
            first = (await store.UpdateAsync(first, Pod("a", phase: i % 2 == 0 ? "Running" : "Pending"), Token))!;
        }

        await ForgetHistoryBeforeAsync(store, first.ResourceVersion);

        await Assert.ThrowsAsync<RevisionCompactedException>(async () =>
        {
            await foreach (var _ in store.WatchAsync(first.ResourceVersion - 3, Token))
            {
            }
        });
    }

    [Fact]
    public async Task ListAt_ARevisionNoLongerKept_IsNull()
    {
        var store = CreateStore();
        var a = (await store.CreateAsync(Pod("a"), Token))!;
        var b = (await store.CreateAsync(Pod("b"), Token))!;
        using (var atA = (await store.ListAtAsync(null, a.ResourceVersion, Token))!)
        {
            Assert.Equal(["default/a"], atA.Read().Select(p => p.Key.ToString()));
        }

        await ForgetHistoryBeforeAsync(store, b.ResourceVersion);

        Assert.Null(await store.ListAtAsync(null, a.ResourceVersion, Token));
    }

    [Fact]
    public async Task List_IsInEtcdKeyOrder_ANamespaceFollowedByADashBeforeItself()
    {
        var store = CreateStore();
        await store.CreateAsync(Pod("a", "ns"), Token);
        await store.CreateAsync(Pod("b", "ns-a"), Token);
        await store.CreateAsync(Pod("c", "ns0"), Token);
        await store.CreateAsync(Pod("d", "n"), Token);

        using var list = await store.ListAsync(null, Token);
        var keys = list.Read().Select(p => p.Key.ToString()).ToList();
        using var rest = await store.ListAsync(null, Token);

        // Keys "n/", "ns-a/", "ns/", "ns0/" sort byte-wise: '-' < '/' < '0'.
        Assert.Equal(["n/d", "ns-a/b", "ns/a", "ns0/c"], keys);
        Assert.Equal(["ns/a", "ns0/c"], rest.Read(new ObjectKey("ns-a", "b")).Select(p => p.Key.ToString()));
        Assert.Equal(2, rest.Count(new ObjectKey("ns-a", "b")));
    }

    /// <summary>Makes the store forget the changes before <paramref name="revision"/> (etcd's compaction).</summary>
    protected abstract Task ForgetHistoryBeforeAsync(IStore store, long revision);

    protected static CancellationToken Token => TestContext.Current.CancellationToken;

    /// <summary>How a pod's stored bytes read back, as the pod strategy reads them.</summary>
    protected static EncodedObject Decode(ReadOnlyMemory<byte> stored) => PodStatus.Api.Tests.Infrastructure.TestPods.Strategy.Read(stored);

    protected static EncodedObject Pod(string name, string ns = "default", string phase = "Pending") => EncodedPod.Encode(
        new V1ObjectMeta { Name = name, NamespaceProperty = ns, Uid = Guid.NewGuid().ToString() },
        new V1PodSpec { Containers = [new V1Container { Name = "c", Image = "busybox" }] },
        new V1PodStatus { Phase = phase });

    [Fact]
    public async Task Create_AssignsIncreasingRevisions_AndRefusesATakenKey()
    {
        var store = CreateStore();

        var a = await store.CreateAsync(Pod("a"), Token);
        var b = await store.CreateAsync(Pod("b"), Token);
        var again = await store.CreateAsync(Pod("a"), Token);

        Assert.NotNull(a);
        Assert.NotNull(b);
        Assert.True(b.ResourceVersion > a.ResourceVersion);
        Assert.Null(again);
    }

    [Fact]
    public async Task Update_SucceedsOnlyAgainstTheCurrentVersion()
    {
        var store = CreateStore();
        var created = (await store.CreateAsync(Pod("a"), Token))!;

        var first = await store.UpdateAsync(created, Pod("a", phase: "Running"), Token);
        var stale = await store.UpdateAsync(created, Pod("a", phase: "Failed"), Token);

        Assert.NotNull(first);
        Assert.True(first.ResourceVersion > created.ResourceVersion);
        Assert.Null(stale);
        Assert.Equal("Running", (await store.GetAsync(created.Key, cancellationToken: Token))!.Object is EncodedPod stored ? stored.DecodeStatus().Phase : null);
    }

    [Fact]
    public async Task Delete_SucceedsOnlyAgainstTheCurrentVersion_AndTakesARevision()
    {
        var store = CreateStore();
        var created = (await store.CreateAsync(Pod("a"), Token))!;
        var updated = (await store.UpdateAsync(created, Pod("a", phase: "Running"), Token))!;

        var stale = await store.DeleteAsync(created, Token);
        var revision = await store.DeleteAsync(updated, Token);

        Assert.Null(stale);
        Assert.True(revision > updated.ResourceVersion);
        Assert.Null(await store.GetAsync(created.Key, cancellationToken: Token));
    }

    [Fact]
    public async Task List_IsOrderedByKey_FiltersByNamespace_AndCarriesTheLatestRevision()
    {
        var store = CreateStore();
        await store.CreateAsync(Pod("b", "ns2"), Token);
        await store.CreateAsync(Pod("z", "ns1"), Token);
        var last = (await store.CreateAsync(Pod("a", "ns1"), Token))!;

        using var all = await store.ListAsync(null, Token);
        using var ns1 = await store.ListAsync("ns1", Token);

        Assert.Equal(["ns1/a", "ns1/z", "ns2/b"], all.Read().Select(p => p.Key.ToString()));
        Assert.Equal(["ns1/a", "ns1/z"], ns1.Read().Select(p => p.Key.ToString()));
        // At least the last write: etcd's revision is shared by every key, and other tests write to the same etcd.
        Assert.InRange(all.ResourceVersion, last.ResourceVersion, long.MaxValue);
        if (!SharesRevisions)
        {
            Assert.Equal(last.ResourceVersion, all.ResourceVersion);
        }
    }

    [Fact]
    public async Task ListAt_AnEarlierRevision_ShowsThePodsAsTheyStoodThen()
    {
        var store = CreateStore();
        var a = (await store.CreateAsync(Pod("a", "ns1"), Token))!;
        var b = (await store.CreateAsync(Pod("b", "ns1"), Token))!;
        await store.CreateAsync(Pod("c", "ns2"), Token);
        using var then = await store.ListAsync(null, Token);
        var thenVersions = then.Read().Select(p => p.ResourceVersion).ToList();

        var running = (await store.UpdateAsync(a, Pod("a", "ns1", phase: "Running"), Token))!;
        await store.DeleteAsync(b, Token);
        await store.CreateAsync(Pod("d", "ns1"), Token);
        await store.UpdateAsync(running, Pod("a", "ns1", phase: "Failed"), Token);

        using var at = (await store.ListAtAsync(null, then.ResourceVersion, Token))!;
        using var ns1 = (await store.ListAtAsync("ns1", then.ResourceVersion, Token))!;

        Assert.Equal(then.ResourceVersion, at.ResourceVersion);
        Assert.Equal(["ns1/a", "ns1/b", "ns2/c"], at.Read().Select(p => p.Key.ToString()));
        Assert.Equal(thenVersions, at.Read().Select(p => p.ResourceVersion));
        Assert.Equal("Pending", ((EncodedPod)at.Read().First().Object).DecodeStatus().Phase);
        Assert.Equal(["ns1/a", "ns1/b"], ns1.Read().Select(p => p.Key.ToString()));
        // The snapshot taken before the writes reads the same, though it is read after them.
        Assert.Equal(thenVersions, then.Read().Select(p => p.ResourceVersion));
    }

    [Fact]
    public async Task Snapshots_ReadOnFromAKey_AndCountWhatIsLeft_AtTheirRevision()
    {
        var store = CreateStore();
        var pods = new List<StoredObject>();
        foreach (var (name, ns) in new[] { ("a", "ns1"), ("b", "ns1"), ("c", "ns1"), ("d", "ns2"), ("e", "ns2") })
        {
            pods.Add((await store.CreateAsync(Pod(name, ns), Token))!);
        }

        using var now = await store.ListAsync(null, Token);
        using var ns1Now = await store.ListAsync("ns1", Token);
        await store.DeleteAsync(pods[1], Token);
        await store.CreateAsync(Pod("bb", "ns1"), Token);
        await store.UpdateAsync(pods[3], Pod("d", "ns2", phase: "Running"), Token);
        using var earlier = (await store.ListAtAsync(null, now.ResourceVersion, Token))!;

        foreach (var snapshot in new[] { now, earlier })
        {
            Assert.Equal(["ns1/c", "ns2/d", "ns2/e"], snapshot.Read(new ObjectKey("ns1", "b")).Select(p => p.Key.ToString()));
            Assert.Equal(["ns1/b", "ns1/c", "ns2/d", "ns2/e"], snapshot.Read(new ObjectKey("ns1", "a0")).Select(p => p.Key.ToString()));
            Assert.Equal(3, snapshot.Count(new ObjectKey("ns1", "b")));
            Assert.Equal(5, snapshot.Count());
            Assert.Equal(0, snapshot.Count(new ObjectKey("ns2", "e")));
        }

        Assert.Equal(["ns1/b", "ns1/c"], ns1Now.Read(new ObjectKey("ns1", "a")).Select(p => p.Key.ToString()));
        Assert.Equal(2, ns1Now.Count(new ObjectKey("ns1", "a")));
        Assert.Equal(["ns1/a", "ns1/bb", "ns1/c"], (await store.ListAsync("ns1", Token)).Read().Select(p => p.Key.ToString()));
    }

    [Fact]
    public async Task Lists_TakenDuringWrites_ShowTheStateAtTheirRevision()
    {
        var store = CreateStore();
        var writes = new System.Collections.Concurrent.ConcurrentBag<(string Key, long Revision, bool Deleted)>();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var writers = Enumerable.Range(0, 2).Select(writer => Task.Run(async () =>
        {
            for (var round = 0; !stop.IsCancellationRequested; round++)
            {
                var name = $"w{writer}-{round % 50}";
                var current = await store.GetAsync(new ObjectKey("default", name), cancellationToken: Token);
                if (current is null)
                {
                    if (await store.CreateAsync(Pod(name), Token) is { } created)
                    {
                        writes.Add((created.Key.ToString(), created.ResourceVersion, false));
                    }
                }
                else if (round % 7 == 0 && await store.DeleteAsync(current, Token) is { } deleted)
                {
                    writes.Add((current.Key.ToString(), deleted, true));
                }
                else if (await store.UpdateAsync(current, Pod(name, phase: $"P{round}"), Token) is { } updated)
                {
                    writes.Add((updated.Key.ToString(), updated.ResourceVersion, false));
                }

                await Task.Yield();
            }
        }, Token)).ToList();
        var lists = new List<Snapshot>();
        while (lists.Count < 200 && !stop.IsCancellationRequested)
        {
            lists.Add(await store.ListAsync(null, Token));
            await Task.Delay(2, Token);
        }

        await stop.CancelAsync();
        await Task.WhenAll(writers);

        Assert.True(lists.Count > 10 && writes.Count > 100, $"{lists.Count} lists, {writes.Count} writes");
        var byKey = writes.GroupBy(w => w.Key).ToDictionary(g => g.Key, g => g.OrderBy(w => w.Revision).ToList());
        foreach (var list in lists)
        {
            var expected = byKey
                .Select(entry => entry.Value.LastOrDefault(w => w.Revision <= list.ResourceVersion))
                .Where(last => last.Key is not null && !last.Deleted)
                .Select(last => $"{last.Key}@{last.Revision}")
                .Order(StringComparer.Ordinal);
            Assert.Equal(expected, list.Read().Select(pod => $"{pod.Key}@{pod.ResourceVersion}").Order(StringComparer.Ordinal));
            Assert.Equal(expected.Count(), list.Count());
            list.Dispose();
        }
    }

    [Fact]
    public async Task ConcurrentUpdates_OfOnePod_SucceedExactlyOncePerVersion()
    {
        var store = CreateStore();
        var created = (await store.CreateAsync(Pod("a"), Token))!;

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ =>
            Task.Run(async () => await store.UpdateAsync(created, Pod("a", phase: "Running"), Token), Token)));

        Assert.Single(results, r => r is not null);
    }
}

public sealed class InMemoryStoreTests : StoreContractTests
{
    protected override IStore CreateStore() => new InMemoryStores(historySize: 1000, TimeProvider.System).Create("pods", Decode, null);

    protected override async Task ForgetHistoryBeforeAsync(IStore store, long revision)
    {
        // The in-memory store keeps its last historySize changes: push the older ones out.
        var pod = (await store.CreateAsync(Pod("filler"), Token))!;
        for (var i = 0; i < 1000; i++)
        {
            pod = (await store.UpdateAsync(pod, Pod("filler", phase: i % 2 == 0 ? "Running" : "Pending"), Token))!;
        }
    }

    /// <summary>
    /// A long read (a watch's initial events or a list whose selector passes over most objects) hands its thread
    /// back to the pool now and then: a million-object read otherwise held it for a second, and with the other
    /// threads busy (the simulation holds one) requests waited for the pool to add a thread.
    /// </summary>
    [Fact]
    public async Task ALongRead_HandsItsThreadBackNowAndThen()
    {
        var store = CreateStore();
        await store.ImportAsync([.. Enumerable.Range(0, 10_000).Select(i => new StoredObject(Pod($"p{i:D5}"), i + 1))], Token);
        using var snapshot = await store.ListAsync(null, Token);

        var read = 0;
        var handedBack = 0;
        await using var reader = snapshot.ReadAsync(cancellationToken: Token).GetAsyncEnumerator(Token);
        while (true)
        {
            var next = reader.MoveNextAsync();
            handedBack += next.IsCompleted ? 0 : 1;
            if (!await next)
            {
                break;
            }

            Assert.Equal($"p{read++:D5}", reader.Current.Key.Name);
        }

        Assert.Equal(10_000, read);
        Assert.InRange(handedBack, 1, 10);
    }

    [Fact]
    public async Task ALongRead_StopsWhenCancelled_AtItsNextHandBack()
    {
        var store = CreateStore();
        await store.ImportAsync([.. Enumerable.Range(0, 10_000).Select(i => new StoredObject(Pod($"p{i:D5}"), i + 1))], Token);
        using var snapshot = await store.ListAsync(null, Token);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Token);

        var read = 0;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var _ in snapshot.ReadAsync(cancellationToken: cancel.Token))
            {
                if (++read == 10)
                {
                    await cancel.CancelAsync();
                }
            }
        });

        Assert.InRange(read, 10, 4096);
    }

    /// <summary>Objects that expire together go a few hundred a pass, so the write lock every store shares is not held
    /// for the whole lot (a million events written together expire together); on a fake clock, all within the
    /// one advance, as a test moving time on expects.</summary>
    [Fact]
    public async Task ObjectsExpiringTogether_GoAFewHundredAPass_AllWithinOneAdvanceOfAFakeClock()
    {
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        var store = (InMemoryStore)new InMemoryStores(historySize: 1000, clock).Create("pods", Decode, TimeSpan.FromSeconds(10));
        for (var i = 0; i < 500; i++)
        {
            await store.CreateAsync(Pod($"p{i:D3}"), Token);
        }

        clock.Advance(TimeSpan.FromSeconds(5));
        await store.UpdateAsync((await store.GetAsync(new ObjectKey("default", "p007"), cancellationToken: Token))!, Pod("p007", phase: "Running"), Token);
        clock.Advance(TimeSpan.FromSeconds(5));

        using var left = await store.ListAsync(null, Token);
        Assert.Equal(["default/p007"], left.Read().Select(p => p.Key.ToString()));
        Assert.Equal(3, store.ExpiryPasses);
    }

    /// <summary>
    /// A deleted object's place in the store's version table goes to the next object created; when the deleted
    /// one's time to live ends, the object now in its place is not taken for it, and it expires on its own time.
    /// </summary>
    [Fact]
    public async Task AnObjectDeletedBeforeItExpires_LeavesTheObjectCreatedInItsPlaceToItsOwnTime()
    {
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        var store = new InMemoryStores(historySize: 1000, clock).Create("pods", Decode, TimeSpan.FromSeconds(10));
        await store.DeleteAsync((await store.CreateAsync(Pod("a"), Token))!, Token);
        clock.Advance(TimeSpan.FromSeconds(5));
        await store.CreateAsync(Pod("b"), Token);

        clock.Advance(TimeSpan.FromSeconds(5));

        using var left = await store.ListAsync(null, Token);
        Assert.Equal(["default/b"], left.Read().Select(p => p.Key.ToString()));
        Assert.NotNull(await store.GetAsync(new ObjectKey("default", "b"), cancellationToken: Token));

        clock.Advance(TimeSpan.FromSeconds(5));

        Assert.Null(await store.GetAsync(new ObjectKey("default", "b"), cancellationToken: Token));
    }

    [Fact]
    public async Task Import_KeepsResourceVersions_AndLaterWritesCountOnFromTheHighest()
    {
        var store = CreateStore();
        await store.ImportAsync([new StoredObject(Pod("a"), 40), new StoredObject(Pod("b"), 12)], Token);

        var created = (await store.CreateAsync(Pod("c"), Token))!;

        Assert.Equal(40, (await store.GetAsync(new ObjectKey("default", "a"), cancellationToken: Token))!.ResourceVersion);
        Assert.Equal(41, created.ResourceVersion);
    }

    /// <summary>
    /// Lists taken while writers create, update and delete pods each show the pods exactly as they stood at the
    /// list's revision, though they are read only after every write: every write is recorded, and the state at a
    /// revision rebuilt from the record.
    /// </summary>
    [Fact]
    public async Task ListAt_ARevisionOlderThanTheKeptHistory_IsNull()
    {
        var store = new InMemoryStores(historySize: 2, TimeProvider.System).Create("pods", Decode, null);
        var a = (await store.CreateAsync(Pod("a"), Token))!;
        var b = (await store.CreateAsync(Pod("b"), Token))!;
        await store.CreateAsync(Pod("c"), Token);
        await store.CreateAsync(Pod("d"), Token);

        Assert.Null(await store.ListAtAsync(null, a.ResourceVersion, Token));
        Assert.Equal(["default/a", "default/b"], (await store.ListAtAsync(null, b.ResourceVersion, Token))!.Read().Select(p => p.Key.ToString()));
    }

    [Fact]
    public async Task ASnapshotKeptForLaterPages_OutlivesTheKeptHistory_ForAMinuteFromItsLastUse()
    {
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        var store = new InMemoryStores(historySize: 2, clock).Create("pods", Decode, null);
        var a = (await store.CreateAsync(Pod("a"), Token))!;
        await store.CreateAsync(Pod("b"), Token);
        var first = await store.ListAsync(null, Token);
        first.KeepForLaterPages();
        first.Dispose();

        // More writes than the history holds: the log no longer reaches the snapshot's revision.
        await store.DeleteAsync(a, Token);
        await store.CreateAsync(Pod("c"), Token);
        await store.CreateAsync(Pod("d"), Token);
        clock.Advance(TimeSpan.FromSeconds(50));
        using (var page = (await store.ListAtAsync(null, first.ResourceVersion, Token))!)
        {
            Assert.Equal(["default/a", "default/b"], page.Read().Select(p => p.Key.ToString()));
            page.KeepForLaterPages();
        }

        clock.Advance(TimeSpan.FromSeconds(50));
        Assert.NotNull(await store.ListAtAsync(null, first.ResourceVersion, Token));
        clock.Advance(InMemoryStore.KeptForLaterPages);
        Assert.Null(await store.ListAtAsync(null, first.ResourceVersion, Token));
    }
}

public sealed class EtcdStoreTests : StoreContractTests, IAsyncLifetime
{
    protected override bool SharesRevisions => true;

    private EtcdServer? _etcd;

    public async ValueTask InitializeAsync() => _etcd = await EtcdServer.SharedAsync();

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    protected override IStore CreateStore() =>
        new EtcdStores(new EtcdOptions { Endpoints = _etcd!.Endpoints, Prefix = EtcdServer.NewPrefix() }, NullLoggerFactory.Instance).Create("pods", Decode, null);

    protected override async Task ForgetHistoryBeforeAsync(IStore store, long revision)
    {
        using var client = new dotnet_etcd.EtcdClient(_etcd!.Endpoints);
        await client.GetConnection().KVClient.CompactAsync(
            new Etcdserverpb.CompactionRequest { Revision = revision, Physical = true }, cancellationToken: Token);
    }

    [Fact]
    public async Task Import_CreatesPodsNotYetStored_AndKeepsThoseAlreadyThere()
    {
        var store = CreateStore();
        var written = (await store.CreateAsync(Pod("a", phase: "Running"), Token))!;

        await store.ImportAsync([new StoredObject(Pod("a"), 7), new StoredObject(Pod("b"), 8)], Token);

        Assert.Equal(written.ResourceVersion, (await store.GetAsync(written.Key, cancellationToken: Token))!.ResourceVersion);
        Assert.Equal("Running", (await store.GetAsync(written.Key, cancellationToken: Token))!.Object is EncodedPod stored ? stored.DecodeStatus().Phase : null);
        Assert.True((await store.GetAsync(new ObjectKey("default", "b"), cancellationToken: Token))!.ResourceVersion > written.ResourceVersion);
    }

    [Fact]
    public async Task APodIsStoredAsKubeApiserverStoresIt_ItsJsonUnderRegistryPods()
    {
        var prefix = EtcdServer.NewPrefix();
        var store = new EtcdStores(new EtcdOptions { Endpoints = _etcd!.Endpoints, Prefix = prefix }, NullLoggerFactory.Instance).Create("pods", Decode, null);
        var created = (await store.CreateAsync(Pod("web", "shop"), Token))!;

        using var client = new dotnet_etcd.EtcdClient(_etcd.Endpoints);
        var stored = (await client.GetAsync($"{prefix}/pods/shop/web", cancellationToken: Token)).Kvs.Single();

        Assert.Equal(created.ResourceVersion, stored.ModRevision);
        using var json = System.Text.Json.JsonDocument.Parse(stored.Value.Memory);
        Assert.Equal("Pod", json.RootElement.GetProperty("kind").GetString());
        Assert.Equal("web", json.RootElement.GetProperty("metadata").GetProperty("name").GetString());
        Assert.False(json.RootElement.GetProperty("metadata").TryGetProperty("resourceVersion", out _));
    }
}

/// <summary>Reads a snapshot whole, for assertions.</summary>
internal static class SnapshotReading
{
    public static IEnumerable<StoredObject> Read(this Snapshot snapshot, ObjectKey? after = null) =>
        snapshot.ReadAsync(after, TestContext.Current.CancellationToken).ToBlockingEnumerable();

    public static long Count(this Snapshot snapshot, ObjectKey? after = null) =>
        snapshot.CountAsync(after, TestContext.Current.CancellationToken).AsTask().GetAwaiter().GetResult();
}
