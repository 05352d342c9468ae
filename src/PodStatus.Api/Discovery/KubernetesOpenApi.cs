using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Nodes;
using k8s.Models;
using System.Xml.XPath;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using PodStatus.Api.Endpoints;
using PodStatus.Api.Schema;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace PodStatus.Api.Discovery;

/// <summary>
/// Makes the OpenAPI documents read like upstream's, so the same documents serve the Swagger UI and kubectl
/// (<c>/openapi/v3/api/v1</c>, <c>/openapi/v3/apis/coordination.k8s.io/v1</c>, ...): upstream schema names, the
/// <c>x-kubernetes-group-version-kind</c> marks kubectl looks for, and the described parameters of each operation.
/// </summary>
public static class KubernetesOpenApi
{
    private static readonly HashSet<string> MetaTypes =
    [
        "ObjectMeta", "OwnerReference", "ManagedFieldsEntry", "DeleteOptions", "Preconditions", "ListMeta", "Status",
        "StatusDetails", "StatusCause", "APIResource", "APIResourceList", "APIVersions", "APIGroupList", "APIGroup",
        "GroupVersionForDiscovery", "ServerAddressByClientCIDR", "MicroTime", "Time",
    ];

    /// <summary>The model types of groups other than core whose names do not say so (the client names core's and events' clashes).</summary>
    private static readonly HashSet<string> CoordinationTypes = ["Lease", "LeaseSpec", "LeaseList"];

    /// <summary>Upstream's definition names: <c>io.k8s.api.core.v1.Pod</c>, <c>io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta</c>, ...</summary>
    public static string SchemaId(Type type)
    {
        if (type == typeof(Errors.Status))
        {
            return "io.k8s.apimachinery.pkg.apis.meta.v1.Status";
        }

        if (type == typeof(VersionInfo))
        {
            return "io.k8s.apimachinery.pkg.version.Info";
        }

        if (type.Namespace != "k8s.Models")
        {
            return type.Name;
        }

        // The client names types that clash across groups by group: Corev1Event, Eventsv1Event.
        foreach (var (prefix, group) in new[] { ("Corev1", "core"), ("Eventsv1", "events") })
        {
            if (type.Name.StartsWith(prefix, StringComparison.Ordinal))
            {
                return $"io.k8s.api.{group}.v1.{type.Name[prefix.Length..]}";
            }
        }

        if (!type.Name.StartsWith("V1", StringComparison.Ordinal))
        {
            return type.Name;
        }

        var name = type.Name[2..];
        return MetaTypes.Contains(name) ? $"io.k8s.apimachinery.pkg.apis.meta.v1.{name}"
            : CoordinationTypes.Contains(name) ? $"io.k8s.api.coordination.v1.{name}"
            : $"io.k8s.api.core.v1.{name}";
    }

    // Swashbuckle makes its filters by reflection: their constructors are kept for a Native AOT build.
    [DynamicDependency(DynamicallyAccessedMemberTypes.PublicConstructors, typeof(FieldDescriptions))]
    [DynamicDependency(DynamicallyAccessedMemberTypes.PublicConstructors, typeof(GroupVersionKindSchemas))]
    [DynamicDependency(DynamicallyAccessedMemberTypes.PublicConstructors, typeof(ResourceOperationParameters))]
    public static void Configure(SwaggerGenOptions options)
    {
        options.CustomSchemaIds(SchemaId);
        options.SchemaFilter<FieldDescriptions>();
        options.MapType<ResourceQuantity>(() => new OpenApiSchema
        {
            Type = JsonSchemaType.String,
            Description = "A fixed-point number with a suffix, e.g. 500m or 128Mi.",
        });
        options.MapType<IntOrString>(() => new OpenApiSchema
        {
            Extensions = new Dictionary<string, IOpenApiExtension> { ["x-kubernetes-int-or-string"] = new JsonNodeExtension(true) },
        });
        options.SchemaFilter<GroupVersionKindSchemas>();
        options.OperationFilter<ResourceOperationParameters>();
    }

    /// <summary>
    /// The upstream field descriptions (what <c>kubectl explain</c> prints), from the client library's XML
    /// documentation. The file is 25 MB, so it is read when a document is first asked for, not at start-up.
    /// </summary>
    private sealed class FieldDescriptions(IOptions<SwaggerGenOptions> options) : ISchemaFilter
    {
        private static readonly Lazy<IReadOnlyDictionary<string, XPathNavigator>> Members = new(Load);
        private XmlCommentsSchemaFilter? _filter;

