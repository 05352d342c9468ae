using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using PodStatus.Api.Errors;
using PodStatus.Api.Registry;

namespace PodStatus.Api.Endpoints;

/// <summary>The query parameters of a list or watch (described in the OpenAPI document by <c>KubernetesOpenApi</c>).</summary>
public sealed record ListQuery(
    [property: FromQuery(Name = "labelSelector")] string? LabelSelector,
    [property: FromQuery(Name = "fieldSelector")] string? FieldSelector,
    [property: FromQuery(Name = "limit")] int? Limit,
    [property: FromQuery(Name = "continue")] string? Continue,
    [property: FromQuery(Name = "includeObject")] string? IncludeObject,
    [property: FromQuery(Name = "watch")] string? Watch,
    [property: FromQuery(Name = "resourceVersion")] string? ResourceVersion,
    [property: FromQuery(Name = "resourceVersionMatch")] string? ResourceVersionMatch,
    [property: FromQuery(Name = "allowWatchBookmarks")] bool? AllowWatchBookmarks,
    [property: FromQuery(Name = "sendInitialEvents")] bool? SendInitialEvents,
    [property: FromQuery(Name = "timeoutSeconds")] int? TimeoutSeconds)
{
    public bool IsWatch => Watch is "true" or "1";

    /// <summary>The revision <c>resourceVersion</c> names; null when unset or 0 (any state will do). Checked
    /// before a watch starts: once its 200 is sent, an error can only be an event.</summary>
    public long? Revision => string.IsNullOrEmpty(ResourceVersion) || ResourceVersion == "0"
        ? null
        : long.TryParse(ResourceVersion, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed)
            ? parsed
            : throw StatusErrors.BadRequest($"invalid resource version: {ResourceVersion}").AsException();

    public PodListOptions ToOptions() => PodListOptions.Parse(LabelSelector, FieldSelector, Limit, Continue);
}
