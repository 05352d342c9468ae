using System.Buffers;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using PodStatus.Api.Errors;
using PodStatus.Api.Http;
using PodStatus.Api.Patching;
using PodStatus.Api.Registry;
using PodStatus.Api.Schema;
using PodStatus.Api.Selection;
using PodStatus.Api.Serialization;
using PodStatus.Api.Storage;
using PodStatus.Api.Tables;
using PodStatus.Api.Watch;

namespace PodStatus.Api.Endpoints;

/// <summary>
/// The requests on one resource in one served version, as kube-apiserver's handlers serve them
/// (<c>apiserver/pkg/endpoints/handlers</c>): the query and body read as upstream reads them, the registry asked,
/// the answer written in the version asked for. Objects of <typeparamref name="TServed"/> are stored as
/// <typeparamref name="T"/> (the same type, but for a version served by conversion, as events.k8s.io's Events).
/// </summary>
public sealed class ResourceHandlers<T, TServed, TServedList>(
    Registry<T> registry, ServedVersion version, FieldSet fields, PatchSchema patchSchema, Func<TServed, T> toStored, WatchService watches)
    : IResourceHandlers
    where T : class, IKubernetesObject<V1ObjectMeta>, new()
    where TServed : class, IKubernetesObject<V1ObjectMeta>, new()
    where TServedList : IKubernetesObject<V1ListMeta>, IItems<TServed>
{
    private readonly WatchedResource _watched = new(registry.Cache, registry.Store, version, registry.Strategy.Printer);
    private readonly TimeProvider _clock = watches.Clock;

    public ApiResource Resource => version.Resource;

    public Type ServedType => typeof(TServed);

    public Type ServedListType => typeof(TServedList);

    public IReadOnlyList<string> BodyMediaTypes { get; } =
        KubeProtobuf.ReaderFor<TServed>() is null ? RequestBody.AcceptedMediaTypes : [.. RequestBody.AcceptedMediaTypes, KubeProtobuf.MediaType];

    /// <summary>A list, or with <c>watch=true</c> (or on a <c>/watch/</c> path) a watch; either as a Table when asked for.</summary>
    public async Task<IResult> ListAsync(string? @namespace, string? name, bool watchPath, HttpRequest request, CancellationToken cancellationToken)
    {
        try
        {
            var query = ListQuery.Read(request.Query);
            if (watchPath)
            {
                // The deprecated /watch/ paths always watch; with a name, the one object (upstream's handlers/get.go).
                query = query with { Watch = true };
            }

            var options = Options(query);
            if (name is not null)
            {
                options = options with { Fields = NameSelector(options.Fields, query.FieldSelector, name) };
            }

            var revision = query.Revision;
            var tableObjects = TableResult.RequestedRows(request);
            // A list, and a watch's initial state, must be at least as new as the revision named (upstream's NotOlderThan).
            var waitsForRevision = !query.Watch || query.SendInitialEvents == true;
            if (waitsForRevision && revision is { } minimum && !await registry.Cache.ReachesAsync(minimum, _clock, cancellationToken))
            {
                return new StatusResult(StatusErrors.TooLargeResourceVersion(minimum, registry.Cache.Log.Revision));
            }

            if (query.Watch)
            {
                // sendInitialEvents defaults to true for resourceVersion unset or 0, false otherwise; without initial
                // events and without a revision, the watch starts at the newest one.
                var initialEvents = query.SendInitialEvents ?? revision is null;
                long? from = initialEvents ? null : revision ?? registry.Cache.Log.Revision;
                return watches.Start(_watched, WatchRequest.Create(
                    @namespace, options.Labels, options.Fields, from, query.AllowWatchBookmarks, query.SendInitialEvents == true, query.TimeoutSeconds, tableObjects));
            }

            var page = await registry.ListAsync(@namespace, options, query.IsExact ? revision : null, cancellationToken);
            request.HttpContext.Response.RegisterForDispose(page);
            var metadata = new ListMetadata(page.ResourceVersion, Resource.CollectionPath(@namespace), page.Continue, page.RemainingItemCount);
            return tableObjects is not null
                ? new TableResult(page.Items, version, registry.Strategy.Printer, metadata with { SelfLink = null }, tableObjects, _clock.GetUtcNow().UtcDateTime)
                : new ListResult(page.Items, version, metadata);
        }
        catch (StatusException refusal)
        {
            return Refused(refusal);
        }
    }

    /// <summary>The query validated, its selectors parsed against this resource's fields.</summary>
    private ListOptions Options(ListQuery query)
    {
        query.Validate();
        return ListOptions.Parse(query.LabelSelector, query.FieldSelector, fields, query.PageSize, query.Continue);
    }

    /// <summary>A watch of one object: its name joins the field selector, which may not name another.</summary>
    private FieldSelector NameSelector(FieldSelector selector, string? text, string name)
    {
        if (selector.RequiredValue(FieldSet.Name) is { } named)
        {
            return named == name ? selector : throw StatusErrors.BadRequest("fieldSelector metadata.name doesn't match requested name").AsException();
        }

        return ListOptions.ParseFields(string.IsNullOrEmpty(text) ? $"metadata.name={name}" : $"{text},metadata.name={name}", fields);
    }

    public async Task<IResult> CreateAsync(string @namespace, HttpRequest request, CancellationToken cancellationToken)
    {
        try
        {
            var (body, options) = await WriteRequest.ReadObjectAsync<TServed>(request, Resource, "CreateOptions", skipSpec: false, cancellationToken);
            var created = await registry.CreateAsync(@namespace, toStored(body), options.DryRun, cancellationToken, Resource.GroupVersion);
            return Answer(created, "", StatusCodes.Status201Created);
        }
        catch (StatusException refusal)
        {
            return Refused(refusal);
        }
    }

    /// <summary>GET on the object or a subresource: the whole object, or a one-row Table when the client asks for one.</summary>
    public async Task<IResult> ReadAsync(ObjectKey key, string subresource, HttpRequest request, CancellationToken cancellationToken)
    {
        try
        {
            var tableObjects = TableResult.RequestedRows(request);
            var value = await registry.GetAsync(key, cancellationToken);
            return tableObjects is not null
                ? TableResult.ForOne(value, version, registry.Strategy.Printer, tableObjects, _clock)
                : Answer(value, subresource);
        }
        catch (StatusException refusal)
        {
            return Refused(refusal);
        }
    }

    /// <summary>PUT on the object or a subresource; a status write does not decode the spec it throws away.</summary>
    public async Task<IResult> ReplaceAsync(ObjectKey key, string subresource, HttpRequest request, CancellationToken cancellationToken)
    {
        try
        {
            var (body, options) = await WriteRequest.ReadObjectAsync<TServed>(request, Resource, "UpdateOptions", skipSpec: subresource == "status", cancellationToken);
            var (value, created) = await registry.ReplaceAsync(key, toStored(body), subresource, options.DryRun, cancellationToken, Resource.GroupVersion);
            return Answer(value, subresource, created ? StatusCodes.Status201Created : StatusCodes.Status200OK);
        }
        catch (StatusException refusal)
        {
            return Refused(refusal);
        }
    }

    /// <summary>
    /// PATCH on the object or a subresource: the patch is applied to the current object as this version serves it
    /// (again on each retry), and the result goes through the same update as a PUT.
    /// </summary>
    public async Task<IResult> PatchAsync(ObjectKey key, string subresource, HttpRequest request, CancellationToken cancellationToken)
    {
        try
        {
            var type = Patches.TypeOf(request.ContentType);
            var options = WriteOptions.Parse(request.Query, "PatchOptions");
            var patch = await RequestBody.ReadBytesAsync(request, cancellationToken);
            IReadOnlyList<string> warnings = [];
            var value = await registry.UpdateAsync(key, current =>
            {
                // The object as served, then the patched object, are written to the thread's scratch buffer and read from
                // it at once (the node tree and the decode copy what they keep). Its writer, not the serializer's: the
                // serializer's default options stop at 64 levels, short of what a body may nest.
                var asServed = version.Read(current);
                JsonObject served;
                using (var scratch = ScratchJson.Rent())
                {
                    ObjectWriter.WriteWithOwnLink(scratch.Buffer, asServed, version, asListItem: false);
                    served = JsonNode.Parse(scratch.Buffer.WrittenSpan)!.AsObject();
                }

                var patched = Patches.Apply(served, patch, type, patchSchema);
                ObjectRequest<TServed> body;
                using (var scratch = ScratchJson.Rent())
                {
                    patched.WriteTo(scratch.Writer);
                    scratch.Writer.Flush();
                    body = ObjectRequest<TServed>.Parse(new ReadOnlySequence<byte>(scratch.Buffer.WrittenMemory), Resource, options.FieldValidation, skipSpec: subresource == "status");
                }

                warnings = body.Warnings;
                return toStored(body.Object);
            }, subresource, uidIsPrecondition: false, options.DryRun, cancellationToken, Resource.GroupVersion);
            WriteRequest.AddWarnings(request.HttpContext.Response, warnings);
            return Answer(value, subresource);
        }
        catch (StatusException refusal)
        {
            return Refused(refusal);
        }
    }

    /// <summary>A POST to a subresource (a pod's binding): it acts on the object, and answers a Success Status.</summary>
    public async Task<IResult> CreateOnAsync(ObjectKey key, string subresource, HttpRequest request, CancellationToken cancellationToken)
    {
        try
        {
            var options = WriteOptions.Parse(request.Query, "CreateOptions");
            var body = await RequestBody.ReadBytesAsync(request, cancellationToken);
            await registry.Strategy.CreateOnAsync(registry, key, subresource, body, options.DryRun, cancellationToken);
            return SuccessResult.Created;
        }
        catch (StatusException refusal)
        {
            return Refused(refusal);
        }
    }

    /// <summary>
    /// DELETE: the object as it stands once marked (a graceful deletion, finalizers), or once gone: itself where the
    /// resource returns deleted objects (pods, namespaces), else upstream's Success Status naming it.
    /// </summary>
    public async Task<IResult> DeleteAsync(ObjectKey key, HttpRequest request, CancellationToken cancellationToken)
    {
        try
        {
            var options = await DeleteOptionsReader.ReadAsync(request, cancellationToken);
            var (value, removed) = await registry.DeleteAsync(key, options, cancellationToken);
            return removed && !registry.Strategy.ReturnsDeletedObject
                ? new SuccessResult(Resource.GroupResource, key.Name, value.Object.Uid)
                : Answer(value, "");
        }
        catch (StatusException refusal)
        {
            return Refused(refusal);
        }
    }

    /// <summary>DELETE on a collection: the list's options select, the delete options apply to each; answers the list deleted.</summary>
    public async Task<IResult> DeleteCollectionAsync(string? @namespace, HttpRequest request, CancellationToken cancellationToken)
    {
        try
        {
            var options = Options(ListQuery.Read(request.Query));
            var deleteOptions = await DeleteOptionsReader.ReadAsync(request, cancellationToken);
            var page = await registry.DeleteCollectionAsync(@namespace, options, deleteOptions, cancellationToken);
            return new ListResult(page.Items, version, new ListMetadata(page.ResourceVersion, Resource.CollectionPath(@namespace), page.Continue, null));
        }
        catch (StatusException refusal)
        {
            return Refused(refusal);
        }
    }

    /// <summary>
    /// A refusal (a <see cref="StatusException"/>: 404, 409, 422...) as its Status, answered by the handler rather than
    /// by the exception handler middleware: every async frame an exception leaves rethrows it, and the middleware's
    /// frames and handling made a 409 cost twice the CPU of the write it refused.
    /// </summary>
    private static StatusResult Refused(StatusException refusal) => new(refusal.Status);

    /// <summary>The object as this version serves it; its selfLink is the request's own path (the object's, or its
    /// <paramref name="subresource"/>'s), built from validated names, so never escaped.</summary>
    private ObjectResult Answer(StoredObject value, string subresource, int statusCode = StatusCodes.Status200OK) =>
        new(version.Read(value), version, subresource, statusCode);
}

