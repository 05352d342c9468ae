using System.Diagnostics;
using k8s;
using k8s.LeaderElection;
using k8s.LeaderElection.ResourceLock;

namespace PodStatus.ClientTests;

/// <summary>
/// Three leader electors of the official C# client (<c>LeaderElector</c> with a <c>LeaseLock</c>, as a controller
/// elects its leader) against one PodStatus, and against two replicas sharing an etcd. What keeps two from leading
/// at once is the server's optimistic lock: every renewal and takeover is an update naming the resourceVersion it
/// read, and only one of two racing updates may succeed.
/// </summary>
public sealed class LeaderElectionTests
{
    private static readonly TimeSpan LeaseDuration = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan RetryPeriod = TimeSpan.FromMilliseconds(500);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ThreeElectors_OnOneServer_OneLeadsAtATime_AndAnotherTakesOverWithinTheLeaseDuration()
    {
        using var server = new RealPortServer();

        await ElectAsync([server.Url]);
    }

    [Fact]
    public async Task ThreeElectors_OnTwoReplicasOnEtcd_OneLeadsAtATime_AndAnotherTakesOverWithinTheLeaseDuration()
    {
        var prefix = EtcdServer.NewPrefix();
        using var first = RealPortServer.OnEtcd(prefix: prefix);
        using var second = RealPortServer.OnEtcd(prefix: prefix);

        await ElectAsync([first.Url, second.Url]);
    }

    /// <summary>Three electors, spread over <paramref name="servers"/>; the leader stops, and another takes over.</summary>
    private static async Task ElectAsync(IReadOnlyList<string> servers)
    {
        var gate = new object();
        var (leading, mostAtOnce) = (0, 0);
        var leaders = new List<(string Identity, TimeSpan At)>();
        var clock = Stopwatch.StartNew();
        var electors = Enumerable.Range(1, 3).Select(i => new Elector($"candidate-{i}", servers[i % servers.Count])).ToList();
        foreach (var elector in electors)
        {
            elector.Leader.OnStartedLeading += () =>
            {
                lock (gate)
                {
                    mostAtOnce = Math.Max(mostAtOnce, ++leading);
                    leaders.Add((elector.Identity, clock.Elapsed));
                }
            };
            elector.Leader.OnStoppedLeading += () =>
            {
                lock (gate)
                {
                    leading--;
                }
            };
        }

        try
        {
            electors.ForEach(elector => elector.Start());
            var first = await WaitForLeaderAsync(electors, except: null);
            // Several renewals: the followers keep trying, and none may take the lease from a leader that renews.
            await Task.Delay(LeaseDuration * 2, Token);
            var steady = await first.Client.CoordinationV1.ReadNamespacedLeaseAsync("controller", "default", cancellationToken: Token);

            var stoppedAt = clock.Elapsed;
            await first.StopAsync();
            var next = await WaitForLeaderAsync(electors, except: first);
            var takeover = leaders.Single(leader => leader.Identity == next.Identity).At - stoppedAt;
            var lease = await next.Client.CoordinationV1.ReadNamespacedLeaseAsync("controller", "default", cancellationToken: Token);

            lock (gate)
            {
                Assert.Equal(1, mostAtOnce);
                Assert.Equal([first.Identity, next.Identity], leaders.Select(leader => leader.Identity));
            }

            Assert.Equal((first.Identity, 0), (steady.Spec.HolderIdentity, steady.Spec.LeaseTransitions ?? 0));
            Assert.Equal((next.Identity, 1, 3), (lease.Spec.HolderIdentity, lease.Spec.LeaseTransitions ?? 0, lease.Spec.LeaseDurationSeconds ?? 0));
            // A follower counts the lease from when it saw the last renewal (its observedTime, in the client's
            // LeaderElector), which is up to one retry period after the renewal, and the renewal may come just before
            // the stop; it sees the lease run out within one more retry period. Each period also waits for a request.
            Assert.True(takeover < LeaseDuration + RetryPeriod * 2.5, $"took over {takeover.TotalMilliseconds:F0} ms after the leader stopped");
        }
        finally
        {
            foreach (var elector in electors)
            {
                await elector.StopAsync();
            }
        }
    }

    private static async Task<Elector> WaitForLeaderAsync(IReadOnlyList<Elector> electors, Elector? except)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Token);
        timeout.CancelAfter(LeaseDuration * 4);
        while (true)
        {
            var leader = electors.FirstOrDefault(elector => elector != except && elector.Leader.IsLeader());
            if (leader is not null)
            {
                return leader;
            }

            await Task.Delay(20, timeout.Token);
        }
    }

    /// <summary>One candidate: its own client, lock and elector, as separate processes would have.</summary>
    private sealed class Elector
    {
        private readonly CancellationTokenSource _stop = new();
        private Task _running = Task.CompletedTask;

        public Elector(string identity, string server)
        {
            Identity = identity;
            Client = new Kubernetes(new KubernetesClientConfiguration { Host = server });
            Leader = new LeaderElector(new LeaderElectionConfig(new LeaseLock(Client, "default", "controller", identity))
            {
                LeaseDuration = LeaseDuration,
                RenewDeadline = LeaseDuration * 2 / 3,
                RetryPeriod = RetryPeriod,
            });
        }

        public string Identity { get; }

        public Kubernetes Client { get; }

        public LeaderElector Leader { get; }

        public void Start() => _running = Leader.RunAndTryToHoldLeadershipForeverAsync(_stop.Token);

        public async Task StopAsync()
        {
            if (_stop.IsCancellationRequested)
            {
                return;
            }

            await _stop.CancelAsync();
            await _running.ContinueWith(_ => { }, TaskScheduler.Default);
            Leader.Dispose();
            Client.Dispose();
        }
    }
}
