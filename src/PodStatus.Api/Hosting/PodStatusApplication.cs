using PodStatus.Api.Audit;
using PodStatus.Api.Discovery;
using PodStatus.Api.Endpoints;
using PodStatus.Api.Errors;
using PodStatus.Api.Health;
using PodStatus.Api.Http;
using PodStatus.Api.Metrics;
using PodStatus.Api.Patching;
using PodStatus.Api.Security;
using PodStatus.Api.Ui;
using PodStatus.Api.Validation;
using PodStatus.Api.Watch;

namespace PodStatus.Api.Hosting;

/// <summary>Service wiring and the request pipeline, so Program.cs reads as a table of contents.</summary>
public static class PodStatusApplication
{
    public static WebApplicationBuilder AddPodStatus(this WebApplicationBuilder builder, string[] args)
    {
        builder.Configuration.AddCommandLine(args, new Dictionary<string, string>
        {
            ["--seed"] = $"{SeedOptions.Section}:{nameof(SeedOptions.Path)}",
        });
        KestrelCertificates.ResolvePaths(builder.Configuration);

        var services = builder.Services;
        services.AddOptions<SeedOptions>().BindConfiguration(SeedOptions.Section);
        services.AddOptions<ValidationOptions>().BindConfiguration(ValidationOptions.Section).ValidateOnStart();
        services.AddSingleton(TimeProvider.System);
        services.AddOptions<WatchOptions>().BindConfiguration(WatchOptions.Section)
            .Validate(o => o.HistorySize > 0, "Watch:HistorySize must be a positive number of changes").ValidateOnStart();
        services.AddStorage();
        services.AddResources();
        services.AddSimulation();
        services.AddSingleton<Seeder>();
        services.AddPodStatusHealthChecks();
        services.AddSingleton<ApiMetrics>();
        services.AddPodStatusSecurity(builder.Configuration);
        services.AddAuditLog();
        services.AddRequestLimits();
        services.AddExceptionHandler<StatusExceptionHandler>();
        services.AddPodStatusSwagger();
        return builder;
    }

    public static WebApplication UsePodStatus(this WebApplication app)
    {
        // First, so every answer is counted with its final code, refusals included.
        app.UseRequestMetrics();
        app.UsePrettyPrinting();
        // The IExceptionHandler writes every failure; the empty fallback pipeline is never reached.
        app.UseExceptionHandler(_ => { });
        app.UseStatusForEmptyErrors();
        // The API's documents, the Swagger UI and the live page are public: they describe the API and hold no pods.
        app.UsePodStatusSwagger();
        app.UsePodStatusUi();
        // As kube-apiserver's filters: who is asking, the audit log, the in-flight limits, then whether they may.
        // With authentication off neither its middleware nor authorization's is there (see AddPodStatusSecurity).
        var secured = app.Services.IsSecured();
        if (secured)
        {
            app.UseAuthentication();
        }

        app.UseAuditLog();
        app.UseRequestLimits();
        if (secured)
        {
            app.UseAuthorization();
        }
        app.MapHealth();
        app.MapApiMetrics();
        app.MapDiscovery();
        ServedResources.MapAll(app, app.Services.GetRequiredService<ServedResources>());
        app.MapReviews();
        return app;
    }

    /// <summary>The simulation's stages, read before anything starts so a bad one is the only thing said.</summary>
    public static void LoadStages(this WebApplication app) =>
        app.Services.GetRequiredService<Simulation.Simulator>().Load();

    public static Task SeedAsync(this WebApplication app) =>
        app.Services.GetRequiredService<Seeder>().SeedAsync();

    /// <summary>
    /// Routing answers unknown paths and verbs (404, 405), content types a route does not accept (415) and
    /// unparsable query parameters (400) with empty responses; clients expect a Status. As ASP.NET's status code
    /// pages would, without their feature and items dictionary made for every request.
    /// </summary>
    private static IApplicationBuilder UseStatusForEmptyErrors(this IApplicationBuilder app) => app.Use(static async (context, next) =>
    {
        await next(context);
        var response = context.Response;
        if (!response.HasStarted && response.ContentLength is null && string.IsNullOrEmpty(response.ContentType))
        {
            await WriteStatusForEmptyError(context);
        }
    });

    private static Task WriteStatusForEmptyError(HttpContext context) => context.Response.StatusCode switch
    {
        404 => StatusResult.WriteAsync(context.Response, StatusErrors.RouteNotFound()),
        405 => StatusResult.WriteAsync(context.Response, StatusErrors.MethodNotAllowed()),
        415 => StatusResult.WriteAsync(context.Response, StatusErrors.UnsupportedMediaType(
            HttpMethods.IsPatch(context.Request.Method) ? Patches.AcceptedMediaTypes : RequestBody.AcceptedMediaTypes)),
        400 => StatusResult.WriteAsync(context.Response, StatusErrors.BadRequest("the request could not be decoded: check its query parameters")),
        _ => Task.CompletedTask,
    };
}
