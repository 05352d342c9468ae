using PodStatus.Api.Errors;
using PodStatus.Api.Patching;

namespace PodStatus.Api.Endpoints;

/// <summary>OpenAPI metadata shared by the resource routes.</summary>
internal static class EndpointMetadata
{
    public static RouteHandlerBuilder AcceptsPatch(this RouteHandlerBuilder builder, Type served) =>
        builder.Accepts(served, Patches.AcceptedMediaTypes[2], Patches.AcceptedMediaTypes[..2]);

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
