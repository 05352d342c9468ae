namespace PodStatus.Api.Security.Rbac;

/// <summary>
/// Kubernetes RBAC over a fixed set of roles and bindings, decided as upstream's RBAC authorizer decides
/// (<c>plugin/pkg/auth/authorizer/rbac</c>): the first rule that allows wins, cluster-wide bindings before those of
/// the request's namespace, and nothing is allowed that no rule allows.
/// </summary>
public sealed class RbacPolicy
{
    private readonly Binding[] _clusterBindings;
    private readonly Dictionary<string, Binding[]> _namespaceBindings;

    internal RbacPolicy(IEnumerable<Binding> bindings)
    {
        var all = bindings.ToArray();
        _clusterBindings = all.Where(binding => binding.Namespace.Length == 0).ToArray();
        _namespaceBindings = all.Where(binding => binding.Namespace.Length > 0)
            .GroupBy(binding => binding.Namespace, StringComparer.Ordinal)
            .ToDictionary(group => group.Key, group => group.ToArray(), StringComparer.Ordinal);
    }

    public AuthorizationDecision Authorize(KubeUser user, RequestAttributes request)
    {
        var combined = request.ResourcePath;
        var namespaced = request.Namespace.Length > 0 ? _namespaceBindings.GetValueOrDefault(request.Namespace) ?? [] : [];
        return Authorize(_clusterBindings, user, request, combined) ?? Authorize(namespaced, user, request, combined) ?? AuthorizationDecision.Deny;
    }

    private static AuthorizationDecision? Authorize(Binding[] bindings, KubeUser user, RequestAttributes request, string combinedResource)
    {
        foreach (var binding in bindings)
        {
            var subject = Array.Find(binding.Subjects, subject => subject.AppliesTo(user, binding.Namespace));
            if (subject is not null && Array.Exists(binding.Rules, rule => rule.Allows(request, combinedResource)))
            {
                return AuthorizationDecision.Allow($"RBAC: allowed by {binding.Describe(subject)}");
            }
        }

        return null;
    }
}

/// <summary>An authorizer's answer; the reason is what SelfSubjectAccessReview and the audit log show.</summary>
public sealed record AuthorizationDecision(bool Allowed, string Reason)
{
    public static readonly AuthorizationDecision Deny = new(false, "");

    /// <summary>Without a policy: allowed, with no reason to give.</summary>
    public static readonly AuthorizationDecision AlwaysAllow = new(true, "");

    public static AuthorizationDecision Allow(string reason) => new(true, reason);
}

/// <summary>A (Cluster)RoleBinding with the rules of the role it names.</summary>
internal sealed record Binding(string Kind, string Name, string Namespace, string RoleKind, string RoleName, Subject[] Subjects, Rule[] Rules)
{
    /// <summary>Upstream's words for where an allowance came from (clusterRoleBindingDescriber, roleBindingDescriber).</summary>
    public string Describe(Subject subject) => Namespace.Length == 0
        ? $"{Kind} \"{Name}\" of {RoleKind} \"{RoleName}\" to {subject.Describe("")}"
        : $"{Kind} \"{Name}/{Namespace}\" of {RoleKind} \"{RoleName}\" to {subject.Describe(Namespace)}";
}

internal sealed record Subject(string Kind, string Name, string Namespace)
{
    public const string User = "User";
    public const string Group = "Group";
    public const string ServiceAccount = "ServiceAccount";

    /// <summary>Upstream's <c>appliesToUser</c>: a service account in a RoleBinding defaults to the binding's namespace.</summary>
    public bool AppliesTo(KubeUser user, string bindingNamespace) => Kind switch
    {
        User => user.Name == Name,
        Group => user.Groups.Contains(Name),
        ServiceAccount => (Namespace.Length > 0 ? Namespace : bindingNamespace) is { Length: > 0 } ns && user.Name == KubeUser.ServiceAccountName(ns, Name),
        _ => false,
    };

    public string Describe(string bindingNamespace) => Kind == ServiceAccount
        ? $"{Kind} \"{Name}/{(Namespace.Length > 0 ? Namespace : bindingNamespace)}\""
        : $"{Kind} \"{Name}\"";
}

/// <summary>A PolicyRule, matched as upstream's <c>RuleAllows</c> with the helpers of <c>pkg/apis/rbac/v1</c>.</summary>
internal sealed record Rule(string[] Verbs, string[] ApiGroups, string[] Resources, string[] ResourceNames, string[] NonResourceUrls)
{
    private const string All = "*";

    /// <param name="request">What is asked.</param>
    /// <param name="combinedResource">The resource and subresource as rules name them: <c>pods/status</c>.</param>
    public bool Allows(RequestAttributes request, string combinedResource)
    {
        if (!Verbs.Any(verb => verb == All || verb == request.Verb))
        {
            return false;
        }

        if (!request.IsResourceRequest)
        {
            return NonResourceUrls.Any(url => url == All || url == request.Path || (url.EndsWith('*') && request.Path.StartsWith(url[..^1], StringComparison.Ordinal)));
        }

        var subresource = request.Subresource;
        return ApiGroups.Any(group => group == All || group == request.ApiGroup)
            && Resources.Any(resource => resource == All || resource == combinedResource
                || (subresource.Length > 0 && resource.Length == subresource.Length + 2 && resource.StartsWith("*/", StringComparison.Ordinal) && resource.EndsWith(subresource, StringComparison.Ordinal)))
            && (ResourceNames.Length == 0 || ResourceNames.Contains(request.Name));
    }
}
