using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using PodStatus.Api.Discovery;
using PodStatus.Api.Errors;
using PodStatus.Api.Patching;
using PodStatus.Api.Security;
using PodStatus.Api.Serialization;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace PodStatus.Api.Hosting;

/// <summary>The Swagger UI at <c>/swagger</c>, with upstream's operation ids, the founding document's example and real error examples.</summary>
internal static class SwaggerSetup
{
    /// <summary>kube-apiserver's name for its bearer token scheme.</summary>
    private const string BearerToken = "BearerToken";

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
            options.OperationFilter<StatusExamples>();
        });
        services.AddOptions<SwaggerGenOptions>().Configure<IOptions<AuthenticationSettings>>((options, authentication) =>
        {
            if (!string.IsNullOrEmpty(authentication.Value.TokenFile))
            {
                // The UI's Authorize button: a token from the token file goes with every "Try it out".
                options.AddSecurityDefinition(BearerToken, new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http,
                    Scheme = "bearer",
                    Description = "A token from the server's token file (Authentication:TokenFile).",
                });
                options.AddSecurityRequirement(document => new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerToken, document)] = [] });
            }

            if (authentication.Value.Enabled)
            {
                options.OperationFilter<RefusalResponses>();
            }
        });
        return services;
    }

    public static WebApplication UsePodStatusSwagger(this WebApplication app)
    {
        // Only the documents' own paths go through Swashbuckle's middleware, so API requests pay nothing for it.
        app.UseWhen(context => context.Request.Path.StartsWithSegments("/swagger") || context.Request.Path.StartsWithSegments("/openapi"), docs =>
        {
            docs.UseSwagger();
            // The same document where kubectl looks for it: /openapi/v3 lists it as api/v1.
            docs.UseSwagger(options => options.RouteTemplate = "openapi/v3/api/{documentName}");
            docs.UseSwaggerUI(options => options.DocumentTitle = "PodStatus");
        });
        app.MapGet("/openapi/v3", () => Results.Json(OpenApiRoot, contentType: "application/json"))
            .WithName("getOpenAPIV3Root")
            .WithSummary("list the OpenAPI v3 documents")
            .WithTags("openapi")
            .AllowAnonymous();
        return app;
    }

    private static readonly JsonObject OpenApiRoot = new()
    {
        ["paths"] = new JsonObject { ["api/v1"] = new JsonObject { ["serverRelativeURL"] = "/openapi/v3/api/v1" } },
    };

    /// <summary>With authentication on, every operation may be refused: 401 without valid credentials, 403 without permission.</summary>
    private sealed class RefusalResponses : IOperationFilter
    {
        private static readonly (string Code, string Description, Status Example)[] Refusals =
        [
            ("401", "Unauthorized", StatusErrors.Unauthorized()),
            ("403", "Forbidden", StatusErrors.Forbidden("pods", "", "hello-world",
                "User \"system:serviceaccount:default:node-agent\" cannot update resource \"pods\" in API group \"\" in the namespace \"default\"")),
        ];

        public void Apply(OpenApiOperation operation, OperationFilterContext context)
        {
            if (context.ApiDescription.ActionDescriptor.EndpointMetadata.OfType<Microsoft.AspNetCore.Authorization.IAllowAnonymous>().Any())
            {
                return;
            }

            operation.Responses ??= [];
            foreach (var (code, description, example) in Refusals)
            {
                operation.Responses.TryAdd(code, new OpenApiResponse
                {
                    Description = description,
                    Content = new Dictionary<string, OpenApiMediaType>
                    {
                        ["application/json"] = new()
                        {
                            Schema = context.SchemaGenerator.GenerateSchema(typeof(Status), context.SchemaRepository),
                            Example = JsonSerializer.SerializeToNode(example, KubeJson.Status),
                        },
                    },
                });
            }
        }
    }

    /// <summary>Shows a real Status for each error code a pod operation documents, in place of placeholder strings.</summary>
    private sealed class StatusExamples : IOperationFilter
    {
        private static readonly Dictionary<string, Status> Examples = new()
        {
            ["400"] = StatusErrors.BadRequest("the name of the object (other) does not match the name on the URL (hello-world)"),
            ["404"] = StatusErrors.NotFound("hello-world"),
            ["409"] = StatusErrors.ObjectModified("hello-world"),
            ["413"] = StatusErrors.RequestEntityTooLarge(RequestBody.MaxBytes),
            ["422"] = StatusErrors.Invalid("Pod", "hello-world",
                [new StatusCause("FieldValueInvalid", "Invalid value: \"abc\": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)", "status.podIPs[0]")]),
            ["504"] = StatusErrors.TooLargeResourceVersion(99999, 3636),
        };

        public void Apply(OpenApiOperation operation, OperationFilterContext context)
        {
            foreach (var (code, response) in operation.Responses ?? [])
            {
                var example = code == "415"
                    ? StatusErrors.UnsupportedMediaType(operation.OperationId?.StartsWith("patch", StringComparison.Ordinal) == true
                        ? PodPatch.AcceptedMediaTypes
                        : RequestBody.AcceptedMediaTypes)
                    : Examples.GetValueOrDefault(code);
                if (example is not null && response.Content?.TryGetValue("application/json", out var content) == true)
                {
                    content.Example = JsonSerializer.SerializeToNode(example, KubeJson.Status);
                }
            }
        }
    }

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
