using k8s.Models;
using PodStatus.Api.Schema;
using PodStatus.Api.Serialization;
using PodStatus.Api.Storage;

namespace PodStatus.Api.Resources.Events;

/// <summary>
/// events.k8s.io/v1 Events, which upstream stores as the core kind and converts on every read and write
/// (<c>pkg/apis/events/v1/conversion.go</c>): regarding is involvedObject, note is message, reportingController is
/// reportingComponent, and the deprecated fields are the core ones (source, firstTimestamp, lastTimestamp, count).
/// </summary>
public static class EventConversion
{
    public static readonly ApiResource EventsV1 = new("events.k8s.io", "v1", "events", "event", "Event", Namespaced: true)
    {
        ShortNames = ["ev"],
    };

    public static Corev1Event ToCore(Eventsv1Event value) => new()
    {
        ApiVersion = "v1",
        Kind = "Event",
        Metadata = value.Metadata,
        InvolvedObject = value.Regarding,
        Related = value.Related,
        Reason = value.Reason,
        Message = value.Note,
        Type = value.Type,
        Action = value.Action,
        EventTime = value.EventTime,
        Series = value.Series is { } series ? new Corev1EventSeries { Count = series.Count, LastObservedTime = series.LastObservedTime } : null,
        ReportingComponent = value.ReportingController,
        ReportingInstance = value.ReportingInstance,
        Source = value.DeprecatedSource,
        FirstTimestamp = value.DeprecatedFirstTimestamp,
        LastTimestamp = value.DeprecatedLastTimestamp,
        Count = value.DeprecatedCount,
    };

    public static Eventsv1Event FromCore(Corev1Event value) => new()
    {
        ApiVersion = EventsV1.GroupVersion,
        Kind = "Event",
        Metadata = value.Metadata,
        Regarding = value.InvolvedObject,
        Related = value.Related,
        Reason = value.Reason,
        Note = value.Message,
        Type = value.Type,
        Action = value.Action,
        EventTime = value.EventTime,
        Series = value.Series is { } series ? new Eventsv1EventSeries { Count = series.Count ?? 0, LastObservedTime = series.LastObservedTime ?? default } : null,
        ReportingController = value.ReportingComponent,
        ReportingInstance = value.ReportingInstance,
        DeprecatedSource = value.Source,
        DeprecatedFirstTimestamp = value.FirstTimestamp,
        DeprecatedLastTimestamp = value.LastTimestamp,
        DeprecatedCount = value.Count,
    };

    /// <summary>A stored (core) event as events.k8s.io/v1 serves it: converted, and encoded once more.</summary>
    public static StoredObject Serve(StoredObject stored, EventStrategy strategy)
    {
        var core = strategy.Decode(stored.Object);
        var served = FromCore(core);
        return new StoredObject(EncodedObject.Encode(served, KubeJson.TypeInfo<Eventsv1Event>(), "Event", EventsV1.GroupVersion, stored.Object.Fields), stored.ResourceVersion);
    }
}
