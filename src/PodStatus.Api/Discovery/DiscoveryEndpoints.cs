using System.Text.Json;
using System.Text.Json.Nodes;
using k8s.Models;
using PodStatus.Api.Endpoints;
using PodStatus.Api.Security;
using PodStatus.Api.Serialization;

namespace PodStatus.Api.Discovery;

/// <summary>
/// Legacy (unaggregated) discovery, which kubectl and client-go fall back to when the response is plain
/// <c>application/json</c>: the core group at <c>/api</c> with its resources, each other group served at
/// <c>/apis</c>, and the two groups whose reviews tell users what they may do and who they are.
/// </summary>
public static class DiscoveryEndpoints
{
    /// <summary>The Kubernetes release whose pod API PodStatus serves.</summary>
    public static readonly VersionInfo Version = new()
    {
        Major = "1",
        Minor = "33",
        GitVersion = "v1.33.0+podstatus",
        GitCommit = "podstatus",
        GitTreeState = "clean",
        BuildDate = "2026-11-24T00:00:00Z",
        GoVersion = "go1.24",
        Compiler = "gc",
        Platform = "linux/amd64",
    };

    public static IEndpointRouteBuilder MapDiscovery(this IEndpointRouteBuilder routes)
    {
        var served = routes.ServiceProvider.GetRequiredService<ServedResources>();
        List<(string Name, V1APIResourceList Resources)> groups =
        [
            .. served.GroupVersions.Where(groupVersion => groupVersion.Group.Length > 0)
                .Select(groupVersion => (groupVersion.Group, Resources(served, groupVersion.Group, groupVersion.Version))),
            (ReviewEndpoints.AuthenticationGroup, Reviews(ReviewEndpoints.AuthenticationGroup, "selfsubjectreviews", "SelfSubjectReview")),
            (ReviewEndpoints.AuthorizationGroup, Reviews(ReviewEndpoints.AuthorizationGroup, "selfsubjectaccessreviews", "SelfSubjectAccessReview")),
        ];
        var groupList = new V1APIGroupList { Kind = "APIGroupList", ApiVersion = "v1", Groups = [.. groups.Select(group => Group(group.Name))] };
        var coreV1 = Resources(served, "", "v1");

        routes.MapGet("/api", CoreVersions)
            .WithName("getCoreAPIVersions").WithSummary("get available API versions").WithTags("core");
        routes.MapGet("/apis", () => Json(groupList))
            .WithName("getAPIVersions").WithSummary("get available API versions").WithTags("apis");
        foreach (var (group, resources) in groups)
        {
            routes.MapGet($"/apis/{group}", () => Json(Group(group))).ExcludeFromDescription();
            routes.MapGet($"/apis/{group}/v1", () => Json(resources)).ExcludeFromDescription();
        }

        routes.MapGet("/api/v1", () => Json(coreV1))
            .WithName("getCoreV1APIResources").WithSummary("get available resources").WithTags("core_v1");
        routes.MapGet("/version", () => Json(Version))
            .WithName("getCodeVersion").WithSummary("get the code version").WithTags("version");

        // The index of paths, as upstream's routes.Index lists what its mux serves (a browser is sent to /ui instead).
        var paths = new JsonObject
        {
            ["paths"] = new JsonArray([
                .. new[] { "/api", "/api/v1", "/apis", "/apis/", "/healthz", "/livez", "/metrics", "/openapi/v3", "/openapi/v3/", "/readyz", "/swagger", "/ui", "/version" }
                .Concat(groups.SelectMany(group => new[] { $"/apis/{group.Name}", $"/apis/{group.Name}/v1" }))
                .Order(StringComparer.Ordinal).Select(path => JsonValue.Create(path))]),
        };
        // Not in upstream's OpenAPI document either.
        routes.MapGet("/", () => Results.Json(paths, DomJson.Default.JsonObject, "application/json")).ExcludeFromDescription();
        return routes;
    }

    /// <summary>A group-version's resources as discovery lists them: each resource, then each of its subresources.</summary>
    private static V1APIResourceList Resources(ServedResources served, string group, string version) => new()
    {
        Kind = "APIResourceList",
        ApiVersion = "v1",
        GroupVersion = group.Length == 0 ? version : $"{group}/{version}",
        Resources =
        [
            .. served.Resources.Where(resource => resource.Group == group && resource.Version == version).SelectMany(resource =>
                resource.Subresources.Select(subresource => new V1APIResource
                {
                    Name = $"{resource.Plural}/{subresource.Key}",
                    SingularName = "",
                    Namespaced = resource.Namespaced,
                    Kind = resource.Kind,
                    Verbs = [.. subresource.Value],
                }).Prepend(new V1APIResource
                {
                    Name = resource.Plural,
                    SingularName = resource.Singular,
                    Namespaced = resource.Namespaced,
                    Kind = resource.Kind,
                    Verbs = [.. resource.Verbs],
                    ShortNames = resource.ShortNames.Count > 0 ? [.. resource.ShortNames] : null,
                    Categories = resource.Categories.Count > 0 ? [.. resource.Categories] : null,
                })),
        ],
    };

    private static IResult CoreVersions(HttpRequest request) => Json(new V1APIVersions
    {
        Kind = "APIVersions",
        Versions = ["v1"],
        ServerAddressByClientCIDRs = [new V1ServerAddressByClientCIDR { ClientCIDR = "0.0.0.0/0", ServerAddress = request.Host.Value ?? "" }],
    });

    private static V1APIGroup Group(string name) => new()
    {
        Kind = "APIGroup",
        ApiVersion = "v1",
        Name = name,
        Versions = [new V1GroupVersionForDiscovery { GroupVersion = $"{name}/v1", Version = "v1" }],
        PreferredVersion = new V1GroupVersionForDiscovery { GroupVersion = $"{name}/v1", Version = "v1" },
    };

    private static V1APIResourceList Reviews(string group, string resource, string kind) => new()
    {
        Kind = "APIResourceList",
        ApiVersion = "v1",
        GroupVersion = $"{group}/v1",
        Resources = [new V1APIResource { Name = resource, SingularName = resource.TrimEnd('s'), Namespaced = false, Kind = kind, Verbs = ["create"] }],
    };

    /// <summary>Plain application/json, so clients read these as legacy discovery documents.</summary>
    private static IResult Json<T>(T value) =>
        Results.Bytes(JsonSerializer.SerializeToUtf8Bytes(value, KubeJson.TypeInfo<T>()), "application/json");
}
