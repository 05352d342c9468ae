namespace PodStatus.Api.Simulation;

/// <summary>The <c>Simulation</c> settings: KWOK's stages, run inside the server (KWOK's own flags in brackets).</summary>
public sealed class SimulationOptions
{
    public const string Section = "Simulation";

    /// <summary>The annotation that marks a node as simulated, as KWOK's in-cluster configuration selects them.</summary>
    public const string ManagedNodeAnnotation = "kwok.x-k8s.io/node";

    /// <summary>Runs the stages.</summary>
    public bool Enabled { get; set; }

    /// <summary>
    /// Stage files or folders, comma-separated (<c>--config</c> with <c>kind: Stage</c> documents); <c>default</c> names
    /// the stages shipped with the server (<c>src/PodStatus.Api/Simulation/DefaultStages</c>), which are also what none gives.
    /// </summary>
    public string? Stages { get; set; }

    /// <summary>Every node is simulated, not only those annotated <c>kwok.x-k8s.io/node: fake</c> (<c>--manage-all-nodes</c>).</summary>
    public bool ManageAllNodes { get; set; }

    /// <summary>Binds unscheduled pods to simulated, Ready, schedulable nodes, as kube-scheduler would.</summary>
    public bool Schedule { get; set; }

    /// <summary>How many simulated nodes (<c>node-0</c>, <c>node-1</c>, ...) to register at start.</summary>
    public int Nodes { get; set; }

    /// <summary>How long a simulated node's Lease in kube-node-lease lasts; it is renewed every quarter of that, as a
    /// kubelet's (<c>--node-lease-duration-seconds</c>, 40 s as KWOK's and the kubelet's default); 0: no leases.</summary>
    public int NodeLeaseDurationSeconds { get; set; } = 40;

    /// <summary>Pod IPs for a node without a <c>spec.podCIDR</c> (<c>--cidr</c>; KWOK's default, counting up from 10.0.0.1).</summary>
    public string Cidr { get; set; } = "10.0.0.1/24";

    /// <summary>What the templates' <c>NodeIP</c> gives, and a node's address when it has none (<c>--node-ip</c>; none by default).</summary>
    public string NodeIp { get; set; } = "";

    /// <summary>What the templates' <c>NodeName</c> gives (<c>--node-name</c>; none by default).</summary>
    public string NodeName { get; set; } = "";

    /// <summary>What the templates' <c>NodePort</c> gives (<c>--node-port</c>; 0, none, by default).</summary>
    public int NodePort { get; set; }

    /// <summary>The stage files as a list.</summary>
    public IReadOnlyList<string> StagePaths => Stages is { Length: > 0 } paths
        ? paths.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        : [PodStatus.Api.Simulation.Stages.Stage.Defaults];
}