        public void Apply(IOpenApiSchema schema, SchemaFilterContext context) =>
            (_filter ??= new XmlCommentsSchemaFilter(Members.Value, options.Value.SwaggerGeneratorOptions)).Apply(schema, context);

        private static IReadOnlyDictionary<string, XPathNavigator> Load()
        {
            var path = Path.Combine(AppContext.BaseDirectory, "KubernetesClient.xml");
            var members = new Dictionary<string, XPathNavigator>();
            if (File.Exists(path))
            {
                var iterator = new XPathDocument(path).CreateNavigator().Select("/doc/members/member");
                while (iterator.MoveNext())
                {
                    members[iterator.Current!.GetAttribute("name", "")] = iterator.Current.Clone();
                }
            }

            return members;
        }
    }

    /// <summary>Marks the served kinds' schemas (and their lists') with their group, version and kind, as <c>kubectl explain</c> expects.</summary>
    private sealed class GroupVersionKindSchemas(ServedResources served) : ISchemaFilter
    {
        private readonly Dictionary<Type, (ApiResource Resource, bool IsList)> _kinds = served.All
            .SelectMany(handlers => new[] { (handlers.ServedType, (handlers.Resource, false)), (handlers.ServedListType, (handlers.Resource, true)) })
            .ToDictionary();

        public void Apply(IOpenApiSchema schema, SchemaFilterContext context)
        {
            if (_kinds.TryGetValue(context.Type, out var kind) && schema is OpenApiSchema concrete)
            {
                var (resource, isList) = kind;
                concrete.Extensions ??= new Dictionary<string, IOpenApiExtension>();
                concrete.Extensions["x-kubernetes-group-version-kind"] = new JsonNodeExtension(new JsonArray(
                    new JsonObject { ["group"] = resource.Group, ["kind"] = isList ? resource.ListKind : resource.Kind, ["version"] = resource.Version }));
            }
        }
    }

    /// <summary>
    /// The parameters of each resource operation, with upstream's names, types and (shortened) descriptions. The
    /// routes read the path and the query themselves, as upstream converts them, so this table is what documents
    /// them; kubectl sends <c>fieldValidation=Strict</c> only when the PATCH operations list it.
    /// </summary>
    private sealed class ResourceOperationParameters : IOperationFilter
    {
        private static readonly string[] ListParameters =
        [
            "allowWatchBookmarks", "continue", "fieldSelector", "labelSelector", "limit", "resourceVersion",
            "resourceVersionMatch", "sendInitialEvents", "timeoutSeconds", "watch", "includeObject",
        ];

        private static readonly string[] WriteParameters = ["dryRun", "fieldManager", "fieldValidation"];

        private static readonly string[] DeleteParameters = ["dryRun", "gracePeriodSeconds", "orphanDependents", "propagationPolicy"];

