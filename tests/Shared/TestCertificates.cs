using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace PodStatus.Tests;

/// <summary>
/// A throwaway certificate authority, as a cluster's: a server certificate for 127.0.0.1 and client certificates
/// whose CN and O name a user and groups, written as PEM files for the server's settings and for kubectl.
/// </summary>
public sealed class TestCertificates : IDisposable
{
    private static readonly Oid ServerAuth = new("1.3.6.1.5.5.7.3.1");
    private static readonly Oid ClientAuth = new("1.3.6.1.5.5.7.3.2");

    private readonly X509Certificate2 _ca;

    public TestCertificates(string name = "podstatus-test-ca")
    {
        _ca = CreateAuthority(name);
        CaFile = WritePem("ca.crt", _ca.ExportCertificatePem());
        var server = Issue("127.0.0.1", [], ServerAuth, san: true);
        ServerCertificateFile = WritePem("server.crt", server.ExportCertificatePem());
        ServerKeyFile = WritePem("server.key", server.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());
    }

    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("podstatus-certs-").FullName;

    /// <summary>The CA certificate (PEM): the server's client CA file, and what clients trust the server by.</summary>
    public string CaFile { get; }

    public string ServerCertificateFile { get; }

    public string ServerKeyFile { get; }

    /// <summary>Kestrel's own settings for an HTTPS endpoint on <paramref name="port"/> with the server certificate.</summary>
    public Dictionary<string, string> KestrelSettings(int port) => new()
    {
        ["Kestrel:Endpoints:Https:Url"] = $"https://127.0.0.1:{port}",
        ["Kestrel:Endpoints:Https:Certificate:Path"] = ServerCertificateFile,
        ["Kestrel:Endpoints:Https:Certificate:KeyPath"] = ServerKeyFile,
    };

    /// <summary>A client certificate for user <paramref name="commonName"/> in <paramref name="organizations"/>.</summary>
    public X509Certificate2 Client(string commonName, params string[] organizations) => Issue(commonName, organizations, ClientAuth);

    /// <summary>A certificate for other uses: valid only before now, or for servers only, or with no CN.</summary>
    public X509Certificate2 Issue(string? commonName, string[] organizations, Oid usage, bool san = false, bool expired = false)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var subject = string.Join(", ", organizations.Select(o => $"O={o}").Prepend(commonName is null ? null : $"CN={commonName}").OfType<string>());
        var request = new CertificateRequest(subject.Length > 0 ? subject : "OU=nameless", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([usage], false));
        if (san)
        {
            var names = new SubjectAlternativeNameBuilder();
            names.AddIpAddress(IPAddress.Loopback);
            names.AddDnsName("localhost");
            request.CertificateExtensions.Add(names.Build());
        }

        var (notBefore, notAfter) = expired
            ? (DateTimeOffset.UtcNow.AddDays(-10), DateTimeOffset.UtcNow.AddDays(-1))
            : (DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        using var issued = request.Create(_ca, notBefore, notAfter, RandomNumberGenerator.GetBytes(16));
        return issued.CopyWithPrivateKey(key);
    }

    /// <summary>Writes <paramref name="certificate"/> and its key as PEM files (as kubectl's kubeconfig names them).</summary>
    public (string CertificateFile, string KeyFile) WriteClientFiles(string name, X509Certificate2 certificate) =>
        (WritePem($"{name}.crt", certificate.ExportCertificatePem()), WritePem($"{name}.key", certificate.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem()));

    /// <summary>Trusts the server's certificate by this CA alone, as kubectl's certificate-authority does.</summary>
    public bool TrustsServer(X509Certificate2? certificate)
    {
        if (certificate is null)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(_ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(certificate);
    }

    /// <summary>An HTTPS client that trusts this CA and presents <paramref name="certificate"/> (if any).</summary>
    public HttpClient HttpClient(Uri baseAddress, X509Certificate2? certificate = null)
    {
        var handler = new SocketsHttpHandler();
        handler.SslOptions.RemoteCertificateValidationCallback = (_, server, _, _) => TrustsServer(server as X509Certificate2);
        if (certificate is not null)
        {
            handler.SslOptions.ClientCertificates = [certificate];
        }

        return new HttpClient(handler) { BaseAddress = baseAddress };
    }

    public void Dispose()
    {
        _ca.Dispose();
        System.IO.Directory.Delete(Directory, recursive: true);
    }

    private static X509Certificate2 CreateAuthority(string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-30), DateTimeOffset.UtcNow.AddDays(30));
    }

    private string WritePem(string name, string pem)
    {
        var path = Path.Combine(Directory, name);
        File.WriteAllText(path, pem);
        return path;
    }
}
