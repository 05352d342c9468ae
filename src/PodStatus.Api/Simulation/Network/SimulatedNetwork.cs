using System.Collections.Concurrent;
using PodStatus.Api.Simulation.Templates;

namespace PodStatus.Api.Simulation.Network;

/// <summary>
/// The network of the simulated nodes, as KWOK's pod controller sees it (<c>pkg/kwok/controllers/pod_controller.go</c>):
/// each node's addresses and pod CIDRs, one pool of pod IPs per CIDR (a node's <c>spec.podCIDRs</c>, else
/// <c>Simulation:Cidr</c>), and the template functions that read them. An IP is held from the moment a template
/// takes it for a pod until that pod is gone, so no two live pods share one; a pod that already has an IP keeps it.
/// </summary>
public sealed class SimulatedNetwork(SimulationOptions options)
{
    [ThreadStatic]
    private static string? t_renderedPodIp;

    private readonly ConcurrentDictionary<string, NodeNetwork> _nodes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, IpPool> _pools = new(StringComparer.Ordinal);

    /// <summary>IPs taken by templates for pods whose write has not been seen yet, by pod uid.</summary>
    private readonly ConcurrentDictionary<string, string[]> _taken = new(StringComparer.Ordinal);

    /// <summary>A node's InternalIP addresses and pod CIDRs.</summary>
    public sealed record NodeNetwork(IReadOnlyList<string> Addresses, IReadOnlyList<string> PodCidrs);

    /// <summary>Whether a CIDR can hand out addresses (for <c>Simulation:Cidr</c>).</summary>
    public static bool IsCidr(string cidr) => IpPool.For(cidr) is not null;

    public void SetNode(string name, NodeNetwork network) => _nodes[name] = network;

    public void RemoveNode(string name) => _nodes.TryRemove(name, out _);

    /// <summary>A pod on <paramref name="nodeName"/> is seen holding <paramref name="podIp"/>.</summary>
    public void Holds(string nodeName, string uid, string? podIp)
    {
        _taken.TryRemove(uid, out _);
        if (!string.IsNullOrEmpty(podIp))
        {
            PoolOf(nodeName, 0)?.Use(podIp);
        }
    }

    /// <summary>A pod is gone: its IPs go back to their pools.</summary>
    public void Releases(string nodeName, string uid, string? podIp)
    {
        if (_taken.TryRemove(uid, out var taken))
        {
            for (var i = 0; i < taken.Length; i++)
            {
                PoolOf(nodeName, i)?.Put(taken[i]);
            }
        }

        if (!string.IsNullOrEmpty(podIp))
        {
            PoolOf(nodeName, 0)?.Put(podIp);
        }
    }

    /// <summary>While a template for a pod renders: the IP the pod already has, which <c>PodIPWith</c> gives again.</summary>
    public static RenderScope Rendering(string? podIp)
    {
        var previous = t_renderedPodIp;
        t_renderedPodIp = podIp;
        return new RenderScope(previous);
    }

    public readonly struct RenderScope(string? previous) : IDisposable
    {
        public void Dispose() => t_renderedPodIp = previous;
    }

    /// <summary>
    /// KWOK's node and pod functions: <c>NodeIP</c>, <c>NodeName</c>, <c>NodePort</c> (the flags'), <c>NodeIPWith</c> and
    /// <c>NodeIPsWith</c> (a node's InternalIP addresses, else <c>NodeIP</c>), <c>PodIP</c> (from <c>Simulation:Cidr</c>),
    /// <c>PodIPWith</c> and <c>PodIPsWith</c> (from the node's CIDRs; the node's address for a host-network pod).
    /// </summary>
    public Dictionary<string, GoFunction> Functions() => new()
    {
        ["NodeIP"] = new([], false, _ => options.NodeIp),
        ["NodeName"] = new([], false, _ => options.NodeName),
        ["NodePort"] = new([], false, _ => (long)options.NodePort),
        ["NodeIPWith"] = new([GoParameter.String], false, args => NodeIps((string)args[0]!)[0]),
        ["NodeIPsWith"] = new([GoParameter.String], false, args => NodeIps((string)args[0]!).Cast<object?>().ToList()),
        ["PodIP"] = new([], false, _ => Pool(options.Cidr)?.Get() ?? ""),
        ["PodIPWith"] = new([GoParameter.String, GoParameter.Bool, GoParameter.String, GoParameter.String, GoParameter.String], false,
            args => PodIps((string)args[0]!, (bool)args[1]!, (string)args[2]!)[0]),
        ["PodIPsWith"] = new([GoParameter.String, GoParameter.Bool, GoParameter.String, GoParameter.String, GoParameter.String], false,
            args => PodIps((string)args[0]!, (bool)args[1]!, (string)args[2]!).Cast<object?>().ToList()),
    };

    private string[] NodeIps(string nodeName) =>
        _nodes.TryGetValue(nodeName, out var node) && node.Addresses.Count > 0 ? [.. node.Addresses] : [options.NodeIp];

    private string[] PodIps(string nodeName, bool hostNetwork, string uid)
    {
        if (hostNetwork)
        {
            return NodeIps(nodeName);
        }

        if (t_renderedPodIp is { Length: > 0 } held)
        {
            return [held];
        }

        return _taken.GetOrAdd(uid, _ =>
        {
            var cidrs = CidrsOf(nodeName);
            return [.. cidrs.Select(cidr => Pool(cidr)?.Get()).OfType<string>().DefaultIfEmpty("")];
        });
    }

    private IReadOnlyList<string> CidrsOf(string nodeName) =>
        _nodes.TryGetValue(nodeName, out var node) && node.PodCidrs.Count > 0 ? node.PodCidrs : [options.Cidr];

    private IpPool? PoolOf(string nodeName, int index) => CidrsOf(nodeName) is var cidrs && index < cidrs.Count ? Pool(cidrs[index]) : null;

    private IpPool? Pool(string cidr) =>
        _pools.TryGetValue(cidr, out var pool) ? pool : IpPool.For(cidr) is { } made ? _pools.GetOrAdd(cidr, made) : null;
}
