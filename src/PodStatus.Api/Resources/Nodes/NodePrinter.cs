using k8s.Models;
using PodStatus.Api.Tables;

namespace PodStatus.Api.Resources.Nodes;

/// <summary>
/// The cells kube-apiserver prints for a node (<c>pkg/printers/internalversion/printers.go printNode</c>): NAME,
/// STATUS (Ready, NotReady or Unknown, and SchedulingDisabled when cordoned), ROLES, AGE, VERSION, and for
/// <c>-o wide</c> the internal and external IP, OS image, kernel and container runtime.
/// </summary>
internal sealed class NodePrinter : TablePrinter<V1Node>
{
    private const string RolePrefix = "node-role.kubernetes.io/";
    private const string RoleLabel = "kubernetes.io/role";

    public override IReadOnlyList<TableColumn> Columns { get; } =
    [
        StandardColumns.Name,
        new("Status", "", 0, "The status of the node"),
        new("Roles", "", 0, "The roles of the node"),
        StandardColumns.Age,
        new("Version", "", 0, "Kubelet Version reported by the node."),
        new("Internal-IP", "", 1, "List of addresses reachable to the node. Queried from cloud provider, if available."),
        new("External-IP", "", 1, "List of addresses reachable to the node. Queried from cloud provider, if available."),
        new("OS-Image", "", 1, "OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy))."),
        new("Kernel-Version", "", 1, "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64)."),
        new("Container-Runtime", "", 1, "ContainerRuntime Version reported by the node through runtime remote API (e.g. containerd://1.4.2)."),
    ];

    protected override IReadOnlyList<object> Cells(V1Node node, DateTime now)
    {
        var info = node.Status?.NodeInfo;
        return
        [
            node.Metadata.Name,
            Status(node),
            Roles(node.Metadata.Labels) is { Length: > 0 } roles ? roles : "<none>",
            HumanDuration.Age(node.Metadata.CreationTimestamp, now),
            info?.KubeletVersion ?? "",
            Address(node, "InternalIP"),
            Address(node, "ExternalIP"),
            Known(info?.OsImage),
            Known(info?.KernelVersion),
            Known(info?.ContainerRuntimeVersion),
        ];
    }

    /// <summary>Ready or NotReady from the Ready condition (Unknown without one), and SchedulingDisabled when cordoned.</summary>
    public static string Status(V1Node node)
    {
        var ready = node.Status?.Conditions?.LastOrDefault(condition => condition.Type == "Ready");
        var status = ready is null ? "Unknown" : ready.Status == "True" ? "Ready" : "NotReady";
        return node.Spec?.Unschedulable == true ? status + ",SchedulingDisabled" : status;
    }

    /// <summary>findNodeRoles: node-role.kubernetes.io/ROLE labels and kubernetes.io/role's value, sorted.</summary>
    private static string Roles(IDictionary<string, string>? labels) => string.Join(",", (labels ?? new Dictionary<string, string>())
        .Select(label => label.Key.StartsWith(RolePrefix, StringComparison.Ordinal) ? label.Key[RolePrefix.Length..]
            : label.Key == RoleLabel ? label.Value : "")
        .Where(role => role.Length > 0)
        .Distinct()
        .Order(StringComparer.Ordinal));

    private static string Address(V1Node node, string type) =>
        node.Status?.Addresses?.FirstOrDefault(address => address.Type == type)?.Address ?? "<none>";

    private static string Known(string? value) => string.IsNullOrEmpty(value) ? "<unknown>" : value;
}
