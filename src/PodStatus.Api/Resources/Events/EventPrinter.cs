using k8s.Models;
using PodStatus.Api.Tables;

namespace PodStatus.Api.Resources.Events;

/// <summary>
/// The cells kube-apiserver prints for an event (<c>pkg/printers/internalversion/printers.go printEvent</c>, wide, as
/// server-side printing always is): LAST SEEN, TYPE, REASON, OBJECT, MESSAGE, and for <c>-o wide</c> SUBOBJECT, SOURCE,
/// FIRST SEEN, COUNT and NAME, from either API's fields (a series counts for itself).
/// </summary>
internal sealed class EventPrinter : TablePrinter<Corev1Event>
{
    public override IReadOnlyList<TableColumn> Columns { get; } =
    [
        new("Last Seen", "", 0, "The time at which the most recent occurrence of this event was recorded."),
        new("Type", "", 0, "Type of this event (Normal, Warning), new types could be added in the future"),
        new("Reason", "", 0, "This should be a short, machine understandable string that gives the reason for the transition into the object's current status."),
        new("Object", "", 0, "The object that this event is about."),
        new("Subobject", "", 1, "If referring to a piece of an object instead of an entire object, this string should contain a valid JSON/Go field access statement, such as desiredState.manifest.containers[2]."),
        new("Source", "", 1, "The component reporting this event. Should be a short machine understandable string."),
        new("Message", "", 0, "A human-readable description of the status of this operation."),
        new("First Seen", "", 1, "The time at which the event was first recorded. (Time of server receipt is in TypeMeta.)"),
        new("Count", "", 1, "The number of times this event has occurred."),
        new("Name", "name", 1, "Name must be unique within a namespace."),
    ];

    protected override IReadOnlyList<object> Cells(Corev1Event value, DateTime now)
    {
        var first = value.FirstTimestamp is { } firstSeen ? HumanDuration.Since(firstSeen, now) : Since(value.EventTime, now);
        var last = value.LastTimestamp is { } lastSeen ? HumanDuration.Since(lastSeen, now) : first;
        var count = value.Count ?? 0;
        if (value.Series is { } series)
        {
            last = Since(series.LastObservedTime, now);
            count = series.Count ?? 0;
        }
        else if (count == 0)
        {
            // Singleton events of the new API carry no count.
            count = 1;
        }

        var involved = value.InvolvedObject;
        var kind = (involved?.Kind ?? "").ToLowerInvariant();
        var target = string.IsNullOrEmpty(involved?.Name) ? kind : $"{kind}/{involved.Name}";
        return
        [
            last,
            value.Type ?? "",
            value.Reason ?? "",
            target,
            involved?.FieldPath ?? "",
            Source(value),
            (value.Message ?? "").Trim(),
            first,
            (long)count,
            value.Metadata.Name,
        ];
    }

    private static string Since(DateTime? time, DateTime now) => time is { } at ? HumanDuration.Since(at, now) : "<unknown>";

    /// <summary>formatEventSource: the component (or reporting controller), then the host (or instance) if any.</summary>
    private static string Source(Corev1Event value)
    {
        var component = string.IsNullOrEmpty(value.Source?.Component) ? value.ReportingComponent ?? "" : value.Source.Component;
        var instance = string.IsNullOrEmpty(value.Source?.Host) ? value.ReportingInstance ?? "" : value.Source.Host;
        return instance.Length == 0 ? component : $"{component}, {instance}";
    }
}
