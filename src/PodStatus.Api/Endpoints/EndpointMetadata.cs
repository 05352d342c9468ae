using k8s.Models;
using PodStatus.Api.Errors;
using PodStatus.Api.Patching;

namespace PodStatus.Api.Endpoints;

/// <summary>OpenAPI metadata shared by the pod routes.</summary>
internal static class EndpointMetadata
{
    public static RouteHandlerBuilder AcceptsPod(this RouteHandlerBuilder builder) =>
        builder.Accepts<V1Pod>("application/json", "application/yaml");

    public static RouteHandlerBuilder AcceptsPatch(this RouteHandlerBuilder builder) =>
        builder.Accepts<V1Pod>(PodPatch.AcceptedMediaTypes[2], PodPatch.AcceptedMediaTypes[..2]);

    /// <summary>Documents the Kubernetes Status errors a route can answer with.</summary>
    public static RouteHandlerBuilder ProducesStatus(this RouteHandlerBuilder builder, params int[] codes)
    {
        foreach (var code in codes)
        {
            builder.Produces<Status>(code, "application/json");
        }

        return builder;
    }
}
