using System.Security.Claims;

namespace PodStatus.Api.Security;

/// <summary>
/// Who makes a request, as kube-apiserver's <c>user.Info</c>: a name, a uid and groups. It travels as the request's
/// ClaimsPrincipal, so ASP.NET Core's authentication and authorization carry it.
/// </summary>
public sealed record KubeUser(string Name, string Uid, IReadOnlyList<string> Groups)
{
    public const string Authenticated = "system:authenticated";
    public const string Masters = "system:masters";

    /// <summary>Who every request is while authentication is off, as kube-apiserver calls unauthenticated users.</summary>
    public static readonly KubeUser Anonymous = new("system:anonymous", "", ["system:unauthenticated"]);

    private const string UidClaim = "uid";
    private const string GroupClaim = "group";

    /// <summary>The principal for an authenticated user; every one of them is in <c>system:authenticated</c>, as upstream adds.</summary>
    public ClaimsPrincipal ToPrincipal(string scheme)
    {
        var claims = new List<Claim> { new(ClaimTypes.Name, Name), new(UidClaim, Uid) };
        claims.AddRange(Groups.Append(Authenticated).Distinct().Select(group => new Claim(GroupClaim, group)));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, scheme, ClaimTypes.Name, GroupClaim));
    }

    public static KubeUser From(ClaimsPrincipal principal) => principal.Identity is { IsAuthenticated: true }
        ? new(principal.Identity.Name ?? "", principal.FindFirstValue(UidClaim) ?? "", principal.FindAll(GroupClaim).Select(claim => claim.Value).ToArray())
        : Anonymous;

    /// <summary>The user a service account's token names (<c>serviceaccount.MakeUsername</c>).</summary>
    public static string ServiceAccountName(string @namespace, string name) => $"system:serviceaccount:{@namespace}:{name}";
}
