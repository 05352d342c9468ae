using System.Collections.Concurrent;
using k8s.Models;
using Microsoft.Extensions.Options;
using PodStatus.Api.Discovery;
using PodStatus.Api.Errors;
using PodStatus.Api.Registry;
using PodStatus.Api.Resources.Pods;
using PodStatus.Api.Simulation.Lifecycle;
using PodStatus.Api.Simulation.Network;
using PodStatus.Api.Simulation.Scheduling;
using PodStatus.Api.Simulation.Stages;
using PodStatus.Api.Simulation.Templates;
using PodStatus.Api.Storage;

namespace PodStatus.Api.Simulation;

/// <summary>
/// Moves pods and nodes through KWOK's stages inside the server, as KWOK's controllers would from outside
/// (<c>pkg/kwok/controllers</c>): nodes annotated <c>kwok.x-k8s.io/node: fake</c> (or every node, with
/// <c>Simulation:ManageAllNodes</c>) are simulated, and so are the pods bound to them. Stages are loaded when the
/// server starts, and one that cannot be used stops the start. Writes go through the registries as
/// <see cref="SimulatorAccess.User"/>, on the server's <see cref="TimeProvider"/>. On etcd, only the replica that holds
/// the simulator's lease simulates (<see cref="SimulatorLeadership"/>); each term starts from a fresh list.
/// </summary>
public sealed partial class Simulator(IOptions<SimulationOptions> options, IOptions<StorageOptions> storage, Registries registries, SimulatorAccess access,
    TimeProvider clock, ILogger<Simulator> logger) : BackgroundService
{
    private readonly SimulationOptions _options = options.Value;
    private readonly SimulatedNetwork _network = new(options.Value);
    private readonly ConcurrentDictionary<string, bool> _managedNodes = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _newlyManaged = new();
    private readonly SemaphoreSlim _resync = new(0);

    /// <summary>
    /// The simulation's own scheduler: every await in it comes back here, and it runs at most one task fewer than the
    /// machine has cores at a time (one on a 2-core machine). The engine never waits on I/O in memory, so without a
    /// bound its lanes and players took every core while a million pods moved, and requests and watches queued
    /// behind them (PUT p99 11x an idle server's, watchers falling a whole history behind).
    /// </summary>
    private readonly TaskScheduler _engine =
        new ConcurrentExclusiveSchedulerPair(TaskScheduler.Default, Math.Max(1, Environment.ProcessorCount - 1)).ConcurrentScheduler;

    private KindSimulation<V1Pod>? _pods;
    private volatile bool _podsFollowed;
    private ResourceFeed? _nodeFeed;
    private ResourceFeed? _podFeed;
    private KindSimulation<V1Node>? _nodes;
    private PodScheduler? _scheduler;
    private NodeLeases? _leases;

    private volatile bool _simulating;

    /// <summary>Whether this replica simulates now (on etcd, only the holder of the simulator's lease does).</summary>
    public bool Simulating => _simulating;

    /// <summary>The stages loaded (none when the simulation is off).</summary>
    public IReadOnlyList<Stage> Stages { get; private set; } = [];

    /// <summary>Pods and nodes: stages played, writes refused, stages waiting for their time.</summary>
    public (long Played, long Refused, int Waiting) Progress =>
        _pods is null || _nodes is null ? default : (_pods.Progress.Played + _nodes.Progress.Played, _pods.Progress.Refused + _nodes.Progress.Refused, _pods.Progress.Waiting + _nodes.Progress.Waiting);

    /// <summary>The template functions every stage may call.</summary>
    public static Dictionary<string, GoFunction> Functions(TimeProvider clock, SimulatedNetwork network)
    {
        var functions = KwokFunctions.Create(clock, DiscoveryEndpoints.Version.GitVersion);
        foreach (var (name, function) in network.Functions().Concat(SprigFunctions.Create()))
        {
            functions[name] = function;
        }

        return functions;
    }

    /// <summary>Loads the stages, before the server starts: one that cannot be used stops the start (<see cref="StageException"/>).</summary>
    public void Load()
    {
        if (_options.Enabled && _pods is null)
        {
            Stages = Stage.Load(_options.StagePaths, Functions(clock, _network));
            var random = new Random();
            var events = new EventRecorder(registries, access, clock, logger);
            var pods = registries.Of<V1Pod>();
            var nodes = registries.Of<V1Node>();
            _leases = new NodeLeases(registries, access, clock, _options.NodeLeaseDurationSeconds, logger);
            _scheduler = _options.Schedule ? new PodScheduler(pods, access, events, logger) : null;
            _pods = new KindSimulation<V1Pod>(pods, new StageMatcher([.. Stages.Where(stage => stage.Kind == "Pod")], random),
                new StagePlayer<V1Pod>(pods, events, access), IsOnManagedNode, ObservePod, clock, logger);
            _nodes = new KindSimulation<V1Node>(nodes, new StageMatcher([.. Stages.Where(stage => stage.Kind == "Node")], random),
                new StagePlayer<V1Node>(nodes, events, access), node => _managedNodes.ContainsKey(node.Key.Name), ObserveNode, clock, logger);
        }
    }

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        Load();
        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_pods is null || _nodes is null)
        {
            return;
        }

        try
        {
            if (storage.Value.OnEtcd)
            {
                await new SimulatorLeadership(registries, access, clock, logger).RunAsync(SimulateOnEngineAsync, stoppingToken);
            }
            else
            {
                await SimulateOnEngineAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private Task SimulateOnEngineAsync(CancellationToken term) =>
        Task.Factory.StartNew(() => SimulateAsync(term), term, TaskCreationOptions.DenyChildAttach, _engine).Unwrap();

    /// <summary>One term of simulating: from a fresh list of nodes, then of pods, until <paramref name="term"/> ends.</summary>
    private async Task SimulateAsync(CancellationToken term)
    {
        // What an earlier term knew may be out of date: every object is listed and matched again.
        _podsFollowed = false;
        _managedNodes.Clear();
        _pods!.Clear();
        _nodes!.Clear();
        _leases!.Clear();
        await RegisterNodesAsync(term);
        var nodeFeed = _nodeFeed = new ResourceFeed(_nodes.Registry);
        var following = new List<Task> { nodeFeed.RunAsync(_nodes, term), _nodes.RunAsync(term), _leases.RunAsync(term) };
        // Pods are matched once the nodes they are bound to are known.
        await nodeFeed.FirstList.WaitAsync(term);
        _podsFollowed = true;
        var podFeed = _podFeed = new ResourceFeed(_pods.Registry);
        following.Add(podFeed.RunAsync(_pods, term));
        following.Add(_pods.RunAsync(term));
        following.Add(ResyncAsync(term));
        if (_scheduler is not null)
        {
            following.Add(_scheduler.RunAsync(term));
        }

        _simulating = true;
        try
        {
            await Task.WhenAll(following);
        }
        finally
        {
            _simulating = false;
        }
    }

    /// <summary>
    /// Completes once the simulation has caught up: every change so far seen and matched, every stage due played, the
    /// scheduler's queue empty, so that only stages waiting for their delay remain. A test then moves the clock on
    /// and knows what is due. (Checked every 10 ms, and twice in a row, as work hands itself on between queues.)
    /// </summary>
    public async Task WaitUntilIdleAsync(CancellationToken cancellationToken = default)
    {
        if (_options.Enabled && _pods is not null && _nodes is not null)
        {
            // Every change made so far first reaches the watch caches the simulation reads: at once in memory, on
            // etcd when its watch delivers it, which the feeds being caught up with the caches does not wait for.
            await ReachedAsync(_pods.Registry, cancellationToken);
            await ReachedAsync(_nodes.Registry, cancellationToken);
        }

        var quiet = 0;
        while (quiet < 2)
        {
            await Task.Delay(10, cancellationToken);
            var idle = !_options.Enabled || (_simulating && _nodeFeed?.CaughtUp == true && _podFeed?.CaughtUp == true &&
                _nodes!.IsIdle && _pods!.IsIdle && _scheduler?.IsIdle != false && _newlyManaged.IsEmpty);
            quiet = idle ? quiet + 1 : 0;
        }
    }

    private static async Task ReachedAsync(IRegistry registry, CancellationToken cancellationToken) =>
        await registry.Cache.ReachesAsync(await registry.Store.RevisionAsync(cancellationToken), TimeProvider.System, cancellationToken);

    /// <summary><c>Simulation:Nodes</c> simulated nodes, registered as a kubelet registers its node (kept if they exist).</summary>
    private async Task RegisterNodesAsync(CancellationToken cancellationToken)
    {
        var nodes = registries.Of<V1Node>();
        for (var i = 0; i < _options.Nodes; i++)
        {
            var name = $"node-{i}";
            var cidr = $"10.{64 + (i / 256)}.{i % 256}.0/24";
            var address = $"172.{16 + ((i + 1) >> 16)}.{((i + 1) >> 8) & 255}.{(i + 1) & 255}";
            var node = new V1Node
            {
                Metadata = new V1ObjectMeta
                {
                    Name = name,
                    Annotations = new Dictionary<string, string> { [SimulationOptions.ManagedNodeAnnotation] = "fake" },
                    Labels = new Dictionary<string, string>
                    {
                        ["kubernetes.io/hostname"] = name,
                        ["kubernetes.io/os"] = "linux",
                        ["kubernetes.io/arch"] = "amd64",
                        ["type"] = "kwok",
                    },
                },
                Spec = new V1NodeSpec { PodCIDR = cidr, PodCIDRs = [cidr] },
                Status = new V1NodeStatus { Addresses = [new V1NodeAddress { Address = address, Type = "InternalIP" }, new V1NodeAddress { Address = name, Type = "Hostname" }] },
            };
            try
            {
                await access.WriteAsync("create", nodes.Resource, ObjectKey.Cluster(name), "", async () => await nodes.CreateAsync("", node, dryRun: false, cancellationToken));
            }
            catch (StatusException error) when (error.Status.Code == 409)
            {
                // Registered before (a store that outlives the server).
            }
        }
    }

    private bool IsOnManagedNode(StoredObject pod) =>
        pod.Object.Fields.Field(PodFields.NodeNameIndex) is { Length: > 0 } node && _managedNodes.ContainsKey(node);

    /// <summary>Keeps the pod IPs of simulated nodes' pods: held while a pod lives, given back when it goes.</summary>
    private void ObservePod(StoredObject pod, bool deleted)
    {
        if (_scheduler is not null)
        {
            if (deleted)
            {
                _scheduler.Forget(pod.Key);
            }
            else
            {
                _scheduler.Offer(pod);
            }
        }

        if (pod.Object.Fields.Field(PodFields.NodeNameIndex) is not { Length: > 0 } node || !_managedNodes.ContainsKey(node))
        {
            return;
        }

        var ip = pod.Object.Fields.Field(PodFields.PodIpIndex);
        if (deleted)
        {
            _network.Releases(node, pod.Object.Uid, ip);
        }
        else if (!string.IsNullOrEmpty(ip))
        {
            _network.Holds(node, pod.Object.Uid, ip);
        }
    }

    /// <summary>Which nodes are simulated, and their addresses and pod CIDRs.</summary>
    private void ObserveNode(StoredObject stored, bool deleted)
    {
        var name = stored.Key.Name;
        if (deleted)
        {
            _managedNodes.TryRemove(name, out _);
            _network.RemoveNode(name);
            _scheduler?.ObserveNode(name, null);
            _leases?.Release(name);
            return;
        }

        var node = registries.Of<V1Node>().Strategy.Decode(stored.Object);
        var managed = _options.ManageAllNodes ||
            node.Metadata.Annotations?.TryGetValue(SimulationOptions.ManagedNodeAnnotation, out var value) == true && value == "fake";
        _scheduler?.ObserveNode(name, managed ? node : null);
        if (!managed)
        {
            _managedNodes.TryRemove(name, out _);
            _leases?.Release(name);
            return;
        }

        var cidrs = node.Spec?.PodCIDRs is { Count: > 0 } many ? many : node.Spec?.PodCIDR is { Length: > 0 } one ? [one] : [];
        var addresses = (node.Status?.Addresses ?? []).Where(address => address.Type == "InternalIP").Select(address => address.Address).ToList();
        _network.SetNode(name, new SimulatedNetwork.NodeNetwork(addresses, [.. cidrs]));
        if (!_managedNodes.TryAdd(name, true))
        {
            return;
        }

        _leases?.Hold(name, stored.Object.Uid);
        // Nodes simulated before the pods are first listed have their pods matched by that list.
        if (_podsFollowed)
        {
            _newlyManaged.Enqueue(name);
            _resync.Release();
        }
    }

    /// <summary>Pods already bound to a node when it becomes simulated are matched then, as KWOK syncs a node's pods.</summary>
    private async Task ResyncAsync(CancellationToken cancellationToken)
    {
        var pods = registries.Of<V1Pod>();
        while (!cancellationToken.IsCancellationRequested)
        {
            await _resync.WaitAsync(cancellationToken);
            // Gather the nodes that came meanwhile, and list the pods once for all of them.
            await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
            var names = new HashSet<string>(StringComparer.Ordinal);
            while (_newlyManaged.TryDequeue(out var name))
            {
                names.Add(name);
            }

            while (_resync.CurrentCount > 0)
            {
                await _resync.WaitAsync(cancellationToken);
            }

            try
            {
                using var snapshot = await pods.Store.ListAsync(null, cancellationToken);
                await foreach (var pod in snapshot.ReadAsync(cancellationToken: cancellationToken))
                {
                    if (pod.Object.Fields.Field(PodFields.NodeNameIndex) is { } node && names.Contains(node))
                    {
                        ObservePod(pod, deleted: false);
                        _pods!.Offer(pod);
                    }
                }
            }
            catch (StoreUnavailableException)
            {
                // The pod feed lists everything again once the store is back.
            }
        }
    }

    public override void Dispose()
    {
        _pods?.Dispose();
        _nodes?.Dispose();
        _leases?.Dispose();
        _resync.Dispose();
        base.Dispose();
    }
}
