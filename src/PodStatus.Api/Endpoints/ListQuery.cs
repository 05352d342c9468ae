using Microsoft.AspNetCore.Mvc;
using PodStatus.Api.Registry;

namespace PodStatus.Api.Endpoints;

/// <summary>The query parameters of a list.</summary>
/// <param name="LabelSelector">Pods whose labels match, e.g. <c>app=web,tier in (front,back)</c>.</param>
/// <param name="FieldSelector">Pods whose fields match, e.g. <c>status.phase=Running,spec.nodeName=node-1</c>.</param>
/// <param name="Limit">At most this many pods; the response's <c>metadata.continue</c> fetches the next page.</param>
/// <param name="Continue">The <c>metadata.continue</c> of the previous page.</param>
/// <param name="IncludeObject">For Table responses: <c>None</c>, <c>Metadata</c> (default) or <c>Object</c>.</param>
/// <param name="Watch"><c>true</c> or <c>1</c>: stream changes instead of listing.</param>
/// <param name="ResourceVersion">For a watch: stream the changes after this revision (unset or 0: the current pods first).</param>
/// <param name="ResourceVersionMatch">For a watch with sendInitialEvents: must be <c>NotOlderThan</c>.</param>
/// <param name="AllowWatchBookmarks">For a watch: send BOOKMARK events carrying the current revision.</param>
/// <param name="SendInitialEvents">For a watch: the current pods as ADDED, then a bookmark marking their end.</param>
/// <param name="TimeoutSeconds">For a watch: end the stream after this long.</param>
public sealed record ListQuery(
    string? LabelSelector,
    string? FieldSelector,
    int? Limit,
    [property: FromQuery(Name = "continue")] string? Continue,
    string? IncludeObject,
    string? Watch,
    string? ResourceVersion,
    string? ResourceVersionMatch,
    bool? AllowWatchBookmarks,
    bool? SendInitialEvents,
    int? TimeoutSeconds)
{
    public bool IsWatch => Watch is "true" or "1";

    public PodListOptions ToOptions() => PodListOptions.Parse(LabelSelector, FieldSelector, Limit, Continue);
}