        private static readonly Dictionary<string, (JsonSchemaType Type, string Description)> Parameters = new()
        {
            ["namespace"] = (JsonSchemaType.String, "object name and auth scope, such as for teams and projects"),
            ["name"] = (JsonSchemaType.String, "name of the object"),
            ["pretty"] = (JsonSchemaType.String, "If 'true', then the output is pretty printed. Without it, curl, Wget and browsers get indented output."),
            ["dryRun"] = (JsonSchemaType.String, "When present, indicates that modifications should not be persisted. The only valid value is All."),
            ["fieldManager"] = (JsonSchemaType.String, "A name associated with the actor or entity that is making these changes: at most 128 " +
                "printable characters."),
            ["fieldValidation"] = (JsonSchemaType.String, "How the server handles fields it does not know: Ignore (drop them), Warn (the " +
                "default: drop them and name each in a Warning header) or Strict (fail with 400)."),
            ["force"] = (JsonSchemaType.Boolean, "Only for apply patches, which are not served: any value is a 422."),
            ["gracePeriodSeconds"] = (JsonSchemaType.Integer, "The duration in seconds before the object should be deleted; 0 deletes at " +
                "once. A pod's defaults to its terminationGracePeriodSeconds (unscheduled and terminated pods are deleted at once); other kinds are deleted at once."),
            ["orphanDependents"] = (JsonSchemaType.Boolean, "Deprecated: use propagationPolicy. May not be set with it."),
            ["propagationPolicy"] = (JsonSchemaType.String, "Foreground, Background or Orphan."),
            ["labelSelector"] = (JsonSchemaType.String, "A selector to restrict the list of returned objects by their labels, e.g. " +
                "app=web,tier in (front,back)."),
            ["fieldSelector"] = (JsonSchemaType.String, "A selector to restrict the list of returned objects by their fields, e.g. " +
                "status.phase=Running,spec.nodeName=node-1."),
            ["limit"] = (JsonSchemaType.Integer, "The maximum number of responses to return for a list call. If more items exist, " +
                "metadata.continue holds a token for the next page."),
            ["continue"] = (JsonSchemaType.String, "The metadata.continue token of the previous page, sent with the same query parameters."),
            ["includeObject"] = (JsonSchemaType.String, "For Table responses: None, Metadata (the default) or Object."),
            ["watch"] = (JsonSchemaType.Boolean, "Watch for changes to the described resources and return them as a stream of add, " +
                "update, and remove notifications. Absent, 0 or false (in any case) is false; any other value is true."),
            ["resourceVersion"] = (JsonSchemaType.String, "For a list: a state at least this new (or exactly this one with " +
                "resourceVersionMatch=Exact). For a watch: stream the changes after this revision; unset or 0 sends the current objects first."),
            ["resourceVersionMatch"] = (JsonSchemaType.String, "How resourceVersion applies to a list: NotOlderThan (the default) or Exact. " +
                "A watch takes it only with sendInitialEvents, as NotOlderThan."),
            ["allowWatchBookmarks"] = (JsonSchemaType.Boolean, "Requests watch events with type BOOKMARK, which carry only the current resourceVersion."),
            ["sendInitialEvents"] = (JsonSchemaType.Boolean, "For a watch: the current objects as ADDED events, then a BOOKMARK annotated " +
                "k8s.io/initial-events-end, then live changes."),
            ["timeoutSeconds"] = (JsonSchemaType.Integer, "Timeout for the list/watch call, regardless of any activity or inactivity."),
        };

        public void Apply(OpenApiOperation operation, OperationFilterContext context)
        {
            var endpoint = context.ApiDescription.ActionDescriptor.EndpointMetadata;
            if (endpoint.OfType<ApiResource>().FirstOrDefault() is not { } resource)
            {
                return;
            }

            var id = operation.OperationId ?? "";
            operation.Extensions ??= new Dictionary<string, IOpenApiExtension>();
            operation.Extensions["x-kubernetes-group-version-kind"] = new JsonNodeExtension(
                new JsonObject { ["group"] = resource.Group, ["version"] = resource.Version, ["kind"] = resource.Kind });
            operation.Parameters ??= [];
            // The path's names first, as upstream lists them.
            var path = context.ApiDescription.RelativePath ?? "";
            foreach (var name in new[] { "name", "namespace" }.Where(name => path.Contains($"{{{name}}}", StringComparison.Ordinal)))
            {
                operation.Parameters.Insert(0, new OpenApiParameter
                {
                    Name = name,
                    In = ParameterLocation.Path,
                    Required = true,
                    Schema = new OpenApiSchema { Type = JsonSchemaType.String },
                    Description = name == "name" ? $"name of the {resource.Kind}" : null,
                });
            }

            string[] query = id switch
            {
                _ when id.StartsWith("list", StringComparison.Ordinal) || id.StartsWith("watch", StringComparison.Ordinal) => ListParameters,
                _ when id.Contains("Collection", StringComparison.Ordinal) => [.. DeleteParameters, .. ListParameters.Except(["watch", "allowWatchBookmarks"])],
                _ when id.StartsWith("patch", StringComparison.Ordinal) => [.. WriteParameters, "force"],
                _ when id.StartsWith("create", StringComparison.Ordinal) || id.StartsWith("replace", StringComparison.Ordinal) => WriteParameters,
                _ when id.StartsWith("delete", StringComparison.Ordinal) => DeleteParameters,
                _ => ["includeObject"],
            };
            foreach (var name in query.Append("pretty"))
            {
                operation.Parameters.Add(new OpenApiParameter
                {
                    Name = name,
                    In = ParameterLocation.Query,
                    Schema = new OpenApiSchema { Type = Parameters[name].Type },
                });
            }

            foreach (var parameter in operation.Parameters.OfType<OpenApiParameter>())
            {
                parameter.Description ??= Parameters.GetValueOrDefault(parameter.Name ?? "").Description;
            }
        }
    }
}
