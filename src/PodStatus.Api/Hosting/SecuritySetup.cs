using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Certificate;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Options;
using PodStatus.Api.Security;
using PodStatus.Api.Security.Rbac;

namespace PodStatus.Api.Hosting;

/// <summary>
/// Authentication (the token file's bearer tokens, client certificates) and authorization (RBAC) on ASP.NET Core's
/// own handlers and middleware, configured from the <c>Authentication</c> and <c>Authorization</c> settings, which
/// are checked, files and all, at start-up.
/// </summary>
internal static class SecuritySetup
{
    /// <summary>Picks the scheme by what the request carries: a bearer token, else a client certificate.</summary>
    private const string KubernetesScheme = "Kubernetes";
    private const string CertificateScheme = CertificateAuthenticationDefaults.AuthenticationScheme;

    /// <summary>Whether authentication is on, so the pipeline has its middleware.</summary>
    public static bool IsSecured(this IServiceProvider services) => services.GetService<IAuthenticationSchemeProvider>() is not null;

    /// <summary>
    /// The settings and RBAC always; ASP.NET Core's authentication and authorization only when authentication is on.
    /// Off, everyone is anonymous and allowed, and neither middleware is in the pipeline (ASP.NET Core adds them
    /// wherever their services are registered), where each would still give every request a service scope and a
    /// lookup of handlers and policies that do nothing.
    /// </summary>
    public static IServiceCollection AddPodStatusSecurity(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AuthenticationSettings>().BindConfiguration(AuthenticationSettings.Section).ValidateOnStart();
        services.AddOptions<AuthorizationSettings>().BindConfiguration(AuthorizationSettings.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AuthenticationSettings>, AuthenticationValidator>();
        services.AddSingleton<IValidateOptions<AuthorizationSettings>, AuthorizationValidator>();
        services.AddKestrelCertificateCheck();
        services.AddSingleton<RequestAuthorizer>();
        if (configuration.GetSection(AuthenticationSettings.Section).Get<AuthenticationSettings>() is not { Enabled: true })
        {
            return services;
        }

        // The core of authentication, without the data protection AddAuthentication brings for cookies, which would
        // make and store keys at start-up for nothing.
        services.AddAuthenticationCore();
        services.AddWebEncoders();
        new AuthenticationBuilder(services)
            .AddPolicyScheme(KubernetesScheme, null, _ => { })
            .AddScheme<TokenFileSchemeOptions, TokenFileHandler>(TokenFileHandler.SchemeName, _ => { })
            .AddCertificate()
            // Validating a certificate's chain is costly; a client sends the same one on each request of a connection.
            .AddCertificateCache();
        services.AddOptions<AuthenticationOptions>().Configure(options => options.DefaultScheme = KubernetesScheme);
        services.AddOptions<PolicySchemeOptions>(KubernetesScheme).Configure<IOptions<AuthenticationSettings>>((options, settings) =>
        {
            var tokens = !string.IsNullOrEmpty(settings.Value.TokenFile);
            var certificates = !string.IsNullOrEmpty(settings.Value.ClientCAFile);
            options.ForwardDefaultSelector = context =>
                tokens && (!certificates || context.Request.Headers.Authorization.Count > 0 || context.Connection.ClientCertificate is null)
                    ? TokenFileHandler.SchemeName
                    : CertificateScheme;
        });
        services.AddOptions<TokenFileSchemeOptions>(TokenFileHandler.SchemeName).Configure<IOptions<AuthenticationSettings>>((options, settings) =>
        {
            if (settings.Value.TokenFile is { Length: > 0 } path)
            {
                options.Tokens = TokenFile.Load(path);
            }
        });
        services.AddOptions<CertificateAuthenticationOptions>(CertificateScheme).Configure<IOptions<AuthenticationSettings>>((options, settings) =>
        {
            if (settings.Value.ClientCAFile is { Length: > 0 } path)
            {
                ConfigureClientCertificates(options, path);
            }
        });
        // Kestrel is made as the app is built, before the settings are checked: it reads the raw setting.
        services.AddOptions<KestrelServerOptions>().Configure<IConfiguration>((kestrel, configuration) =>
        {
            if (!string.IsNullOrEmpty(configuration[$"{AuthenticationSettings.Section}:{nameof(AuthenticationSettings.ClientCAFile)}"]))
            {
                // TLS asks for a certificate and lets any through; the certificate handler then checks it against the CA.
                kestrel.ConfigureHttpsDefaults(https =>
                {
                    https.ClientCertificateMode = ClientCertificateMode.AllowCertificate;
                    https.AllowAnyClientCertificate();
                });
            }
        });

        services.AddAuthorization(options => options.FallbackPolicy = KubernetesRequirement.Policy);
        services.AddSingleton<IAuthorizationHandler, KubernetesAuthorizationHandler>();
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, StatusAuthorizationResultHandler>();
        return services;
    }

    /// <summary>
    /// As upstream's x509 authenticator: the chain must lead to the client CA and the certificate be meant for client
    /// authentication; the user is the subject's CN (none: not authenticated), its groups the subject's O values.
    /// </summary>
    private static void ConfigureClientCertificates(CertificateAuthenticationOptions options, string caFile)
    {
        options.AllowedCertificateTypes = CertificateTypes.Chained;
        options.ChainTrustValidationMode = X509ChainTrustMode.CustomRootTrust;
        options.CustomTrustStore.ImportFromPemFile(caFile);
        options.RevocationMode = X509RevocationMode.NoCheck;
        options.ValidateCertificateUse = true;
        options.ValidateValidityPeriod = true;
        options.Events = new CertificateAuthenticationEvents
        {
            OnCertificateValidated = context =>
            {
                var subject = context.ClientCertificate.SubjectName.EnumerateRelativeDistinguishedNames()
                    .Select(part => (Oid: part.GetSingleElementType().Value, Value: part.GetSingleElementValue() ?? ""))
                    .ToArray();
                var commonName = subject.FirstOrDefault(part => part.Oid == "2.5.4.3").Value;
                if (string.IsNullOrEmpty(commonName))
                {
                    context.Fail("the client certificate has no common name");
                    return Task.CompletedTask;
                }

                var groups = subject.Where(part => part.Oid == "2.5.4.10").Select(part => part.Value).ToArray();
                context.Principal = new KubeUser(commonName, "", groups).ToPrincipal(CertificateScheme);
                context.Success();
                return Task.CompletedTask;
            },
        };
    }

    /// <summary>Reads the files the settings name, so a missing or broken one stops start-up with its problem.</summary>
    private sealed class AuthenticationValidator : IValidateOptions<AuthenticationSettings>
    {
        public ValidateOptionsResult Validate(string? name, AuthenticationSettings options) => Check(() =>
        {
            if (options.TokenFile is { Length: > 0 } tokens)
            {
                TokenFile.Load(tokens);
            }

            if (options.ClientCAFile is { Length: > 0 } ca)
            {
                var certificates = new X509Certificate2Collection();
                certificates.ImportFromPemFile(ca);
                if (certificates.Count == 0)
                {
                    throw new InvalidDataException($"Authentication:ClientCAFile '{ca}' holds no PEM certificate");
                }
            }
        });
    }

    private sealed class AuthorizationValidator(IConfiguration configuration) : IValidateOptions<AuthorizationSettings>
    {
        public ValidateOptionsResult Validate(string? name, AuthorizationSettings options) => Check(() =>
        {
            if (options.PolicyFile is { Length: > 0 } policy)
            {
                // The raw authentication settings: the checked ones would report a bad token file a second time.
                var authentication = configuration.GetSection(AuthenticationSettings.Section).Get<AuthenticationSettings>();
                if (authentication is not { Enabled: true })
                {
                    throw new InvalidDataException("Authorization:PolicyFile needs authentication: set Authentication:TokenFile or Authentication:ClientCAFile");
                }

                PolicyFile.Load(policy);
            }
        });
    }

    private static ValidateOptionsResult Check(Action load)
    {
        try
        {
            load();
            return ValidateOptionsResult.Success;
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException or InvalidDataException or System.Security.Cryptography.CryptographicException)
        {
            return ValidateOptionsResult.Fail(error.Message);
        }
    }
}
