using PodStatus.Api.Storage;

namespace PodStatus.Api.Endpoints;

/// <summary>The URL paths PodStatus writes as selfLink.</summary>
public static class PodPaths
{
    public const string AllPods = "/api/v1/pods";

    public static string Pods(string @namespace) => $"/api/v1/namespaces/{@namespace}/pods";

    public static string Pod(PodKey key) => $"/api/v1/namespaces/{key.Namespace}/pods/{key.Name}";

    public static string Status(PodKey key) => Pod(key) + "/status";
}