/// <summary>The requests on one resource in one served version, without their types: what the route table maps.</summary>
public interface IResourceHandlers
{
    ApiResource Resource { get; }

    /// <summary>The model type of the objects in requests and answers, for the OpenAPI document.</summary>
    Type ServedType { get; }

    /// <summary>The model type of its lists, for the OpenAPI document.</summary>
    Type ServedListType { get; }

    /// <summary>The media types an object body may come in (routing answers others with 415).</summary>
    IReadOnlyList<string> BodyMediaTypes { get; }

    Task<IResult> ListAsync(string? @namespace, string? name, bool watchPath, HttpRequest request, CancellationToken cancellationToken);

    Task<IResult> CreateAsync(string @namespace, HttpRequest request, CancellationToken cancellationToken);

    Task<IResult> ReadAsync(ObjectKey key, string subresource, HttpRequest request, CancellationToken cancellationToken);

    Task<IResult> ReplaceAsync(ObjectKey key, string subresource, HttpRequest request, CancellationToken cancellationToken);

    Task<IResult> PatchAsync(ObjectKey key, string subresource, HttpRequest request, CancellationToken cancellationToken);

    Task<IResult> CreateOnAsync(ObjectKey key, string subresource, HttpRequest request, CancellationToken cancellationToken);

    Task<IResult> DeleteAsync(ObjectKey key, HttpRequest request, CancellationToken cancellationToken);

    Task<IResult> DeleteCollectionAsync(string? @namespace, HttpRequest request, CancellationToken cancellationToken);
}
