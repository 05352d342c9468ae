using Microsoft.Extensions.FileProviders;
using Microsoft.Net.Http.Headers;

namespace PodStatus.Api.Ui;

/// <summary>
/// The live page at <c>/ui</c>: static files inside the assembly (nothing fetched from elsewhere, nothing to build),
/// public like the Swagger UI because they hold no objects: every object the page shows comes from an ordinary API
/// call under the user's own credentials. A browser that opens <c>/</c> is sent there.
/// </summary>
internal static class UiSetup
{
    public const string Path = "/ui";

    public static WebApplication UsePodStatusUi(this WebApplication app)
    {
        var files = new EmbeddedFileProvider(typeof(UiSetup).Assembly, "PodStatus.Api.Ui.wwwroot");
        app.UseWhen(context => context.Request.Path.StartsWithSegments(Path) || IsBrowserAtRoot(context.Request), ui =>
        {
            ui.Use((context, next) =>
            {
                if (context.Request.Path == "/" || context.Request.Path == Path)
                {
                    context.Response.Redirect(Path + "/");
                    return Task.CompletedTask;
                }

                return next(context);
            });
            ui.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files, RequestPath = Path });
            ui.UseStaticFiles(new StaticFileOptions
            {
                FileProvider = files,
                RequestPath = Path,
                // Revalidated every time (the ETag makes that a 304), so a new version is never hidden by a cache.
                OnPrepareResponse = file => file.Context.Response.Headers.CacheControl = "no-cache",
            });
        });
        return app;
    }

    /// <summary>A browser asking for <c>/</c> (HTML first in its Accept); clients asking for JSON get the API's paths.</summary>
    private static bool IsBrowserAtRoot(HttpRequest request) =>
        request.Path == "/" && HttpMethods.IsGet(request.Method)
        && MediaTypeHeaderValue.TryParseList(request.Headers.Accept, out var accepted)
        && accepted.FirstOrDefault()?.MediaType.Equals("text/html", StringComparison.OrdinalIgnoreCase) == true;
}
