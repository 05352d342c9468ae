using System.Buffers;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using PodStatus.Api.Serialization;

namespace PodStatus.Api.Http;

/// <summary>
/// Indents JSON answers for people, as kube-apiserver does (<c>isPrettyPrint</c>): when <c>pretty=true</c> is asked
/// for, or, without the parameter, for curl, Wget and browsers. Watches stream and are never indented. Other
/// clients get the compact bytes untouched; only a pretty answer pays for the second pass.
/// </summary>
public static class PrettyPrinting
{
    private static readonly JsonWriterOptions Indented = new() { Encoder = KubeJson.Encoder, Indented = true };

    public static bool IsRequested(HttpRequest request)
    {
        if (!IsApiPath(request.Path) || QueryConversion.Bool(request.Query["watch"]))
        {
            return false;
        }

        // Upstream's isPrettyPrint: the first value, by Go's strconv.ParseBool, anything else false.
        if (QueryConversion.String(request.Query["pretty"]) is { Length: > 0 } pretty)
        {
            return GoStrconv.ParseBool(pretty) ?? false;
        }

        var agent = request.Headers.UserAgent.ToString();
        return agent.StartsWith("curl", StringComparison.Ordinal) || agent.StartsWith("Wget", StringComparison.Ordinal) ||
            agent.StartsWith("Mozilla/5.0", StringComparison.Ordinal);
    }

    /// <summary>Buffers the answers to pretty requests and indents them; placed first, so errors are indented too.</summary>
    public static IApplicationBuilder UsePrettyPrinting(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (!IsRequested(context.Request))
        {
            await next(context);
            return;
        }

        var original = context.Features.Get<IHttpResponseBodyFeature>()!;
        using var buffer = new MemoryStream();
        var buffered = new StreamResponseBodyFeature(buffer);
        context.Features.Set<IHttpResponseBodyFeature>(buffered);
        try
        {
            await next(context);
            await buffered.CompleteAsync();
        }
        finally
        {
            context.Features.Set(original);
        }

        ReadOnlyMemory<byte> body = buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
        if (context.Response.ContentType?.StartsWith("application/json", StringComparison.Ordinal) == true && body.Length > 0)
        {
            body = Indent(body);
        }

        context.Response.ContentLength = body.Length;
        await original.Writer.WriteAsync(body, context.RequestAborted);
    });

    private static bool IsApiPath(PathString path) =>
        path.StartsWithSegments("/api") || path.StartsWithSegments("/apis") || path.StartsWithSegments("/version");

    /// <summary>Two-space indentation and a closing newline, as Go's <c>json.Indent</c> gives it.</summary>
    private static ReadOnlyMemory<byte> Indent(ReadOnlyMemory<byte> json)
    {
        using var document = JsonDocument.Parse(json);
        var output = new ArrayBufferWriter<byte>(json.Length * 2);
        using (var writer = new Utf8JsonWriter(output, Indented))
        {
            document.WriteTo(writer);
        }

        output.Write("\n"u8);
        return output.WrittenMemory;
    }
}
