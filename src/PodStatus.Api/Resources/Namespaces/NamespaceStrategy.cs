using FluentValidation;
using FluentValidation.Results;
using k8s.Models;
using PodStatus.Api.Patching;
using PodStatus.Api.Registry;
using PodStatus.Api.Schema;
using PodStatus.Api.Selection;
using PodStatus.Api.Tables;
using PodStatus.Api.Validation;

namespace PodStatus.Api.Resources.Namespaces;

/// <summary>
/// Namespaces, namespaces/status and namespaces/finalize, as kube-apiserver's namespace strategies treat them
/// (<c>pkg/registry/core/namespace/strategy.go</c>): a new namespace is Active and carries the <c>kubernetes</c>
/// finalizer in its spec, which only the finalize subresource changes, and the name label upstream's defaulting sets.
/// </summary>
public sealed class NamespaceStrategy(IValidator<V1Namespace> createValidator, IValidator<ObjectUpdate<V1Namespace>> updateValidator)
    : Strategy<V1Namespace>
{
    /// <summary>The finalizer the namespace controller removes once it has deleted everything in the namespace.</summary>
    public const string KubernetesFinalizer = "kubernetes";

    /// <summary>The label upstream sets to every namespace's name (<c>kubernetes.io/metadata.name</c>).</summary>
    public const string NameLabel = "kubernetes.io/metadata.name";

    public const string Active = "Active";
    public const string Terminating = "Terminating";

    public static readonly ApiResource Namespaces = new("", "v1", "namespaces", "namespace", "Namespace", Namespaced: false)
    {
        ShortNames = ["ns"],
        Verbs = ["create", "delete", "get", "list", "patch", "update", "watch"],
        Subresources = new Dictionary<string, IReadOnlyList<string>>
        {
            ["finalize"] = ["update"],
            ["status"] = ["get", "patch", "update"],
        },
    };

    private const int Phase = 0;

    private static readonly Table NamespaceTable = new();

    public override ApiResource Resource => Namespaces;

    public override bool ReturnsDeletedObject => true;

    public override Func<string, IEnumerable<string>> NameRule => Names.Dns1123Label;

    /// <summary>The v1 field label conversion takes <c>status.phase</c> and <c>metadata.name</c> only.</summary>
    public override FieldSet Fields { get; } = FieldSet.Converted(new Dictionary<string, int>
    {
        ["metadata.name"] = FieldSet.Name,
        ["status.phase"] = Phase,
    });

    public override ITablePrinter Printer => NamespaceTable;

    public override PatchSchema PatchSchema { get; } = PatchSchema.Kind(new Dictionary<string, PatchSchema>
    {
        ["status"] = new(Fields: new Dictionary<string, PatchSchema> { ["conditions"] = PatchSchema.ListBy("type") }),
    });

    public override SelectableFields SelectableFieldsOf(V1Namespace value) => SelectableFields.Of(value.Metadata.Labels, value.Status?.Phase);

    /// <summary>Active, with the kubernetes finalizer (kept for its life, though a client may remove it through finalize).</summary>
    public override void PrepareForCreate(V1Namespace value)
    {
        value.Status = new V1NamespaceStatus { Phase = Active };
        value.Spec ??= new V1NamespaceSpec();
        if (value.Spec.Finalizers?.Contains(KubernetesFinalizer) != true)
        {
            value.Spec.Finalizers = [.. value.Spec.Finalizers ?? [], KubernetesFinalizer];
        }
    }

    public override IEnumerable<ValidationFailure> ValidateCreate(V1Namespace value, string requestVersion) => createValidator.Validate(value).Errors;

    /// <summary>The name label, as upstream's defaulting and Canonicalize set it (a generated name included).</summary>
    public override void Canonicalize(V1Namespace value)
    {
        value.Metadata.Labels ??= new Dictionary<string, string>();
        value.Metadata.Labels[NameLabel] = value.Metadata.Name;
    }

    /// <summary>The namespace itself keeps its spec's finalizers and status; status keeps the spec; finalize keeps the status.</summary>
    public override void PrepareForUpdate(V1Namespace value, V1Namespace old, string subresource)
    {
        switch (subresource)
        {
            case "status":
                value.Spec = old.Spec;
                break;
            case "finalize":
                value.Status = old.Status;
                break;
            default:
                value.Spec ??= new V1NamespaceSpec();
                value.Spec.Finalizers = old.Spec?.Finalizers;
                value.Status = old.Status;
                break;
        }
    }

    public override IEnumerable<ValidationFailure> ValidateUpdate(V1Namespace value, V1Namespace old, string subresource, string requestVersion) =>
        updateValidator.Validate(new ObjectUpdate<V1Namespace>(value, old), options => options.IncludeRuleSets(subresource.Length == 0 ? "default" : subresource)).Errors;

    /// <summary>ShouldDeleteNamespaceDuringUpdate: its spec's finalizers must be gone too.</summary>
    public override bool DeletesOnUpdate(V1Namespace value, V1ObjectMeta old) =>
        value.Spec?.Finalizers is not { Count: > 0 } && base.DeletesOnUpdate(value, old);

    /// <summary>printNamespace: NAME, STATUS, AGE.</summary>
    private sealed class Table : TablePrinter<V1Namespace>
    {
        public override IReadOnlyList<TableColumn> Columns { get; } =
        [
            StandardColumns.Name,
            new("Status", "", 0, "The status of the namespace"),
            StandardColumns.Age,
        ];

        protected override IReadOnlyList<object> Cells(V1Namespace value, DateTime now) =>
            [value.Metadata.Name, value.Status?.Phase ?? "", HumanDuration.Age(value.Metadata.CreationTimestamp, now)];
    }
}
