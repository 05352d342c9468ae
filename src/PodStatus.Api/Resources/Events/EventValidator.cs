using System.Text.Json;
using FluentValidation;
using FluentValidation.Results;
using k8s.Models;
using PodStatus.Api.Serialization;
using PodStatus.Api.Validation;

namespace PodStatus.Api.Resources.Events;

/// <summary>An event write as its validation sees it: the event, the stored one it replaces (null on create), and the version it came in.</summary>
public sealed class EventWrite(Corev1Event value, Corev1Event? old, string requestVersion)
{
    public Corev1Event Value { get; } = value;

    public Corev1Event? Old { get; } = old;

    public string RequestVersion { get; } = requestVersion;
}

/// <summary>
/// ValidateEventCreate and ValidateEventUpdate (<c>pkg/apis/core/validation/events.go</c>): every event passes the
/// legacy rules; one written through events.k8s.io/v1 meets the strict ones too (its time, type and series, and on
/// update, what may not change).
/// </summary>
public sealed class EventValidator : AbstractValidator<EventWrite>
{
    private const int ReportingInstanceLengthLimit = 128, ActionLengthLimit = 128, ReasonLengthLimit = 128, NoteLengthLimit = 1024;

    public EventValidator() => RuleFor(write => write).Custom((write, context) => context.AddFailures(Failures(write)));

    private static IEnumerable<ValidationFailure> Failures(EventWrite write)
    {
        var legacy = write.RequestVersion == "v1";
        foreach (var failure in Legacy(write.Value, legacy))
        {
            yield return failure;
        }

        if (legacy)
        {
            yield break;
        }

        var failures = write.Old is { } old ? StrictUpdate(write.Value, old) : StrictCreate(write.Value);
        foreach (var failure in failures)
        {
            yield return failure;
        }
    }

    /// <summary>legacyValidateEvent: the namespace agrees with the involved object's; a new-style event (one with eventTime) names its reporter, action and reason.</summary>
    private static IEnumerable<ValidationFailure> Legacy(Corev1Event value, bool coreV1)
    {
        var ns = value.Metadata.NamespaceProperty ?? "";
        var involvedNamespace = value.InvolvedObject?.NamespaceProperty ?? "";
        if (value.EventTime is null)
        {
            var agrees = involvedNamespace.Length == 0 ? ns is "" or "default" : ns == involvedNamespace;
            if (!agrees)
            {
                yield return FieldError.Invalid("involvedObject.namespace", involvedNamespace, "does not match event.namespace");
            }
        }
        else
        {
            if (involvedNamespace.Length == 0 && ns is not ("default" or "kube-system"))
            {
                yield return FieldError.Invalid("involvedObject.namespace", involvedNamespace, "does not match event.namespace");
            }

            var reportingField = coreV1 ? "reportingComponent" : "reportingController";
            if (string.IsNullOrEmpty(value.ReportingComponent))
            {
                yield return FieldError.Required(reportingField);
            }

            foreach (var message in Names.QualifiedName(value.ReportingComponent ?? ""))
            {
                yield return FieldError.Invalid(reportingField, value.ReportingComponent ?? "", message);
            }

            foreach (var failure in Required("reportingInstance", value.ReportingInstance, ReportingInstanceLengthLimit)
                .Concat(Required("action", value.Action, ActionLengthLimit))
                .Concat(Required("reason", value.Reason, ReasonLengthLimit)))
            {
                yield return failure;
            }

            if (value.Message?.Length > NoteLengthLimit)
            {
                yield return FieldError.Invalid("message", "", $"can have at most {NoteLengthLimit} characters");
            }
        }

        foreach (var message in Names.Dns1123Subdomain(ns))
        {
            yield return FieldError.Invalid("namespace", ns, message);
        }
    }

    private static IEnumerable<ValidationFailure> Required(string field, string? value, int limit)
    {
        if (string.IsNullOrEmpty(value))
        {
            yield return FieldError.Required(field);
        }

        if (value?.Length > limit)
        {
            yield return FieldError.Invalid(field, "", $"can have at most {limit} characters");
        }
    }

    /// <summary>The strict create rules: a DNS subdomain name, an eventTime, a known type, and none of the deprecated fields.</summary>
    private static IEnumerable<ValidationFailure> StrictCreate(Corev1Event value)
    {
        foreach (var message in Names.Dns1123Subdomain(value.Metadata.Name ?? ""))
        {
            yield return FieldError.Invalid("metadata.name", value.Metadata.Name, message);
        }

        foreach (var failure in Series(value))
        {
            yield return failure;
        }

        if (value.EventTime is null)
        {
            yield return FieldError.Required("eventTime");
        }

        if (value.Type is not ("Normal" or "Warning"))
        {
            yield return FieldError.Invalid("type", "", $"has invalid value: {value.Type}");
        }

        foreach (var (field, set) in new[]
        {
            ("firstTimestamp", value.FirstTimestamp is not null),
            ("lastTimestamp", value.LastTimestamp is not null),
            ("count", (value.Count ?? 0) != 0),
            ("source", !string.IsNullOrEmpty(value.Source?.Component) || !string.IsNullOrEmpty(value.Source?.Host)),
        })
        {
            if (set)
            {
                yield return FieldError.Invalid(field, "", "needs to be unset");
            }
        }
    }

    /// <summary>The strict update rules: a changed series is checked, and the rest of what an event reports may not change.</summary>
    private static IEnumerable<ValidationFailure> StrictUpdate(Corev1Event value, Corev1Event old)
    {
        if (!Same(value.Series, old.Series))
        {
            foreach (var failure in Series(value))
            {
                yield return failure;
            }
        }

        (string Field, object? New, object? Old)[] immutable =
        [
            ("involvedObject", value.InvolvedObject, old.InvolvedObject),
            ("reason", value.Reason, old.Reason),
            ("message", value.Message, old.Message),
            ("source", value.Source, old.Source),
            ("firstTimestamp", value.FirstTimestamp, old.FirstTimestamp),
            ("lastTimestamp", value.LastTimestamp, old.LastTimestamp),
            ("count", value.Count ?? 0, old.Count ?? 0),
            ("reason", value.Reason, old.Reason),
            ("type", value.Type, old.Type),
            ("eventTime", value.EventTime, old.EventTime),
            ("action", value.Action, old.Action),
            ("related", value.Related, old.Related),
            ("reportingController", value.ReportingComponent, old.ReportingComponent),
            ("reportingInstance", value.ReportingInstance, old.ReportingInstance),
        ];
        foreach (var (field, updated, stored) in immutable)
        {
            if (!Same(updated, stored))
            {
                // Go prints a changed struct with %#v; its JSON stands in for that here.
                yield return FieldError.Immutable(field, updated is null or string or int or long or DateTime ? updated : Json(updated));
            }
        }
    }

    /// <summary>validateV1EventSeries: a series counts at least 2 and says when it was last seen.</summary>
    private static IEnumerable<ValidationFailure> Series(Corev1Event value)
    {
        if (value.Series is not { } series)
        {
            yield break;
        }

        if ((series.Count ?? 0) < 2)
        {
            yield return FieldError.Invalid("series.count", "", "should be at least 2");
        }

        if (series.LastObservedTime is null)
        {
            yield return FieldError.Required("series.lastObservedTime");
        }
    }

    /// <summary>Equality of model values as their JSON (the models have no value equality).</summary>
    private static bool Same(object? a, object? b) => Json(a) == Json(b);

    private static string Json(object? value) => value is null ? "null" : JsonSerializer.Serialize(value, KubeJson.Options.GetTypeInfo(value.GetType()));
}
