using PodStatus.Api.Schema;

namespace PodStatus.Api.Endpoints;

/// <summary>Every resource in every version the server serves, each with its handlers: what discovery lists and routes map.</summary>
public sealed class ServedResources
{
    private readonly HashSet<(string Group, string Version, string Resource, string Subresource)> _paths;

    public ServedResources(IEnumerable<IResourceHandlers> served)
    {
        All = [.. served];
        _paths = [.. Resources.SelectMany(resource => resource.Subresources.Keys.Prepend("")
            .Select(subresource => (resource.Group, resource.Version, resource.Plural, subresource)))];
    }

    public IReadOnlyList<IResourceHandlers> All { get; }

    public IEnumerable<ApiResource> Resources => All.Select(handlers => handlers.Resource);

    /// <summary>The group-versions served, the core group's first.</summary>
    public IEnumerable<(string Group, string Version)> GroupVersions =>
        Resources.Select(resource => (resource.Group, resource.Version)).Distinct().OrderBy(groupVersion => groupVersion.Group.Length > 0);

    /// <summary>Whether a request names a resource (and subresource) served here.</summary>
    public bool Serves(string group, string version, string resource, string subresource) =>
        _paths.Contains((group, version, resource, subresource));

    /// <summary>The kind of a served resource's objects, as the watchers' metric labels it.</summary>
    public string KindOf(string group, string resource) =>
        Resources.FirstOrDefault(served => served.Group == group && served.Plural == resource)?.Kind ?? "";

    public static IEndpointRouteBuilder MapAll(IEndpointRouteBuilder routes, ServedResources served)
    {
        foreach (var handlers in served.All)
        {
            routes.MapResource(handlers);
        }

        return routes;
    }
}
