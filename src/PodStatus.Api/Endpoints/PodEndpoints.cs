using k8s.Models;
using PodStatus.Api.Registry;
using PodStatus.Api.Serialization;
using PodStatus.Api.Storage;

namespace PodStatus.Api.Endpoints;

/// <summary>The pods resource: list, create, read, replace and delete.</summary>
public static class PodEndpoints
{
    public static IEndpointRouteBuilder MapPods(this IEndpointRouteBuilder routes)
    {
        var v1 = routes.MapGroup("/api/v1");
        v1.MapGet("/pods", ListAllPods)
            .WithName("listCoreV1PodForAllNamespaces")
            .WithSummary("list or watch objects of kind Pod")
            .Produces<V1PodList>();

        v1.MapGet("/namespaces/{namespace}/pods", ListPods)
            .WithName("listCoreV1NamespacedPod")
            .WithSummary("list or watch objects of kind Pod")
            .Produces<V1PodList>();
        v1.MapPost("/namespaces/{namespace}/pods", CreatePod)
            .WithName("createCoreV1NamespacedPod")
            .WithSummary("create a Pod")
            .AcceptsPod()
            .Produces<V1Pod>(StatusCodes.Status201Created)
            .ProducesStatus(400, 409, 413, 415, 422);
        v1.MapGet("/namespaces/{namespace}/pods/{name}", ReadPod)
            .WithName("readCoreV1NamespacedPod")
            .WithSummary("read the specified Pod")
            .Produces<V1Pod>()
            .ProducesStatus(404);
        v1.MapPut("/namespaces/{namespace}/pods/{name}", ReplacePod)
            .WithName("replaceCoreV1NamespacedPod")
            .WithSummary("replace the specified Pod")
            .AcceptsPod()
            .Produces<V1Pod>()
            .ProducesStatus(400, 404, 409, 413, 415, 422);
        v1.MapDelete("/namespaces/{namespace}/pods/{name}", DeletePod)
            .WithName("deleteCoreV1NamespacedPod")
            .WithSummary("delete a Pod")
            .Accepts<V1DeleteOptions>(isOptional: true, "application/json")
            .Produces<V1Pod>()
            .ProducesStatus(400, 404, 409);
        return routes;
    }

    private static async Task<PodListResult> ListAllPods(PodRegistry registry, CancellationToken cancellationToken) =>
        new(await registry.ListAsync(null, cancellationToken), PodPaths.AllPods);

    private static async Task<PodListResult> ListPods(string @namespace, PodRegistry registry, CancellationToken cancellationToken) =>
        new(await registry.ListAsync(@namespace, cancellationToken), PodPaths.Pods(@namespace));

    private static async Task<PodResult> CreatePod(string @namespace, HttpRequest request, PodRegistry registry, CancellationToken cancellationToken)
    {
        var body = await RequestBody.ReadAsync(request, json => PodRequest.Parse(json, readSpec: true), cancellationToken);
        var pod = await registry.CreateAsync(@namespace, body, cancellationToken);
        return new PodResult(pod, PodPaths.Pod(pod.Key), StatusCodes.Status201Created);
    }

    private static async Task<PodResult> ReadPod(string @namespace, string name, PodRegistry registry, CancellationToken cancellationToken)
    {
        var key = new PodKey(@namespace, name);
        return new PodResult(await registry.GetAsync(key, cancellationToken), PodPaths.Pod(key));
    }

    private static async Task<PodResult> ReplacePod(string @namespace, string name, HttpRequest request, PodRegistry registry, CancellationToken cancellationToken)
    {
        var body = await RequestBody.ReadAsync(request, json => PodRequest.Parse(json, readSpec: true), cancellationToken);
        var key = new PodKey(@namespace, name);
        return new PodResult(await registry.ReplaceAsync(key, body, cancellationToken), PodPaths.Pod(key));
    }

    private static async Task<PodResult> DeletePod(
        string @namespace, string name, long? gracePeriodSeconds, HttpRequest request, PodRegistry registry, CancellationToken cancellationToken)
    {
        var options = await DeleteOptionsReader.ReadAsync(request, gracePeriodSeconds, cancellationToken);
        var key = new PodKey(@namespace, name);
        var (pod, _) = await registry.DeleteAsync(key, options, cancellationToken);
        return new PodResult(pod, PodPaths.Pod(key));
    }
}
