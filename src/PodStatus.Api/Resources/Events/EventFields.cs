using k8s.Models;
using PodStatus.Api.Selection;

namespace PodStatus.Api.Resources.Events;

/// <summary>
/// The event fields upstream makes selectable (<c>pkg/registry/core/event/strategy.go ToSelectableFields</c>) and the
/// labels each version's field-label conversion maps onto them (<c>pkg/apis/core/v1/conversion.go</c>,
/// <c>pkg/apis/events/v1/conversion.go</c>: events.k8s.io's <c>regarding.*</c> are core's <c>involvedObject.*</c>).
/// </summary>
public static class EventFields
{
    private const int Kind = 0, Namespace = 1, Name = 2, Uid = 3, ApiVersion = 4, ResourceVersion = 5, FieldPath = 6;
    private const int Reason = 7, ReportingComponent = 8, Source = 9, Type = 10;

    public static readonly FieldSet CoreV1 = FieldSet.Converted(new Dictionary<string, int>
    {
        ["involvedObject.kind"] = Kind,
        ["involvedObject.namespace"] = Namespace,
        ["involvedObject.name"] = Name,
        ["involvedObject.uid"] = Uid,
        ["involvedObject.apiVersion"] = ApiVersion,
        ["involvedObject.resourceVersion"] = ResourceVersion,
        ["involvedObject.fieldPath"] = FieldPath,
        ["reason"] = Reason,
        ["reportingComponent"] = ReportingComponent,
        ["source"] = Source,
        ["type"] = Type,
        ["metadata.namespace"] = FieldSet.Namespace,
        ["metadata.name"] = FieldSet.Name,
    });

    public static readonly FieldSet EventsV1 = FieldSet.Converted(new Dictionary<string, int>
    {
        ["reason"] = Reason,
        ["regarding.kind"] = Kind,
        ["regarding.namespace"] = Namespace,
        ["regarding.name"] = Name,
        ["regarding.uid"] = Uid,
        ["regarding.apiVersion"] = ApiVersion,
        ["regarding.resourceVersion"] = ResourceVersion,
        ["regarding.fieldPath"] = FieldPath,
        ["reportingController"] = ReportingComponent,
        ["source"] = Source,
        ["type"] = Type,
        ["metadata.namespace"] = FieldSet.Namespace,
        ["metadata.name"] = FieldSet.Name,
    });

    /// <summary>The values; <c>source</c> is the source's component, else the reporting controller.</summary>
    public static SelectableFields Of(Corev1Event value)
    {
        var involved = value.InvolvedObject;
        var source = string.IsNullOrEmpty(value.Source?.Component) ? value.ReportingComponent : value.Source.Component;
        return SelectableFields.Of(value.Metadata.Labels,
            involved?.Kind, involved?.NamespaceProperty, involved?.Name, involved?.Uid, involved?.ApiVersion, involved?.ResourceVersion,
            involved?.FieldPath, value.Reason, value.ReportingComponent, source, value.Type);
    }
}
