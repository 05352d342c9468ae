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
public sealed class PodListResult(IEnumerable<StoredPod> items, ListMetadata metadata) : IResult
{
    /// <summary>
    /// Items are gathered in a buffer of about this size and handed to the response whole: a pod is a dozen small
    /// writes, which cost far more one by one on the response's pipe (a chunk each, in Kestrel) than one copy of
    /// the block.
    /// </summary>
    private const int BlockSize = 64 * 1024;

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.ContentType = "application/json";
        var output = response.BodyWriter;
        var block = new ArrayBufferWriter<byte>(BlockSize + 4096);
        block.Write("{\"kind\":\"PodList\",\"apiVersion\":\"v1\",\"metadata\":"u8);
        using (var writer = new Utf8JsonWriter(block, KubeJson.WriterOptions))
        {
            metadata.Write(writer);
        }

        block.Write(",\"items\":["u8);
        var first = true;
        foreach (var pod in items)
        {
            if (!first)
            {
                block.Write(","u8);
            }

            first = false;
            PodWriter.WriteListItem(block, pod);
            if (block.WrittenCount > BlockSize)
            {
                // One write of the whole block: Kestrel sends it as one chunk.
                await output.WriteAsync(block.WrittenMemory, httpContext.RequestAborted);
                block.ResetWrittenCount();
            }
        }

        block.Write("]}"u8);
        await output.WriteAsync(block.WrittenMemory, httpContext.RequestAborted);
    }
}
