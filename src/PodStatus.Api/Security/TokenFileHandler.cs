using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace PodStatus.Api.Security;

public sealed class TokenFileSchemeOptions : AuthenticationSchemeOptions
{
    public IReadOnlyDictionary<string, KubeUser> Tokens { get; set; } = new Dictionary<string, KubeUser>();
}

/// <summary>
/// Bearer tokens from the token file, read from the Authorization header as upstream's bearertoken authenticator
/// reads it: <c>Bearer</c> in any case, one space, the token; a token the file does not name fails (401).
/// </summary>
public sealed class TokenFileHandler(IOptionsMonitor<TokenFileSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<TokenFileSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "TokenFile";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString().Trim();
        var parts = header.Split(' ', 3);
        if (parts.Length < 2 || !parts[0].Equals("bearer", StringComparison.OrdinalIgnoreCase) || parts[1].Length == 0)
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        if (!Options.Tokens.TryGetValue(parts[1], out var user))
        {
            return Task.FromResult(AuthenticateResult.Fail("invalid bearer token"));
        }

        // As upstream: once it has served, the token goes, so nothing later in the request can see or log it.
        Request.Headers.Authorization = default;
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(user.ToPrincipal(SchemeName), SchemeName)));
    }
}
