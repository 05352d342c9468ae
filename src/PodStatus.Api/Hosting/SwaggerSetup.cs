using System.Text.Json.Nodes;
using Microsoft.OpenApi;
using PodStatus.Api.Discovery;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace PodStatus.Api.Hosting;

/// <summary>The Swagger UI at <c>/swagger</c>, with upstream's operation ids and the founding document's example.</summary>
internal static class SwaggerSetup
{
    public static IServiceCollection AddPodStatusSwagger(this IServiceCollection services)
    {
        services.AddEndpointsApiExplorer();
        services.AddSwaggerGen(options =>
        {
            options.SwaggerDoc("v1", new OpenApiInfo
            {
                Title = "PodStatus",
                Version = "v1",
                Description = "The Kubernetes pods API and its status subresource, with kube-apiserver's semantics.",
            });
            options.CustomOperationIds(api => api.ActionDescriptor.EndpointMetadata.OfType<IEndpointNameMetadata>().FirstOrDefault()?.EndpointName);
            KubernetesOpenApi.Configure(options);
            options.OperationFilter<FoundingDocumentExample>();
        });
        return services;
    }

    public static WebApplication UsePodStatusSwagger(this WebApplication app)
    {
        app.UseSwagger();
        // The same document where kubectl looks for it: /openapi/v3 lists it as api/v1.
        app.UseSwagger(options => options.RouteTemplate = "openapi/v3/api/{documentName}");
        app.MapGet("/openapi/v3", () => Results.Json(OpenApiRoot, contentType: "application/json"))
            .WithName("getOpenAPIV3Root")
            .WithSummary("list the OpenAPI v3 documents")
            .WithTags("openapi");
        app.UseSwaggerUI(options => options.DocumentTitle = "PodStatus");
        return app;
    }

    private static readonly JsonObject OpenApiRoot = new()
    {
        ["paths"] = new JsonObject { ["api/v1"] = new JsonObject { ["serverRelativeURL"] = "/openapi/v3/api/v1" } },
    };

    /// <summary>Shows the founding document's request and response on replaceCoreV1NamespacedPodStatus.</summary>
    private sealed class FoundingDocumentExample : IOperationFilter
    {
        private static readonly Lazy<JsonNode> Request = new(() => Sample("hello-world-status.json"));
        private static readonly Lazy<JsonNode> Response = new(() => Sample("hello-world-status-response.json"));

        public void Apply(OpenApiOperation operation, OperationFilterContext context)
        {
            if (operation.OperationId != "replaceCoreV1NamespacedPodStatus")
            {
                return;
            }

            if (operation.RequestBody?.Content?.TryGetValue("application/json", out var body) == true)
            {
                body.Example = Request.Value.DeepClone();
            }

            if (operation.Responses?.TryGetValue("200", out var ok) == true && ok.Content?.TryGetValue("application/json", out var content) == true)
            {
                content.Example = Response.Value.DeepClone();
            }

            foreach (var parameter in operation.Parameters ?? [])
            {
                if (parameter is OpenApiParameter { Name: "namespace" } ns)
                {
                    ns.Example = "default";
                }
                else if (parameter is OpenApiParameter { Name: "name" } name)
                {
                    name.Example = "hello-world";
                }
            }
        }

        private static JsonNode Sample(string file)
        {
            using var stream = typeof(SwaggerSetup).Assembly.GetManifestResourceStream("PodStatus.Api.Samples." + file)!;
            return JsonNode.Parse(stream)!;
        }
    }
}
