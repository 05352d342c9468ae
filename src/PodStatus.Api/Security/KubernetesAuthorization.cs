using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using PodStatus.Api.Errors;

namespace PodStatus.Api.Security;

/// <summary>The requirement every request meets when authentication is on: its user may make it.</summary>
public sealed class KubernetesRequirement : IAuthorizationRequirement
{
    /// <summary>The fallback policy, so it applies to every endpoint that does not allow anonymous requests.</summary>
    public static readonly AuthorizationPolicy Policy = new AuthorizationPolicyBuilder()
        .RequireAuthenticatedUser()
        .AddRequirements(new KubernetesRequirement())
        .Build();
}

/// <summary>Meets <see cref="KubernetesRequirement"/> by asking the <see cref="RequestAuthorizer"/>.</summary>
public sealed class KubernetesAuthorizationHandler(RequestAuthorizer authorizer) : AuthorizationHandler<KubernetesRequirement, HttpContext>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, KubernetesRequirement requirement, HttpContext resource)
    {
        var decision = authorizer.Authorize(KubeUser.From(context.User), RequestAttributes.Of(resource));
        resource.Features.Set(decision);
        if (decision.Allowed)
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}

/// <summary>Refusals as kube-apiserver words them: 401 <c>Unauthorized</c>, 403 naming the user, verb and resource.</summary>
public sealed class StatusAuthorizationResultHandler : IAuthorizationMiddlewareResultHandler
{
    public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Challenged)
        {
            return StatusResult.WriteAsync(context.Response, StatusErrors.Unauthorized());
        }

        if (authorizeResult.Forbidden)
        {
            return StatusResult.WriteAsync(context.Response, RequestAuthorizer.Forbidden(KubeUser.From(context.User), RequestAttributes.Of(context)));
        }

        return next(context);
    }
}
