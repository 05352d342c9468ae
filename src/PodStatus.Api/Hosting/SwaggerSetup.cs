using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using PodStatus.Api.Discovery;
using PodStatus.Api.Endpoints;
using PodStatus.Api.Errors;
using PodStatus.Api.Http;
using PodStatus.Api.Patching;
using PodStatus.Api.Schema;
using PodStatus.Api.Security;
using PodStatus.Api.Serialization;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace PodStatus.Api.Hosting;

/// <summary>
/// The OpenAPI documents, one per group-version as upstream serves them at <c>/openapi/v3</c> (the core group's also
/// at <c>/swagger/v1/swagger.json</c>), and the Swagger UI at <c>/swagger</c>, with upstream's operation ids, the
/// founding document's example and real error examples.
/// </summary>
internal static class SwaggerSetup
{
    /// <summary>kube-apiserver's name for its bearer token scheme.</summary>
    private const string BearerToken = "BearerToken";

    // Swashbuckle makes its filters by reflection: their constructors are kept for a Native AOT build.
    [DynamicDependency(DynamicallyAccessedMemberTypes.PublicConstructors, typeof(FoundingDocumentExample))]
    [DynamicDependency(DynamicallyAccessedMemberTypes.PublicConstructors, typeof(StatusExamples))]
    [DynamicDependency(DynamicallyAccessedMemberTypes.PublicConstructors, typeof(RefusalResponses))]
    public static IServiceCollection AddPodStatusSwagger(this IServiceCollection services)
    {
        services.AddEndpointsApiExplorer();
        services.AddSwaggerGen(options =>
        {
            options.SwaggerDoc("v1", new OpenApiInfo
            {
                Title = "PodStatus",
                Version = "v1",
                Description = "The Kubernetes core API (pods and their status, namespaces, nodes, events), with kube-apiserver's semantics.",
            });
            // A route belongs to its group-version's document; the server's own (discovery, reviews) to the core one.
            options.DocInclusionPredicate((document, route) => (route.GroupName ?? "v1") == document);
            options.CustomOperationIds(api => api.ActionDescriptor.EndpointMetadata.OfType<IEndpointNameMetadata>().FirstOrDefault()?.EndpointName);
            KubernetesOpenApi.Configure(options);
            options.OperationFilter<FoundingDocumentExample>();
            options.OperationFilter<StatusExamples>();
        });
        services.AddOptions<SwaggerGenOptions>().Configure<ServedResources>((options, served) =>
        {
            foreach (var (group, version) in served.GroupVersions.Where(groupVersion => groupVersion.Group.Length > 0))
            {
                options.SwaggerDoc($"{group}/{version}", new OpenApiInfo
                {
                    Title = "PodStatus",
                    Version = version,
                    Description = $"The Kubernetes {group}/{version} API, with kube-apiserver's semantics.",
                });
            }
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
        var groupVersions = app.Services.GetRequiredService<ServedResources>().GroupVersions
            .Select(groupVersion => groupVersion.Group.Length == 0 ? $"api/{groupVersion.Version}" : $"apis/{groupVersion.Group}/{groupVersion.Version}")
            .ToList();
        // Only the documents' own paths go through Swashbuckle's middleware, so API requests pay nothing for it.
        app.UseWhen(context => context.Request.Path.StartsWithSegments("/swagger") || context.Request.Path.StartsWithSegments("/openapi"), docs =>
        {
            docs.UseSwagger();
            // The same documents where kubectl looks for them: /openapi/v3 lists api/v1, apis/coordination.k8s.io/v1, ...
            docs.UseSwagger(options => options.RouteTemplate = "openapi/v3/api/{documentName}");
            docs.UseSwagger(options => options.RouteTemplate = "openapi/v3/apis/{*documentName}");
            docs.UseSwaggerUI(options =>
            {
                options.DocumentTitle = "PodStatus";
                foreach (var path in groupVersions)
                {
                    options.SwaggerEndpoint(path == "api/v1" ? "/swagger/v1/swagger.json" : $"/openapi/v3/{path}", path["api/".Length..].TrimStart('/'));
                }
            });
        });
        var root = new JsonObject
        {
            ["paths"] = new JsonObject(groupVersions.Select(path =>
                KeyValuePair.Create(path, (JsonNode?)new JsonObject { ["serverRelativeURL"] = $"/openapi/v3/{path}" }))),
        };
        app.MapGet("/openapi/v3", () => Results.Json(root, DomJson.Default.JsonObject, "application/json"))
            .WithName("getOpenAPIV3Root")
            .WithSummary("list the OpenAPI v3 documents")
            .WithTags("openapi")
            .AllowAnonymous();
        return app;
    }

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
                            Example = JsonSerializer.SerializeToNode(example, StatusJson.TypeInfo),
                        },
                    },
                });
            }
        }
    }

    /// <summary>Shows a real Status for each error code a resource operation documents, in place of placeholder strings.</summary>
    private sealed class StatusExamples : IOperationFilter
    {
        public void Apply(OpenApiOperation operation, OperationFilterContext context)
        {
            if (context.ApiDescription.ActionDescriptor.EndpointMetadata.OfType<ApiResource>().FirstOrDefault() is not { } resource)
            {
                return;
            }

            // The founding document's pod for pods; a made-up name for the rest.
            var name = resource.Plural == "pods" ? "hello-world" : "example";
            foreach (var (code, response) in operation.Responses ?? [])
            {
                Status? example = code switch
                {
                    "400" => StatusErrors.BadRequest($"the name of the object (other) does not match the name on the URL ({name})"),
                    "403" => StatusErrors.Forbidden(resource.Plural, resource.Group, name,
                        $"User \"system:serviceaccount:default:node-agent\" cannot update resource \"{resource.Plural}\" in API group \"{resource.Group}\" " +
                        (resource.Namespaced ? "in the namespace \"default\"" : "at the cluster scope")),
                    "404" => StatusErrors.NotFound(resource.GroupResource, name),
                    "409" => StatusErrors.ObjectModified(resource.GroupResource, name),
                    "413" => StatusErrors.RequestEntityTooLarge(RequestBody.MaxBytes),
                    "415" => StatusErrors.UnsupportedMediaType(operation.OperationId?.StartsWith("patch", StringComparison.Ordinal) == true
                        ? Patches.AcceptedMediaTypes
                        : RequestBody.AcceptedMediaTypes),
                    "422" when resource.Plural == "pods" => StatusErrors.Invalid("Pod", name,
                        [new StatusCause("FieldValueInvalid", "Invalid value: \"abc\": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)", "status.podIPs[0]")]),
                    "422" => StatusErrors.Invalid(resource.Group.Length == 0 ? resource.Kind : $"{resource.Kind}.{resource.Group}", "Example",
                        [new StatusCause("FieldValueInvalid", "Invalid value: \"Example\": a lowercase RFC 1123 subdomain must consist of lower case " +
                            "alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex " +
                            "used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')", "metadata.name")]),
                    "504" => StatusErrors.TooLargeResourceVersion(99999, 3636),
                    _ => null,
                };
                if (example is not null && response.Content?.TryGetValue("application/json", out var content) == true)
                {
                    content.Example = JsonSerializer.SerializeToNode(example, StatusJson.TypeInfo);
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
