using FluentValidation;
using FluentValidation.Results;
using k8s.Models;
using Microsoft.Extensions.Options;
using PodStatus.Api.Registry;
using PodStatus.Api.Schema;
using PodStatus.Api.Selection;
using PodStatus.Api.Tables;
using PodStatus.Api.Validation;

namespace PodStatus.Api.Resources.Events;

/// <summary>
/// Events, stored as core/v1 Events and served as those and as events.k8s.io/v1 Events, as kube-apiserver's event
/// strategy treats them (<c>pkg/registry/core/event/strategy.go</c>): validation by the version a client writes in
/// (legacy rules for core/v1, strict ones for events.k8s.io/v1), a PUT of a missing event creates it, and every
/// event lives <c>Events:Ttl</c> after its last write (upstream's <c>--event-ttl</c>).
/// </summary>
public sealed class EventStrategy(IValidator<EventWrite> validator, IOptions<EventOptions> options) : Strategy<Corev1Event>
{
    public static readonly ApiResource Events = new("", "v1", "events", "event", "Event", Namespaced: true)
    {
        ShortNames = ["ev"],
    };

    private static readonly EventPrinter EventTable = new();

    public override ApiResource Resource => Events;

    public override FieldSet Fields => EventFields.CoreV1;

    public override ITablePrinter Printer => EventTable;

    public override TimeSpan? TimeToLive => options.Value.Ttl;

    public override bool AllowCreateOnUpdate => true;

    /// <summary>Names are checked only as path segments: a core/v1 event's name is its recorder's (<c>pod.17c3a...</c>).</summary>
    public override Func<string, IEnumerable<string>> NameRule => Names.PathSegmentName;

    public override SelectableFields SelectableFieldsOf(Corev1Event value) => EventFields.Of(value);

    public override IEnumerable<ValidationFailure> ValidateCreate(Corev1Event value, string requestVersion) =>
        validator.Validate(new EventWrite(value, null, requestVersion)).Errors;

    public override IEnumerable<ValidationFailure> ValidateUpdate(Corev1Event value, Corev1Event old, string subresource, string requestVersion) =>
        validator.Validate(new EventWrite(value, old, requestVersion)).Errors;
}

/// <summary>The <c>Events</c> settings.</summary>
public sealed class EventOptions
{
    public const string Section = "Events";

    /// <summary>How long an event lives after its last write, as kube-apiserver's <c>--event-ttl</c> (1 h by default).</summary>
    public TimeSpan Ttl { get; set; } = TimeSpan.FromHours(1);
}
