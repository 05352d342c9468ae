using FluentValidation;
using FluentValidation.Results;
using k8s.Models;
using Microsoft.Extensions.Options;
using PodStatus.Api.Validation;

namespace PodStatus.Api.Resources.Pods;

// Upstream's rules are ordered functions with hand-built field paths, so they are kept as such (see the *Rules
// classes) and composed here; the project's own stricter rules use FluentValidation's rule builders. ObjectMeta's
// common rules are the registry's, for every kind.

/// <summary>ValidatePodCreate.</summary>
public sealed class PodCreateValidator : AbstractValidator<V1Pod>
{
    public PodCreateValidator()
    {
        RuleFor(pod => pod).Custom((pod, context) =>
        {
            var failures = new List<ValidationFailure>();
            PodSpecRules.Validate(pod.Spec, failures);
            context.AddFailures(failures);
        });
    }
}

/// <summary>ValidatePodUpdate, for PUT on the pod itself.</summary>
public sealed class PodUpdateValidator : AbstractValidator<ObjectUpdate<V1Pod>>
{
    public PodUpdateValidator()
    {
        RuleFor(update => update).Custom((update, context) =>
        {
            var failures = new List<ValidationFailure>();
            PodAnnotationRules.ForUpdate(update.Value.Metadata, update.Old.Metadata, failures);
            PodSpecRules.Validate(update.Value.Spec, failures);
            PodSpecRules.ValidateUpdate(update.Value.Spec, update.Old.Spec, failures);
            context.AddFailures(failures);
        });
    }
}

/// <summary>ValidatePodStatusUpdate, plus the opt-in strict rules of <see cref="ValidationOptions"/>.</summary>
public sealed class PodStatusUpdateValidator : AbstractValidator<PodStatusUpdate>
{
    private static readonly string[] Phases = ["Failed", "Pending", "Running", "Succeeded", "Unknown"];
    private static readonly string[] ConditionStatuses = ["False", "True", "Unknown"];

    public PodStatusUpdateValidator(IOptions<ValidationOptions> options)
    {
        RuleFor(update => update).Custom((update, context) =>
        {
            var failures = new List<ValidationFailure>();
            // The status write is prepared at the level of bytes, past the registry's general path, so it checks
            // ObjectMeta's common rules itself.
            ObjectMetaRules.ForUpdate(update.Metadata, update.OldMetadata, failures);
            PodAnnotationRules.ForUpdate(update.Metadata, update.OldMetadata, failures);
            PodStatusRules.Validate(update, failures);
            context.AddFailures(failures);
        });

        // Strict is a start-up setting, so its rules are added (or not) once, not tested on every write.
        if (options.Value.Strict)
        {
            RuleFor(update => update.Status.Phase)
                .Must(phase => string.IsNullOrEmpty(phase) || Phases.Contains(phase))
                .OverridePropertyName("status.phase")
                .WithErrorCode("FieldValueNotSupported")
                .WithMessage(update => FieldError.NotSupported("", update.Status.Phase, Phases).ErrorMessage);

            // A pod in a terminal phase stays there (a kubelet rule kube-apiserver does not check).
            RuleFor(update => update.Status.Phase)
                .Must((update, phase) => !IsTerminal(update.OldStatus.Phase) || phase == update.OldStatus.Phase)
                .OverridePropertyName("status.phase")
                .WithErrorCode("FieldValueForbidden")
                .WithMessage(update => FieldError.Forbidden("",
                    $"may not transition from terminal phase {FieldError.Quote(update.OldStatus.Phase)} to {FieldError.Quote(update.Status.Phase ?? "")}").ErrorMessage);

            RuleForEach(update => update.Status.Conditions)
                .ChildRules(condition => condition.RuleFor(c => c.Status)
                    .Must(status => ConditionStatuses.Contains(status))
                    .OverridePropertyName("status")
                    .WithErrorCode("FieldValueNotSupported")
                    .WithMessage(c => FieldError.NotSupported("", c.Status, ConditionStatuses).ErrorMessage))
                .OverridePropertyName("status.conditions");
        }
    }

    private static bool IsTerminal(string? phase) => phase is "Succeeded" or "Failed";
}
