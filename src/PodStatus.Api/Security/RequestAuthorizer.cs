using Microsoft.Extensions.Options;
using PodStatus.Api.Errors;
using PodStatus.Api.Security.Rbac;

namespace PodStatus.Api.Security;

/// <summary>
/// Decides whether a user may make a request: by the RBAC policy file when there is one, otherwise yes (upstream's
/// AlwaysAllow mode). The same decision answers requests, SelfSubjectAccessReviews and the audit log.
/// </summary>
public sealed class RequestAuthorizer(IOptions<AuthorizationSettings> settings)
{
    private readonly RbacPolicy? _policy = settings.Value.PolicyFile is { Length: > 0 } path ? PolicyFile.Load(path) : null;

    public AuthorizationDecision Authorize(KubeUser user, RequestAttributes request) =>
        _policy?.Authorize(user, request) ?? AuthorizationDecision.AlwaysAllow;

    /// <summary>Upstream's words for a denial (<c>responsewriters.forbiddenMessage</c>).</summary>
    public static Status Forbidden(KubeUser user, RequestAttributes request)
    {
        if (!request.IsResourceRequest)
        {
            return StatusErrors.Forbidden("", "", "", $"User \"{user.Name}\" cannot {request.Verb} path \"{request.Path}\"");
        }

        var scope = request.Namespace.Length > 0 ? $"in the namespace \"{request.Namespace}\"" : "at the cluster scope";
        return StatusErrors.Forbidden(request.Resource, request.ApiGroup, request.Name,
            $"User \"{user.Name}\" cannot {request.Verb} resource \"{request.ResourcePath}\" in API group \"{request.ApiGroup}\" {scope}");
    }
}
