using PodStatus.Api.Storage;

namespace PodStatus.Api.Endpoints;

/// <summary>
/// The routes of a resource in a served version, as kube-apiserver's installer lays them out
/// (<c>apiserver/pkg/endpoints/installer.go</c>), with upstream's operation ids: the collection (list, watch,
/// create, deletecollection), the object (read, replace, patch, delete), its subresources, and the deprecated
/// <c>/watch/</c> paths, which client libraries still call. Every resource is mapped by the same table.
/// </summary>
public static class ResourceEndpoints
{
    private static readonly int[] WriteErrors = [400, 403, 404, 409, 413, 415, 422];

    public static IEndpointRouteBuilder MapResource(this IEndpointRouteBuilder routes, IResourceHandlers handlers)
    {
        var resource = handlers.Resource;
        var kind = resource.Kind;
        var g = resource.OperationGroup;
        var served = handlers.ServedType;
        var list = handlers.ServedListType;
        var api = routes.MapGroup(resource.Root)
            .WithTags(resource.OperationTag)
            .WithGroupName(resource.DocumentName)
            .WithMetadata(resource);

        // Upstream's operation ids say "Namespaced" for a namespaced resource's paths within a namespace.
        var scope = resource.Namespaced ? "Namespaced" : "";
        var collection = resource.Namespaced ? $"/namespaces/{{namespace}}/{resource.Plural}" : $"/{resource.Plural}";
        var item = $"{collection}/{{name}}";

        api.MapGet(collection, (HttpRequest request, CancellationToken cancellationToken) =>
                handlers.ListAsync(Namespace(request), null, watchPath: false, request, cancellationToken))
            .WithName($"list{g}{scope}{kind}")
            .WithSummary($"list or watch objects of kind {kind}")
            .Produces(200, list)
            .ProducesStatus(400, 403, 404, 504);
        api.MapPost(collection, (HttpRequest request, CancellationToken cancellationToken) =>
                handlers.CreateAsync(Namespace(request) ?? "", request, cancellationToken))
            .WithName($"create{g}{scope}{kind}")
            .WithSummary($"create {Article(kind)} {kind}")
            .Accepts(served, handlers.BodyMediaTypes[0], [.. handlers.BodyMediaTypes.Skip(1)])
            .Produces(201, served)
            .ProducesStatus(WriteErrors);
        if (resource.Verbs.Contains("deletecollection"))
        {
            api.MapDelete(collection, (HttpRequest request, CancellationToken cancellationToken) =>
                    handlers.DeleteCollectionAsync(Namespace(request), request, cancellationToken))
                .WithName($"delete{g}Collection{scope}{kind}")
                .WithSummary($"delete collection of {kind}")
                // Upstream's installer documents a Status; the body is the list deleted, which decodes as one.
                .ProducesStatus(200, 400, 403, 404, 409);
        }

        api.MapGet(item, (HttpRequest request, CancellationToken cancellationToken) =>
                handlers.ReadAsync(Key(request), "", request, cancellationToken))
            .WithName($"read{g}{scope}{kind}")
            .WithSummary($"read the specified {kind}")
            .Produces(200, served)
            .ProducesStatus(403, 404);
        api.MapPut(item, (HttpRequest request, CancellationToken cancellationToken) =>
                handlers.ReplaceAsync(Key(request), "", request, cancellationToken))
            .WithName($"replace{g}{scope}{kind}")
            .WithSummary($"replace the specified {kind}")
            .Accepts(served, handlers.BodyMediaTypes[0], [.. handlers.BodyMediaTypes.Skip(1)])
            .Produces(200, served)
            .ProducesStatus(WriteErrors);
        api.MapPatch(item, (HttpRequest request, CancellationToken cancellationToken) =>
                handlers.PatchAsync(Key(request), "", request, cancellationToken))
            .WithName($"patch{g}{scope}{kind}")
            .WithSummary($"partially update the specified {kind}")
            .AcceptsPatch(served)
            .Produces(200, served)
            .ProducesStatus(WriteErrors);
        api.MapDelete(item, (HttpRequest request, CancellationToken cancellationToken) =>
                handlers.DeleteAsync(Key(request), request, cancellationToken))
            .WithName($"delete{g}{scope}{kind}")
            .WithSummary($"delete {Article(kind)} {kind}")
            .Produces(200, served)
            .ProducesStatus(400, 403, 404, 409);

        if (resource.Namespaced)
        {
            api.MapGet($"/{resource.Plural}", (HttpRequest request, CancellationToken cancellationToken) =>
                    handlers.ListAsync(null, null, watchPath: false, request, cancellationToken))
                .WithName($"list{g}{kind}ForAllNamespaces")
                .WithSummary($"list or watch objects of kind {kind}")
                .Produces(200, list)
                .ProducesStatus(400, 403, 504);
            api.MapGet($"/watch/{resource.Plural}", (HttpRequest request, CancellationToken cancellationToken) =>
                    handlers.ListAsync(null, null, watchPath: true, request, cancellationToken))
                .WithName($"watch{g}{kind}ListForAllNamespaces")
                .WithSummary(WatchListSummary(kind))
                .ProducesStatus(400, 403);
        }

        api.MapGet($"/watch{collection}", (HttpRequest request, CancellationToken cancellationToken) =>
                handlers.ListAsync(Namespace(request), null, watchPath: true, request, cancellationToken))
            .WithName($"watch{g}{scope}{kind}List")
            .WithSummary(WatchListSummary(kind))
            .ProducesStatus(400, 403);
        api.MapGet($"/watch{item}", (HttpRequest request, CancellationToken cancellationToken) =>
                handlers.ListAsync(Namespace(request), Name(request), watchPath: true, request, cancellationToken))
            .WithName($"watch{g}{scope}{kind}")
            .WithSummary($"watch changes to an object of kind {kind}. deprecated: use the 'watch' parameter with a list operation instead, " +
                "filtered to a single item with the 'fieldSelector' parameter.")
            .ProducesStatus(400, 403);

        foreach (var (subresource, verbs) in resource.Subresources)
        {
            var path = $"{item}/{subresource}";
            var suffix = char.ToUpperInvariant(subresource[0]) + subresource[1..];
            if (verbs.Contains("get"))
            {
                api.MapGet(path, (HttpRequest request, CancellationToken cancellationToken) =>
                        handlers.ReadAsync(Key(request), subresource, request, cancellationToken))
                    .WithName($"read{g}{scope}{kind}{suffix}")
                    .WithSummary($"read {subresource} of the specified {kind}")
                    .Produces(200, served)
                    .ProducesStatus(403, 404);
            }

            if (verbs.Contains("update"))
            {
                api.MapPut(path, (HttpRequest request, CancellationToken cancellationToken) =>
                        handlers.ReplaceAsync(Key(request), subresource, request, cancellationToken))
                    .WithName($"replace{g}{scope}{kind}{suffix}")
                    .WithSummary($"replace {subresource} of the specified {kind}")
                    .Accepts(served, handlers.BodyMediaTypes[0], [.. handlers.BodyMediaTypes.Skip(1)])
                    .Produces(200, served)
                    .ProducesStatus(WriteErrors);
            }

            if (verbs.Contains("create"))
            {
                api.MapPost(path, (HttpRequest request, CancellationToken cancellationToken) =>
                        handlers.CreateOnAsync(Key(request), subresource, request, cancellationToken))
                    .WithName($"create{g}{scope}{kind}{suffix}")
                    .WithSummary($"create {subresource} of {Article(kind)} {kind}")
                    // The one subresource created by a POST is a pod's binding.
                    .Accepts<k8s.Models.V1Binding>(handlers.BodyMediaTypes[0], [.. handlers.BodyMediaTypes.Skip(1)])
                    .ProducesStatus(WriteErrors);
            }

            if (verbs.Contains("patch"))
            {
                api.MapPatch(path, (HttpRequest request, CancellationToken cancellationToken) =>
                        handlers.PatchAsync(Key(request), subresource, request, cancellationToken))
                    .WithName($"patch{g}{scope}{kind}{suffix}")
                    .WithSummary($"partially update {subresource} of the specified {kind}")
                    .AcceptsPatch(served)
                    .Produces(200, served)
                    .ProducesStatus(WriteErrors);
            }
        }

        return routes;
    }

    // The handlers read the path's names from the route, so a cluster-scoped resource's routes bind no namespace
    // (which minimal APIs would otherwise take from the query string).
    private static string? Namespace(HttpRequest request) => request.RouteValues["namespace"] as string;

    private static string Name(HttpRequest request) => (string)request.RouteValues["name"]!;

    private static ObjectKey Key(HttpRequest request) => new(Namespace(request) ?? "", Name(request));

    private static string WatchListSummary(string kind) =>
        $"watch individual changes to a list of {kind}. deprecated: use the 'watch' parameter with a list operation instead.";

    private static string Article(string kind) => "AEIOU".Contains(kind[0]) ? "an" : "a";
}
