using System.Text.Json;
using k8s.Models;
using PodStatus.Api.Security;
using PodStatus.Api.Serialization;

namespace PodStatus.Api.Discovery;

/// <summary>
/// Legacy (unaggregated) discovery, which kubectl and client-go fall back to when the response is plain
/// <c>application/json</c>: the core group at <c>/api</c> with the pods resources of core/v1, and the two groups
/// whose reviews tell users what they may do and who they are.
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

    private static readonly V1APIResourceList CoreV1 = new()
    {
        Kind = "APIResourceList",
        ApiVersion = "v1",
        GroupVersion = "v1",
        Resources =
        [
            new V1APIResource
            {
                Name = "pods",
                SingularName = "pod",
                Namespaced = true,
                Kind = "Pod",
                Verbs = ["create", "delete", "get", "list", "patch", "update", "watch"],
                ShortNames = ["po"],
                Categories = ["all"],
            },
            new V1APIResource { Name = "pods/status", SingularName = "", Namespaced = true, Kind = "Pod", Verbs = ["get", "patch", "update"] },
        ],
    };

    private static readonly V1APIResourceList AuthorizationV1 = Reviews(ReviewEndpoints.AuthorizationGroup, "selfsubjectaccessreviews", "SelfSubjectAccessReview");
    private static readonly V1APIResourceList AuthenticationV1 = Reviews(ReviewEndpoints.AuthenticationGroup, "selfsubjectreviews", "SelfSubjectReview");
    private static readonly V1APIGroup[] Groups = [Group(ReviewEndpoints.AuthenticationGroup), Group(ReviewEndpoints.AuthorizationGroup)];

    public static IEndpointRouteBuilder MapDiscovery(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api", CoreVersions)
            .WithName("getCoreAPIVersions").WithSummary("get available API versions").WithTags("core");
        routes.MapGet("/apis", () => Json(new V1APIGroupList { Kind = "APIGroupList", ApiVersion = "v1", Groups = Groups }))
            .WithName("getAPIVersions").WithSummary("get available API versions").WithTags("apis");
        foreach (var (group, resources) in new[] { (Groups[0], AuthenticationV1), (Groups[1], AuthorizationV1) })
        {
            routes.MapGet($"/apis/{group.Name}", () => Json(group)).ExcludeFromDescription();
            routes.MapGet($"/apis/{group.Name}/v1", () => Json(resources)).ExcludeFromDescription();
        }

        routes.MapGet("/api/v1", () => Json(CoreV1))
            .WithName("getCoreV1APIResources").WithSummary("get available resources").WithTags("core_v1");
        routes.MapGet("/version", () => Json(Version))
            .WithName("getCodeVersion").WithSummary("get the code version").WithTags("version");
        return routes;
    }

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
        Results.Bytes(JsonSerializer.SerializeToUtf8Bytes(value, KubeJson.Options), "application/json");
}
