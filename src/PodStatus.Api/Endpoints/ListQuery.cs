using Microsoft.AspNetCore.Mvc;
using PodStatus.Api.Registry;

namespace PodStatus.Api.Endpoints;

/// <summary>The query parameters of a list.</summary>
/// <param name="LabelSelector">Pods whose labels match, e.g. <c>app=web,tier in (front,back)</c>.</param>
/// <param name="FieldSelector">Pods whose fields match, e.g. <c>status.phase=Running,spec.nodeName=node-1</c>.</param>
/// <param name="Limit">At most this many pods; the response's <c>metadata.continue</c> fetches the next page.</param>
/// <param name="Continue">The <c>metadata.continue</c> of the previous page.</param>
/// <param name="IncludeObject">For Table responses: <c>None</c>, <c>Metadata</c> (default) or <c>Object</c>.</param>
public sealed record ListQuery(
    string? LabelSelector,
    string? FieldSelector,
    int? Limit,
    [property: FromQuery(Name = "continue")] string? Continue,
    string? IncludeObject)
{
    public PodListOptions ToOptions() => PodListOptions.Parse(LabelSelector, FieldSelector, Limit, Continue);
}
