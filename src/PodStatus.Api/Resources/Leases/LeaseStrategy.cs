using FluentValidation;
using FluentValidation.Results;
using k8s.Models;
using PodStatus.Api.Registry;
using PodStatus.Api.Schema;
using PodStatus.Api.Tables;
using PodStatus.Api.Validation;

namespace PodStatus.Api.Resources.Leases;

/// <summary>
/// Leases (<c>coordination.k8s.io/v1</c>), as kube-apiserver's lease strategy treats them
/// (<c>pkg/registry/coordination/lease/strategy.go</c>): every update must name the resourceVersion it replaces,
/// the optimistic lock every leader elector and node heartbeat relies on; a PUT of a lease that does not exist
/// creates it; <c>strategy</c> and <c>preferredHolder</c> are dropped, as with CoordinatedLeaderElection off.
/// </summary>
public sealed class LeaseStrategy(IValidator<V1Lease> validator) : Strategy<V1Lease>
{
    public static readonly ApiResource Leases = new("coordination.k8s.io", "v1", "leases", "lease", "Lease", Namespaced: true);

    private static readonly Table LeaseTable = new();

    public override ApiResource Resource => Leases;

    public override ITablePrinter Printer => LeaseTable;

    public override bool AllowUnconditionalUpdate => false;

    public override bool AllowCreateOnUpdate => true;

    public override void PrepareForCreate(V1Lease value) => DropDisabledFields(value, null);

    public override IEnumerable<ValidationFailure> ValidateCreate(V1Lease value, string requestVersion) => validator.Validate(value).Errors;

    public override void PrepareForUpdate(V1Lease value, V1Lease old, string subresource) => DropDisabledFields(value, old);

    /// <summary>ValidateLeaseUpdate: the spec's rules again (ObjectMeta's are the registry's).</summary>
    public override IEnumerable<ValidationFailure> ValidateUpdate(V1Lease value, V1Lease old, string subresource, string requestVersion) => validator.Validate(value).Errors;

    /// <summary>With CoordinatedLeaderElection off (its default), a lease takes no strategy or preferred holder it did not have.</summary>
    private static void DropDisabledFields(V1Lease value, V1Lease? old)
    {
        if (value.Spec is not { } spec)
        {
            return;
        }

        spec.Strategy = old?.Spec?.Strategy is null ? null : spec.Strategy;
        spec.PreferredHolder = old?.Spec?.PreferredHolder is null ? null : spec.PreferredHolder;
    }

    /// <summary>printLease: NAME, HOLDER, AGE.</summary>
    private sealed class Table : TablePrinter<V1Lease>
    {
        public override IReadOnlyList<TableColumn> Columns { get; } =
        [
            StandardColumns.Name,
            new("Holder", "", 0, "The holder of the lease"),
            StandardColumns.Age,
        ];

        protected override IReadOnlyList<object> Cells(V1Lease value, DateTime now) =>
            [value.Metadata.Name, value.Spec?.HolderIdentity ?? "", HumanDuration.Age(value.Metadata.CreationTimestamp, now)];
    }
}

/// <summary>ValidateLeaseSpec (<c>pkg/apis/coordination/validation/validation.go</c>).</summary>
public sealed class LeaseValidator : AbstractValidator<V1Lease>
{
    public LeaseValidator()
    {
        RuleFor(lease => lease.Spec!.LeaseDurationSeconds)
            .Must(seconds => seconds is not <= 0)
            .OverridePropertyName("spec.leaseDurationSeconds")
            .WithErrorCode("FieldValueInvalid")
            .WithMessage(lease => FieldError.Invalid("", lease.Spec!.LeaseDurationSeconds, "must be greater than 0").ErrorMessage)
            .When(lease => lease.Spec is not null);
        RuleFor(lease => lease.Spec!.LeaseTransitions)
            .Must(transitions => transitions is not < 0)
            .OverridePropertyName("spec.leaseTransitions")
            .WithErrorCode("FieldValueInvalid")
            .WithMessage(lease => FieldError.Invalid("", lease.Spec!.LeaseTransitions, "must be greater than or equal to 0").ErrorMessage)
            .When(lease => lease.Spec is not null);
        RuleFor(lease => lease.Spec!.PreferredHolder)
            .Must((lease, holder) => string.IsNullOrEmpty(holder) || !string.IsNullOrEmpty(lease.Spec!.Strategy))
            .OverridePropertyName("spec.preferredHolder")
            .WithErrorCode("FieldValueForbidden")
            .WithMessage("Forbidden: may only be specified if `strategy` is defined")
            .When(lease => lease.Spec is not null);
    }
}
