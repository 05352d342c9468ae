using k8s.Models;
using PodStatus.Api.Errors;
using PodStatus.Api.Patching;
using PodStatus.Api.Registry;
using PodStatus.Api.Serialization;
using PodStatus.Api.Storage;
using PodStatus.Api.Tables;
using PodStatus.Api.Watch;

namespace PodStatus.Api.Endpoints;

/// <summary>The pods resource: list, create, read, replace and delete.</summary>
public static class PodEndpoints
{
    public static IEndpointRouteBuilder MapPods(this IEndpointRouteBuilder routes)
    {
        var v1 = routes.MapGroup("/api/v1").WithTags("core_v1");
        v1.MapGet("/pods", ListAllPods)
            .WithName("listCoreV1PodForAllNamespaces")
            .WithSummary("list or watch objects of kind Pod")
            .Produces<V1PodList>()
            .ProducesStatus(400, 504);

        v1.MapGet("/namespaces/{namespace}/pods", ListPods)
            .WithName("listCoreV1NamespacedPod")
            .WithSummary("list or watch objects of kind Pod")
            .Produces<V1PodList>()
            .ProducesStatus(400, 504);
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
        v1.MapPatch("/namespaces/{namespace}/pods/{name}", PatchPod)
            .WithName("patchCoreV1NamespacedPod")
            .WithSummary("partially update the specified Pod")
            .AcceptsPatch()
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

    private static Task<IResult> ListAllPods(HttpRequest request, PodRegistry registry, WatchService watches, CancellationToken cancellationToken) =>
        ListAsync(null, PodPaths.AllPods, request, registry, watches, cancellationToken);

    private static Task<IResult> ListPods(
        string @namespace, HttpRequest request, PodRegistry registry, WatchService watches, CancellationToken cancellationToken) =>
        ListAsync(@namespace, PodPaths.Pods(@namespace), request, registry, watches, cancellationToken);

    /// <summary>A list, or with <c>watch=true</c> a watch; either as a Table when the client asks for one.</summary>
    private static async Task<IResult> ListAsync(
        string? @namespace, string selfLink, HttpRequest request, PodRegistry registry, WatchService watches, CancellationToken cancellationToken)
    {
        var query = ListQuery.Read(request.Query);
        query.Validate();
        var options = query.ToOptions();
        var revision = query.Revision;
        var tableObjects = PodTableResult.RequestedRows(request);
        var clock = watches.Clock;
        // A list, and a watch's initial state, must be at least as new as the revision named (upstream's NotOlderThan).
        var waitsForRevision = !query.Watch || query.SendInitialEvents == true;
        if (waitsForRevision && revision is { } minimum && !await watches.Log.ReachesAsync(minimum, clock, cancellationToken))
        {
            return new StatusResult(StatusErrors.TooLargeResourceVersion(minimum, watches.Log.Revision));
        }

        if (query.Watch)
        {
            // sendInitialEvents defaults to true for resourceVersion unset or 0, false otherwise; without initial
            // events and without a revision, the watch starts at the newest one.
            var initialEvents = query.SendInitialEvents ?? revision is null;
            long? from = initialEvents ? null : revision ?? watches.Log.Revision;
            return watches.Start(WatchRequest.Create(
                @namespace, options, from, query.AllowWatchBookmarks, query.SendInitialEvents == true, query.TimeoutSeconds, tableObjects));
        }

        var page = await registry.ListAsync(@namespace, options, query.IsExact ? revision : null, cancellationToken);
        request.HttpContext.Response.RegisterForDispose(page);
        var metadata = new ListMetadata(page.ResourceVersion, selfLink, page.Continue, page.RemainingItemCount);
        return tableObjects is not null
            ? new PodTableResult(page.Items, metadata with { SelfLink = null }, tableObjects, clock.GetUtcNow().UtcDateTime)
            : new PodListResult(page.Items, metadata);
    }

    private static async Task<PodResult> CreatePod(
        string @namespace, HttpRequest request, PodRegistry registry, CancellationToken cancellationToken)
    {
        var (body, options) = await WriteRequest.ReadPodAsync(request, "CreateOptions", readSpec: true, cancellationToken);
        var pod = await registry.CreateAsync(@namespace, body, options.DryRun, cancellationToken);
        return new PodResult(pod, PodPaths.Pod(pod.Key), StatusCodes.Status201Created);
    }

    private static Task<IResult> ReadPod(
        string @namespace, string name, HttpRequest request, PodRegistry registry, TimeProvider clock, CancellationToken cancellationToken)
    {
        var key = new PodKey(@namespace, name);
        return ReadAsync(key, PodPaths.Pod(key), request, registry, clock, cancellationToken);
    }

    /// <summary>GET on the pod or its status: the whole pod, or a one-row Table when the client asks for one.</summary>
    internal static async Task<IResult> ReadAsync(
        PodKey key, string selfLink, HttpRequest request, PodRegistry registry, TimeProvider clock, CancellationToken cancellationToken)
    {
        var tableObjects = PodTableResult.RequestedRows(request);
        var pod = await registry.GetAsync(key, cancellationToken);
        return tableObjects is not null ? PodTableResult.ForOne(pod, tableObjects, clock) : new PodResult(pod, selfLink);
    }

    private static async Task<PodResult> ReplacePod(
        string @namespace, string name, HttpRequest request, PodRegistry registry, CancellationToken cancellationToken)
    {
        var (body, options) = await WriteRequest.ReadPodAsync(request, "UpdateOptions", readSpec: true, cancellationToken);
        var key = new PodKey(@namespace, name);
        return new PodResult(await registry.ReplaceAsync(key, body, options.DryRun, cancellationToken), PodPaths.Pod(key));
    }

    private static Task<PodResult> PatchPod(
        string @namespace, string name, HttpRequest request, PodRegistry registry, CancellationToken cancellationToken) =>
        PatchAsync(new PodKey(@namespace, name), statusOnly: false, request, registry, cancellationToken);

    /// <summary>PATCH on the pod or its status; shared with <see cref="PodStatusEndpoints"/>.</summary>
    internal static async Task<PodResult> PatchAsync(
        PodKey key, bool statusOnly, HttpRequest request, PodRegistry registry, CancellationToken cancellationToken)
    {
        var type = PodPatch.TypeOf(request.ContentType);
        var options = WriteOptions.Parse(request.Query, "PatchOptions");
        var patch = await RequestBody.ReadBytesAsync(request, cancellationToken);
        var (pod, warnings) = await registry.PatchAsync(key, type, patch, statusOnly, options, cancellationToken);
        WriteRequest.AddWarnings(request.HttpContext.Response, warnings);
        return new PodResult(pod, statusOnly ? PodPaths.Status(key) : PodPaths.Pod(key));
    }

    private static async Task<PodResult> DeletePod(
        string @namespace, string name, HttpRequest request, PodRegistry registry, CancellationToken cancellationToken)
    {
        var options = await DeleteOptionsReader.ReadAsync(request, cancellationToken);
        var key = new PodKey(@namespace, name);
        var (pod, _) = await registry.DeleteAsync(key, options, cancellationToken);
        return new PodResult(pod, PodPaths.Pod(key));
    }
}
