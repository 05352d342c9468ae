using System.Buffers;
using System.Text.Json;
using PodStatus.Api.Serialization;
using PodStatus.Api.Storage;

namespace PodStatus.Api.Endpoints;

/// <summary>Sends one stored pod with its length known up front, so it goes out in one unchunked response.</summary>
public sealed class PodResult(StoredPod pod, string selfLink, int statusCode = StatusCodes.Status200OK) : IResult
{
    public Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = statusCode;
        response.ContentType = "application/json";
        response.ContentLength = PodWriter.Measure(pod, selfLink);
        PodWriter.Write(response.BodyWriter, pod, selfLink);
        return response.BodyWriter.FlushAsync(httpContext.RequestAborted).AsTask();
    }
}

/// <summary>A PodList: items in key order, without kind and apiVersion, at the list's resourceVersion.</summary>
public sealed class PodListResult(IAsyncEnumerable<StoredPod> items, ListMetadata metadata) : IResult
{
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.ContentType = "application/json";
        var output = new BlockWriter(response.BodyWriter);
        output.Write("{\"kind\":\"PodList\",\"apiVersion\":\"v1\",\"metadata\":"u8);
        using (var writer = new Utf8JsonWriter(output, KubeJson.WriterOptions))
        {
            metadata.Write(writer);
        }

        output.Write(",\"items\":["u8);
        var first = true;
        await foreach (var pod in items.WithCancellation(httpContext.RequestAborted))
        {
            if (!first)
            {
                output.Write(","u8);
            }

            first = false;
            PodWriter.WriteWithOwnLink(output, pod, asListItem: true);
            await output.SendIfFullAsync(httpContext.RequestAborted);
        }

        output.Write("]}"u8);
        await output.SendAsync(httpContext.RequestAborted);
    }
}
