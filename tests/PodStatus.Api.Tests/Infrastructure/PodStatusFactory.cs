#if !NATIVE
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;

namespace PodStatus.Api.Tests.Infrastructure;

/// <summary>
/// PodStatus with a controllable clock, in memory, or on etcd (with a key prefix of its own on one shared etcd) in
/// the run of these tests against etcd (PodStatus.Api.EtcdTests). By default it holds the founding document's pod,
/// as <c>dotnet run</c> does; set <see cref="SeedPath"/> to "none" for an empty server.
/// </summary>
public sealed class PodStatusFactory : WebApplicationFactory<Program>
{
    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero));

    public string? SeedPath { get; init; }

    public bool StrictValidation { get; init; }

    /// <summary>Further settings, as <c>--Key=Value</c> would give them.</summary>
    public Dictionary<string, string> Settings { get; } = [];

    /// <summary>An etcd (client URLs, key prefix) to run on, whatever the test run: replicas share one.</summary>
    public (string Endpoints, string Prefix)? Etcd { get; init; }

    /// <summary>How many changes the store (in memory) and the watch cache keep.</summary>
    public int? HistorySize { get; init; }

    /// <summary>Whether these tests run against etcd (the PodStatus.Api.EtcdTests build of them).</summary>
    public static bool OnEtcd =>
#if ETCD
        true;
#else
        false;
#endif

    /// <summary>Whether the server runs in this process (not in the run against the native executable).</summary>
    public static bool InProcess => true;

    /// <summary>The server's clock <paramref name="secondsFromNow"/> on, as an object's timestamps show it.</summary>
    public string Timestamp(int secondsFromNow = 0) =>
        (Clock.GetUtcNow() + TimeSpan.FromSeconds(secondsFromNow)).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// Moves the server's clock on by <paramref name="step"/> until <paramref name="pending"/> completes: for
    /// requests that wait on the clock, which may start waiting only after the request is sent.
    /// </summary>
    public async Task<T> AdvanceClockUntilAsync<T>(Task<T> pending, TimeSpan step)
    {
        while (!pending.IsCompleted)
        {
            Clock.Advance(step);
            await Task.WhenAny(pending, Task.Delay(50, TestContext.Current.CancellationToken));
        }

        return await pending;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        var etcd = Etcd;
        if (etcd is null && OnEtcd)
        {
            etcd = (EtcdServer.SharedAsync().GetAwaiter().GetResult().Endpoints, EtcdServer.NewPrefix());
        }

        foreach (var (key, value) in FactorySettings.Of(SeedPath, StrictValidation, Settings, HistorySize, etcd))
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureServices(services => services.Replace(ServiceDescriptor.Singleton<TimeProvider>(Clock)));
    }
}
#endif
