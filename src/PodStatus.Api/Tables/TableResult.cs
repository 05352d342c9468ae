using System.Buffers;
using System.Text.Json;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;
using PodStatus.Api.Errors;
using PodStatus.Api.Http;
using PodStatus.Api.Serialization;
using PodStatus.Api.Storage;

namespace PodStatus.Api.Tables;

/// <summary>
/// Objects as a <c>meta.k8s.io/v1</c> Table, the server-side printing kubectl asks for with
/// <c>Accept: application/json;as=Table;v=v1;g=meta.k8s.io</c>: the resource's columns, and in each row the object's
/// metadata (as PartialObjectMetadata), the whole object, or nothing, as <c>includeObject</c> says.
/// </summary>
public sealed class TableResult(
    IAsyncEnumerable<StoredObject> items, ServedVersion version, ITablePrinter printer, ListMetadata metadata, string includeObject, DateTime now) : IResult
{
    /// <summary>A one-row Table for a single object, at its revision.</summary>
    public static TableResult ForOne(StoredObject value, ServedVersion version, ITablePrinter printer, string includeObject, TimeProvider clock) =>
        new(new[] { value }.ToAsyncEnumerable(), version, printer, new ListMetadata(value.ResourceVersion), includeObject, clock.GetUtcNow().UtcDateTime);

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
        NamesTable(request.Headers.Accept) &&
        MediaTypeHeaderValue.TryParseList(request.Headers.Accept, out var accepted) &&
        accepted.Any(type =>
            type.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase) &&
            Parameter(type, "as") == "Table" && Parameter(type, "g") == "meta.k8s.io" && Parameter(type, "v") == "v1");

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.ContentType = "application/json";
        await using var writer = new Utf8JsonWriter(response.BodyWriter, KubeJson.WriterOptions);
        WriteStart(writer, printer, metadata, withColumns: true);
        var scratch = new ArrayBufferWriter<byte>();
        await foreach (var stored in items.WithCancellation(httpContext.RequestAborted))
        {
            WriteRow(writer, scratch, stored, version, printer, includeObject, now);
            if (writer.BytesPending > 64 * 1024)
            {
                await writer.FlushAsync(httpContext.RequestAborted);
            }
        }

        WriteEnd(writer);
        await writer.FlushAsync(httpContext.RequestAborted);
    }

    /// <summary>A one-row Table, as each watch event carries; only a watch's first one has column definitions.</summary>
    public static byte[] Single(StoredObject value, ServedVersion version, ITablePrinter printer, string includeObject, DateTime now, bool withColumns)
    {
        var buffer = new ArrayBufferWriter<byte>(value.Object.Length + 1024);
        using (var writer = new Utf8JsonWriter(buffer, KubeJson.WriterOptions))
        {
            WriteStart(writer, printer, new ListMetadata(value.ResourceVersion), withColumns);
            WriteRow(writer, new ArrayBufferWriter<byte>(), value, version, printer, includeObject, now);
            WriteEnd(writer);
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteStart(Utf8JsonWriter writer, ITablePrinter printer, ListMetadata metadata, bool withColumns)
    {
        writer.WriteStartObject();
        writer.WriteString("kind", "Table");
        writer.WriteString("apiVersion", "meta.k8s.io/v1");
        writer.WritePropertyName("metadata");
        metadata.Write(writer);
        if (withColumns)
        {
            writer.WriteStartArray("columnDefinitions");
            foreach (var column in printer.Columns)
            {
                writer.WriteStartObject();
                writer.WriteString("name", column.Name);
                writer.WriteString("type", column.Type);
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

    // scratch: where a row's object or metadata is put together, reused from row to row.
    private static void WriteRow(
        Utf8JsonWriter writer, ArrayBufferWriter<byte> scratch, StoredObject stored, ServedVersion version, ITablePrinter printer, string includeObject, DateTime now)
    {
        writer.WriteStartObject();
        writer.WriteStartArray("cells");
        foreach (var cell in printer.Cells(stored, now))
        {
            switch (cell)
            {
                case long number:
                    writer.WriteNumberValue(number);
                    break;
                case int number:
                    writer.WriteNumberValue(number);
                    break;
                default:
                    writer.WriteStringValue(cell?.ToString() ?? "");
                    break;
            }
        }

        writer.WriteEndArray();
        switch (includeObject)
        {
            case "None":
                break;
            case "Object":
                scratch.ResetWrittenCount();
                ObjectWriter.WriteWithOwnLink(scratch, version.Read(stored), version, asListItem: false);
                writer.WritePropertyName("object");
                writer.WriteRawValue(scratch.WrittenSpan, skipInputValidation: true);
                break;
            default:
                // The stored metadata as it is served, not decoded and encoded again.
                writer.WriteStartObject("object");
                writer.WriteString("kind", "PartialObjectMetadata");
                writer.WriteString("apiVersion", "meta.k8s.io/v1");
                scratch.ResetWrittenCount();
                ObjectWriter.WriteMetadata(scratch, stored);
                writer.WritePropertyName("metadata");
                writer.WriteRawValue(scratch.WrittenSpan, skipInputValidation: true);
                writer.WriteEndObject();
                break;
        }

        writer.WriteEndObject();
    }

    /// <summary>Whether the Accept header names a Table at all (only then is it parsed): a client's plain
    /// <c>application/json</c> does not.</summary>
    private static bool NamesTable(StringValues accept)
    {
        foreach (var value in accept)
        {
            if (value?.Contains("Table", StringComparison.Ordinal) == true)
            {
                return true;
            }
        }

        return false;
    }

    private static string? Parameter(MediaTypeHeaderValue type, string name) =>
        type.Parameters.FirstOrDefault(p => p.Name.Equals(name, StringComparison.OrdinalIgnoreCase))?.Value.Value;
}
