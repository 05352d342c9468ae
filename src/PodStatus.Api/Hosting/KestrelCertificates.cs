using Microsoft.Extensions.Options;

namespace PodStatus.Api.Hosting;

/// <summary>
/// The certificate files Kestrel's TLS settings name (<c>Kestrel:Certificates:Default:Path</c>,
/// <c>Kestrel:Endpoints:Https:Certificate:KeyPath</c>, ...). A relative path means the working directory, as for
/// every other file setting: Kestrel would take the content root, which is the app's own folder here. A file that
/// is not there stops start-up with one line, as other bad settings do, not with Kestrel's stack trace.
/// </summary>
internal static class KestrelCertificates
{
    /// <summary>Before Kestrel reads them: relative paths made absolute, in a source of their own that comes last.</summary>
    public static void ResolvePaths(ConfigurationManager configuration)
    {
        var relative = Files(configuration).Where(file => !Path.IsPathRooted(file.Path)).ToList();
        if (relative.Count > 0)
        {
            configuration.AddInMemoryCollection(relative.Select(file => KeyValuePair.Create(file.Key, (string?)Path.GetFullPath(file.Path))));
        }
    }

    public static IServiceCollection AddKestrelCertificateCheck(this IServiceCollection services)
    {
        services.AddOptions<CertificateFiles>()
            .Configure<IConfiguration>((files, configuration) => files.Paths = [.. Files(configuration)])
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<CertificateFiles>, Validator>();
        return services;
    }

    /// <summary>Every <c>Path</c> and <c>KeyPath</c> of a <c>Certificate</c> (an endpoint's, an SNI entry's) or of
    /// an entry of <c>Certificates</c>.</summary>
    private static IEnumerable<(string Key, string Path)> Files(IConfiguration configuration) =>
        from setting in configuration.GetSection("Kestrel").AsEnumerable()
        let segments = setting.Key.Split(ConfigurationPath.KeyDelimiter)
        where setting.Value is { Length: > 0 }
            && segments[^1] is "Path" or "KeyPath"
            && (segments[^2] == "Certificate" || (segments.Length > 3 && segments[^3] == "Certificates"))
        select (setting.Key, setting.Value);

    internal sealed class CertificateFiles
    {
        public IReadOnlyList<(string Key, string Path)> Paths { get; set; } = [];
    }

    private sealed class Validator : IValidateOptions<CertificateFiles>
    {
        public ValidateOptionsResult Validate(string? name, CertificateFiles options)
        {
            var missing = options.Paths.Where(file => !File.Exists(file.Path)).Select(file => $"{file.Key}: no file at '{file.Path}'").ToList();
            return missing.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(missing);
        }
    }
}
