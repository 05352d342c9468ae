using FluentValidation;
using FluentValidation.Results;
using k8s.Models;
using PodStatus.Api.Patching;
using PodStatus.Api.Registry;
using PodStatus.Api.Schema;
using PodStatus.Api.Selection;
using PodStatus.Api.Tables;
using PodStatus.Api.Validation;

namespace PodStatus.Api.Resources.Nodes;

/// <summary>
/// Nodes and nodes/status, as kube-apiserver's node strategies treat them (<c>pkg/registry/core/node/strategy.go</c>):
/// a kubelet registers its node with its status; an update of the node keeps the status, one of nodes/status keeps
/// the spec; allocatable defaults to capacity (<c>SetDefaults_NodeStatus</c>). Stored as upstream stores them, under
/// <c>/registry/minions</c>.
/// </summary>
public sealed class NodeStrategy(IValidator<V1Node> createValidator, IValidator<ObjectUpdate<V1Node>> updateValidator) : Strategy<V1Node>
{
    public static readonly ApiResource Nodes = new("", "v1", "nodes", "node", "Node", Namespaced: false)
    {
        ShortNames = ["no"],
        Subresources = new Dictionary<string, IReadOnlyList<string>> { ["status"] = ["get", "patch", "update"] },
    };

    /// <summary>Where <c>spec.unschedulable</c> is among a node's selectable fields.</summary>
    public const int Unschedulable = 0;

    private static readonly NodePrinter NodeTable = new();

    public override ApiResource Resource => Nodes;

    public override string StorageName => "minions";

    /// <summary>The v1 field label conversion takes <c>metadata.name</c> and <c>spec.unschedulable</c> only.</summary>
    public override FieldSet Fields { get; } = FieldSet.Converted(new Dictionary<string, int>
    {
        ["metadata.name"] = FieldSet.Name,
        ["spec.unschedulable"] = Unschedulable,
    });

    public override ITablePrinter Printer => NodeTable;

    /// <summary>Conditions and addresses merge by type, podCIDRs as a set (<c>k8s.io/api/core/v1/types.go</c>).</summary>
    public override PatchSchema PatchSchema { get; } = PatchSchema.Kind(new Dictionary<string, PatchSchema>
    {
        ["spec"] = new(Fields: new Dictionary<string, PatchSchema> { ["podCIDRs"] = new(MergesAsSet: true) }),
        ["status"] = new(Fields: new Dictionary<string, PatchSchema>
        {
            ["conditions"] = PatchSchema.ListBy("type"),
            ["addresses"] = PatchSchema.ListBy("type"),
        }),
    });

    public override SelectableFields SelectableFieldsOf(V1Node value) =>
        SelectableFields.Of(value.Metadata.Labels, value.Spec?.Unschedulable == true ? "true" : "false");

    /// <summary>A spec and status as Go's zero values (the spec written as <c>{}</c>), and allocatable defaulted.</summary>
    public override void PrepareForCreate(V1Node value)
    {
        value.Spec ??= new V1NodeSpec();
        value.Status ??= new V1NodeStatus();
        DefaultAllocatable(value);
        WriteGoZeroValues(value.Status);
    }

    public override IEnumerable<ValidationFailure> ValidateCreate(V1Node value, string requestVersion) => createValidator.Validate(value).Errors;

    /// <summary>The node keeps its status; nodes/status keeps the spec.</summary>
    public override void PrepareForUpdate(V1Node value, V1Node old, string subresource)
    {
        if (subresource == "status")
        {
            value.Spec = old.Spec;
            value.Status ??= new V1NodeStatus();
            DefaultAllocatable(value);
            WriteGoZeroValues(value.Status);
        }
        else
        {
            value.Status = old.Status;
        }
    }

    public override IEnumerable<ValidationFailure> ValidateUpdate(V1Node value, V1Node old, string subresource, string requestVersion) =>
        updateValidator.Validate(new ObjectUpdate<V1Node>(value, old), options => options.IncludeRuleSets(subresource.Length == 0 ? "default" : subresource)).Errors;

    /// <summary>
    /// What Go writes for a status that lacks them: <c>nodeInfo</c> and <c>daemonEndpoints</c> are structs, not
    /// pointers, and nodeInfo's strings have no omitempty, so upstream always serves them, empty. Clients rely on it:
    /// the official Python client refuses a nodeInfo without its architecture.
    /// </summary>
    private static void WriteGoZeroValues(V1NodeStatus status)
    {
        var info = status.NodeInfo ??= new V1NodeSystemInfo();
        info.MachineID ??= "";
        info.SystemUUID ??= "";
        info.BootID ??= "";
        info.KernelVersion ??= "";
        info.OsImage ??= "";
        info.ContainerRuntimeVersion ??= "";
        info.KubeletVersion ??= "";
        info.KubeProxyVersion ??= "";
        info.OperatingSystem ??= "";
        info.Architecture ??= "";
        var endpoints = status.DaemonEndpoints ??= new V1NodeDaemonEndpoints();
        endpoints.KubeletEndpoint ??= new V1DaemonEndpoint { Port = 0 };
    }

    /// <summary>SetDefaults_NodeStatus: allocatable is capacity unless given.</summary>
    private static void DefaultAllocatable(V1Node value)
    {
        if (value.Status is { Allocatable: null, Capacity: { } capacity })
        {
            value.Status.Allocatable = new Dictionary<string, ResourceQuantity>(capacity);
        }
    }
}
