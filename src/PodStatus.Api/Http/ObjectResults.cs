using System.Buffers;
using System.Text;
using System.Text.Json;
using PodStatus.Api.Serialization;
using PodStatus.Api.Storage;

namespace PodStatus.Api.Http;

/// <summary>
/// Sends one stored object as <paramref name="version"/> serves it, with its own path (and the subresource answered)
/// as selfLink, its length known up front, so it goes out in one unchunked response.
/// </summary>
public sealed class ObjectResult(StoredObject value, ServedVersion version, string subresource, int statusCode = StatusCodes.Status200OK) : IResult
{
    public Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = statusCode;
        response.ContentType = "application/json";
        response.ContentLength = ObjectWriter.Measure(value, version, subresource);
        ObjectWriter.WriteWithOwnLink(response.BodyWriter, value, version, asListItem: false, subresource);
        return response.BodyWriter.FlushAsync(httpContext.RequestAborted).AsTask();
    }
}

/// <summary>A list (<c>PodList</c>, ...): items in key order, without kind and apiVersion, at the list's resourceVersion.</summary>
public sealed class ListResult(IAsyncEnumerable<StoredObject> items, ServedVersion version, ListMetadata metadata) : IResult
{
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.ContentType = "application/json";
        var output = new BlockWriter(response.BodyWriter);
        var resource = version.Resource;
        output.Write(Encoding.UTF8.GetBytes($"{{\"kind\":\"{resource.ListKind}\",\"apiVersion\":\"{resource.GroupVersion}\",\"metadata\":"));
        using (var writer = new Utf8JsonWriter(output, KubeJson.WriterOptions))
        {
            metadata.Write(writer);
        }

        output.Write(",\"items\":["u8);
        var first = true;
        await foreach (var item in items.WithCancellation(httpContext.RequestAborted))
        {
            if (!first)
            {
                output.Write(","u8);
            }

            first = false;
            ObjectWriter.WriteWithOwnLink(output, version.Read(item), version, asListItem: true);
            await output.SendIfFullAsync(httpContext.RequestAborted);
        }

        output.Write("]}"u8);
        await output.SendAsync(httpContext.RequestAborted);
    }
}

/// <summary>
/// Upstream's Success Status: for a delete of a resource that does not return the deleted object, its details (name,
/// group, kind, uid) and no code; for a create that returns a Status (a pod's binding), no details and the code set
/// as upstream's create handler sets it.
/// </summary>
public sealed class SuccessResult(Schema.GroupResource? resource, string name = "", string uid = "", int? code = null) : IResult
{
    /// <summary>What a POST that acted on an object answers (201).</summary>
    public static readonly SuccessResult Created = new(null, code: StatusCodes.Status201Created);

    public Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.ContentType = "application/json";
        response.StatusCode = code ?? StatusCodes.Status200OK;
        var output = new System.Buffers.ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(output, KubeJson.WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("kind", "Status");
            writer.WriteString("apiVersion", "v1");
            writer.WriteStartObject("metadata");
            writer.WriteEndObject();
            writer.WriteString("status", "Success");
            if (resource is { } deleted)
            {
                writer.WriteStartObject("details");
                writer.WriteString("name", name);
                if (deleted.Group.Length > 0)
                {
                    writer.WriteString("group", deleted.Group);
                }

                writer.WriteString("kind", deleted.Resource);
                writer.WriteString("uid", uid);
                writer.WriteEndObject();
            }

            if (code is { } written)
            {
                writer.WriteNumber("code", written);
            }

            writer.WriteEndObject();
        }

        response.ContentLength = output.WrittenCount;
        return response.Body.WriteAsync(output.WrittenMemory, httpContext.RequestAborted).AsTask();
    }
}
