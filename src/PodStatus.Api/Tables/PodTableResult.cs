using System.Text.Json;
using Microsoft.Net.Http.Headers;
using PodStatus.Api.Errors;
using PodStatus.Api.Serialization;
using PodStatus.Api.Storage;

namespace PodStatus.Api.Tables;

/// <summary>
/// Pods as a <c>meta.k8s.io/v1</c> Table, the server-side printing kubectl asks for with
/// <c>Accept: application/json;as=Table;v=v1;g=meta.k8s.io</c>. Each row carries the pod's metadata (as
/// PartialObjectMetadata), the whole pod, or nothing, as <c>includeObject</c> says.
/// </summary>
public sealed class PodTableResult(IAsyncEnumerable<StoredPod> pods, ListMetadata metadata, string includeObject, DateTime now) : IResult
{
    /// <summary>A one-row Table for a single pod, at the pod's revision.</summary>
    public static PodTableResult ForOne(StoredPod pod, string includeObject, TimeProvider clock) =>
        new(new[] { pod }.ToAsyncEnumerable(), new ListMetadata(pod.ResourceVersion), includeObject, clock.GetUtcNow().UtcDateTime);

    /// <summary>
    /// For a request whose Accept header asks for a Table, what each row carries (<c>includeObject</c>, Metadata when
    /// unset; another value is upstream's 400, from <c>asTable</c>); null for any other request, which upstream does
    /// not read <c>includeObject</c> for.
    /// </summary>
    public static string? RequestedRows(HttpRequest request)
    {
        if (!IsRequested(request))
        {
            return null;
        }

        var value = QueryConversion.String(request.Query["includeObject"]);
        return value switch
        {
            null or "" => "Metadata",
            "Metadata" or "Object" or "None" => value,
            _ => throw StatusErrors.BadRequest($"unrecognized includeObject value: {GoStrconv.Quote(value)}").AsException(),
        };
    }

    private static bool IsRequested(HttpRequest request) =>
        MediaTypeHeaderValue.TryParseList(request.Headers.Accept, out var accepted) &&
        accepted.Any(type =>
            type.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase) &&
            Parameter(type, "as") == "Table" && Parameter(type, "g") == "meta.k8s.io" && Parameter(type, "v") == "v1");

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.ContentType = "application/json";
        await using var writer = new Utf8JsonWriter(response.BodyWriter, KubeJson.WriterOptions);
        WriteStart(writer, metadata, withColumns: true);
        await foreach (var stored in pods.WithCancellation(httpContext.RequestAborted))
        {
            WriteRow(writer, stored, includeObject, now);
            if (writer.BytesPending > 64 * 1024)
            {
                await writer.FlushAsync(httpContext.RequestAborted);
            }
        }

        WriteEnd(writer);
        await writer.FlushAsync(httpContext.RequestAborted);
    }

    /// <summary>A one-row Table, as each watch event carries; only a watch's first one has column definitions.</summary>
    public static byte[] Single(StoredPod pod, string includeObject, DateTime now, bool withColumns)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(pod.Pod.Length + 1024);
        using (var writer = new Utf8JsonWriter(buffer, KubeJson.WriterOptions))
        {
            WriteStart(writer, new ListMetadata(pod.ResourceVersion), withColumns);
            WriteRow(writer, pod, includeObject, now);
            WriteEnd(writer);
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteStart(Utf8JsonWriter writer, ListMetadata metadata, bool withColumns)
    {
        writer.WriteStartObject();
        writer.WriteString("kind", "Table");
        writer.WriteString("apiVersion", "meta.k8s.io/v1");
        writer.WritePropertyName("metadata");
        metadata.Write(writer);
        if (withColumns)
        {
            writer.WriteStartArray("columnDefinitions");
            foreach (var column in PodPrinter.Columns)
            {
                writer.WriteStartObject();
                writer.WriteString("name", column.Name);
                writer.WriteString("type", "string");
                writer.WriteString("format", column.Format);
                writer.WriteString("description", column.Description);
                writer.WriteNumber("priority", column.Priority);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        writer.WriteStartArray("rows");
    }

    private static void WriteEnd(Utf8JsonWriter writer)
    {
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void WriteRow(Utf8JsonWriter writer, StoredPod stored, string includeObject, DateTime now)
    {
        var pod = stored.Pod.Decode();
        pod.Metadata.ResourceVersion = stored.ResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture);
        writer.WriteStartObject();
        writer.WriteStartArray("cells");
        foreach (var cell in PodPrinter.Cells(pod, now))
        {
            writer.WriteStringValue(cell);
        }

        writer.WriteEndArray();
        switch (includeObject)
        {
            case "None":
                break;
            case "Object":
                writer.WritePropertyName("object");
                writer.Flush();
                var buffer = new System.Buffers.ArrayBufferWriter<byte>(stored.Pod.Length + 128);
                PodWriter.WriteWithOwnLink(buffer, stored, asListItem: false);
                writer.WriteRawValue(buffer.WrittenSpan, skipInputValidation: true);
                break;
            default:
                writer.WriteStartObject("object");
                writer.WriteString("kind", "PartialObjectMetadata");
                writer.WriteString("apiVersion", "meta.k8s.io/v1");
                writer.WritePropertyName("metadata");
                JsonSerializer.Serialize(writer, pod.Metadata, KubeJson.Metadata);
                writer.WriteEndObject();
                break;
        }

        writer.WriteEndObject();
    }

    private static string? Parameter(MediaTypeHeaderValue type, string name) =>
        type.Parameters.FirstOrDefault(p => p.Name.Equals(name, StringComparison.OrdinalIgnoreCase))?.Value.Value;
}
