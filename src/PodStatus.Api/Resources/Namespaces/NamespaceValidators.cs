using FluentValidation;
using k8s.Models;
using PodStatus.Api.Validation;

namespace PodStatus.Api.Resources.Namespaces;

/// <summary>ValidateNamespace: its spec's finalizers are finalizer names (ObjectMeta's rules are the registry's).</summary>
public sealed class NamespaceCreateValidator : AbstractValidator<V1Namespace>
{
    public NamespaceCreateValidator()
    {
        RuleForEach(ns => ns.Spec!.Finalizers)
            .Custom((finalizer, context) => context.AddFailures(Finalizers.NameFailures(finalizer, "spec.finalizers")))
            .When(ns => ns.Spec?.Finalizers is not null);
    }
}

/// <summary>
/// ValidateNamespaceUpdate, ValidateNamespaceStatusUpdate and ValidateNamespaceFinalizeUpdate, one rule set each
/// (<c>default</c>, <c>status</c>, <c>finalize</c>), as the subresource written chooses.
/// </summary>
public sealed class NamespaceUpdateValidator : AbstractValidator<ObjectUpdate<V1Namespace>>
{
    public NamespaceUpdateValidator()
    {
        // The namespace itself: ValidateNamespace again, as upstream's strategy runs it on updates too.
        RuleForEach(update => update.Value.Spec!.Finalizers)
            .Custom((finalizer, context) => context.AddFailures(Finalizers.NameFailures(finalizer, "spec.finalizers")))
            .When(update => update.Value.Spec?.Finalizers is not null);

        // The phase follows the deletion: Active until deletionTimestamp is set, Terminating after (upstream's path, "status.Phase").
        RuleSet("status", () => RuleFor(update => update.Value).Custom((ns, context) =>
        {
            var deleting = ns.Metadata.DeletionTimestamp is not null;
            var phase = ns.Status?.Phase ?? "";
            if (!deleting && phase != NamespaceStrategy.Active)
            {
                context.AddFailure(FieldError.Invalid("status.Phase", phase, "may only be 'Active' if `deletionTimestamp` is empty"));
            }
            else if (deleting && phase != NamespaceStrategy.Terminating)
            {
                context.AddFailure(FieldError.Invalid("status.Phase", phase, "may only be 'Terminating' if `deletionTimestamp` is not empty"));
            }
        }));

        RuleSet("finalize", () => RuleFor(update => update.Value).Custom((ns, context) =>
        {
            var finalizers = ns.Spec?.Finalizers ?? [];
            for (var i = 0; i < finalizers.Count; i++)
            {
                context.AddFailures(Finalizers.NameFailures(finalizers[i], $"spec.finalizers[{i}]"));
            }
        }));
    }
}
