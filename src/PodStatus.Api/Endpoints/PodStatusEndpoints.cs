using k8s.Models;
using PodStatus.Api.Registry;
using PodStatus.Api.Storage;

namespace PodStatus.Api.Endpoints;

/// <summary>The pods/status subresource: read and replace. It has no create, delete or list.</summary>
public static class PodStatusEndpoints
{
    public static IEndpointRouteBuilder MapPodStatusSubresource(this IEndpointRouteBuilder routes)
    {
        const string path = "/api/v1/namespaces/{namespace}/pods/{name}/status";
        var status = routes.MapGroup("").WithTags("core_v1");
        status.MapGet(path, ReadPodStatus)
            .WithName("readCoreV1NamespacedPodStatus")
            .WithSummary("read status of the specified Pod")
            .Produces<V1Pod>()
            .ProducesStatus(404);
        status.MapPut(path, ReplacePodStatus)
            .WithName("replaceCoreV1NamespacedPodStatus")
            .WithSummary("replace status of the specified Pod")
            .WithDescription("Replaces the pod's status. Spec, ownerReferences and deletionTimestamp are kept as stored; " +
                "labels, annotations and finalizers are taken from the request. A resourceVersion in the body must match " +
                "the stored one (409 otherwise); without one the write is unconditional.")
            .AcceptsPod()
            .Produces<V1Pod>()
            .ProducesStatus(400, 404, 409, 413, 415, 422);
        status.MapPatch(path, PatchPodStatus)
            .WithName("patchCoreV1NamespacedPodStatus")
            .WithSummary("partially update status of the specified Pod")
            .WithDescription("Applies a strategic merge (the kubelet's and kubectl's default), JSON merge or JSON patch to the " +
                "pod; only its status, labels, annotations and finalizers change, as with PUT.")
            .AcceptsPatch()
            .Produces<V1Pod>()
            .ProducesStatus(400, 404, 409, 413, 415, 422);
        return routes;
    }

    private static Task<IResult> ReadPodStatus(
        string @namespace, string name, HttpRequest request, PodRegistry registry, TimeProvider clock, CancellationToken cancellationToken)
    {
        var key = new PodKey(@namespace, name);
        return PodEndpoints.ReadAsync(key, PodPaths.Status(key), request, registry, clock, cancellationToken);
    }

    private static Task<PodResult> PatchPodStatus(
        string @namespace, string name, HttpRequest request, PodRegistry registry, CancellationToken cancellationToken) =>
        PodEndpoints.PatchAsync(new PodKey(@namespace, name), statusOnly: true, request, registry, cancellationToken);

    private static async Task<PodResult> ReplacePodStatus(
        string @namespace, string name, HttpRequest request, PodRegistry registry, CancellationToken cancellationToken)
    {
        // The spec of a status write is discarded, so it is not even decoded.
        var (body, options) = await WriteRequest.ReadPodAsync(request, "UpdateOptions", readSpec: false, cancellationToken);
        var key = new PodKey(@namespace, name);
        return new PodResult(await registry.ReplaceStatusAsync(key, body, options.DryRun, cancellationToken), PodPaths.Status(key));
    }
}
