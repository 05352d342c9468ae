using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace PodStatus.ClientTests;

/// <summary>PodStatus on a real loopback port, as kubectl and the C# client reach a cluster.</summary>
public sealed class RealPortServer : WebApplicationFactory<Program>
{
    private readonly string _seed;
    private readonly IReadOnlyDictionary<string, string> _settings;

    /// <param name="seed">A seed file, or "" for the founding document's pod; empty by default.</param>
    /// <param name="settings">Further settings, such as <c>Watch:HistorySize</c>.</param>
    public RealPortServer(string seed = "none", IReadOnlyDictionary<string, string>? settings = null)
    {
        _seed = seed;
        _settings = settings ?? new Dictionary<string, string>();
        // Listen is set on Kestrel itself: UseKestrel(0) rewrites the server's addresses after the app has begun
        // starting on its own thread, a race that fails now and then (dotnet/aspnetcore#67714). Endpoints named in
        // the settings (https) are Kestrel's own.
        if (_settings.Keys.Any(key => key.StartsWith("Kestrel:Endpoints:", StringComparison.Ordinal)))
        {
            UseKestrel();
        }
        else
        {
            UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        }

        StartServer();
    }

    /// <summary>
    /// PodStatus on the shared throwaway etcd, with a key prefix of its own, or <paramref name="prefix"/> (a replica
    /// of the servers given it).
    /// </summary>
    public static RealPortServer OnEtcd(string seed = "none", string? prefix = null) => new(seed, new Dictionary<string, string>
    {
        ["Storage:Backend"] = "Etcd",
        ["Storage:Etcd:Endpoints"] = EtcdServer.SharedAsync().GetAwaiter().GetResult().Endpoints,
        ["Storage:Etcd:Prefix"] = prefix ?? EtcdServer.NewPrefix(),
    });

    /// <summary>For example <c>http://127.0.0.1:43125</c>.</summary>
    public string Url => ClientOptions.BaseAddress.ToString().TrimEnd('/');

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Seed:Path", _seed);
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
    }
}
