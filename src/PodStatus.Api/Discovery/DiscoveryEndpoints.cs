using System.Text.Json;
using k8s.Models;
using PodStatus.Api.Serialization;

namespace PodStatus.Api.Discovery;

/// <summary>
/// Legacy (unaggregated) discovery, which kubectl and client-go fall back to when the response is plain
/// <c>application/json</c>: the core group at <c>/api</c>, no named groups, and the pods resources of core/v1.
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

    private static readonly V1APIGroupList NoGroups = new() { Kind = "APIGroupList", ApiVersion = "v1", Groups = [] };

    public static IEndpointRouteBuilder MapDiscovery(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api", CoreVersions)
            .WithName("getCoreAPIVersions").WithSummary("get available API versions").WithTags("core");
        routes.MapGet("/apis", () => Json(NoGroups))
            .WithName("getAPIVersions").WithSummary("get available API versions").WithTags("apis");
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

    /// <summary>Plain application/json, so clients read these as legacy discovery documents.</summary>
    private static IResult Json<T>(T value) =>
        Results.Bytes(JsonSerializer.SerializeToUtf8Bytes(value, KubeJson.Options), "application/json");
}
