namespace PodStatus.Api.Security;

/// <summary>
/// The <c>Authentication</c> settings. Off (everyone may do everything, as <c>system:anonymous</c>) until a token
/// file or a client CA is named; then every request but the health checks needs valid credentials.
/// </summary>
public sealed class AuthenticationSettings
{
    public const string Section = "Authentication";

    /// <summary>kube-apiserver's <c>--token-auth-file</c>: <c>token,user,uid,"group1,group2"</c> lines.</summary>
    public string? TokenFile { get; set; }

    /// <summary>kube-apiserver's <c>--client-ca-file</c>: PEM certificates that sign client certificates (user from the
    /// CN, groups from O). The server's own certificate is Kestrel's: <c>Kestrel:Endpoints:Https:Certificate</c>.</summary>
    public string? ClientCAFile { get; set; }

    public bool Enabled => !string.IsNullOrEmpty(TokenFile) || !string.IsNullOrEmpty(ClientCAFile);
}

/// <summary>The <c>Authorization</c> settings: without a policy file every authenticated user may do everything.</summary>
public sealed class AuthorizationSettings
{
    public const string Section = "Authorization";

    /// <summary>Roles and bindings (YAML or JSON) that say who may do what, as RBAC in a cluster.</summary>
    public string? PolicyFile { get; set; }
}
