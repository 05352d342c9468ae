#if NATIVE
using Microsoft.Extensions.Time.Testing;

namespace PodStatus.Api.Tests.Infrastructure;

/// <summary>
/// PodStatus as its Native AOT executable, for the run of these tests against that form (PodStatus.Api.NativeTests):
/// one process per factory, on a loopback port of its own, with the same settings the in-process factory gives.
/// <c>PODSTATUS_NATIVE</c> names the executable (<c>scripts/publish-native.sh</c> makes it). A process has the real
/// clock and no services to reach into, so a test that moves the clock or reads the services skips.
/// </summary>
public sealed class PodStatusFactory : IDisposable, IAsyncDisposable
{
    private const string InProcessOnly = "the native form runs as a process: its clock is the real one, its services out of reach";

    private readonly Lock _lock = new();
    private ServerProcess? _process;
    private Uri? _address;

    public FakeTimeProvider Clock => Skip<FakeTimeProvider>();

    public IServiceProvider Services => Skip<IServiceProvider>();

    public string? SeedPath { get; init; }

    public bool StrictValidation { get; init; }

    /// <summary>Further settings, as <c>--Key=Value</c> gives them.</summary>
    public Dictionary<string, string> Settings { get; } = [];

    /// <summary>An etcd (client URLs, key prefix) to run on.</summary>
    public (string Endpoints, string Prefix)? Etcd { get; init; }

    /// <summary>How many changes the store (in memory) and the watch cache keep.</summary>
    public int? HistorySize { get; init; }

    public static bool OnEtcd => false;

    public static bool InProcess => false;

    public string Timestamp(int secondsFromNow = 0) => Skip<string>();

    public Task<T> AdvanceClockUntilAsync<T>(Task<T> pending, TimeSpan step) => Task.FromResult(Skip<T>());

    /// <summary>A client of the server, started on the first call.</summary>
    public HttpClient CreateClient()
    {
        lock (_lock)
        {
            if (_process is null)
            {
                var port = LoopbackPorts.Free()[0];
                _address = new Uri($"http://127.0.0.1:{port}");
                var process = ServerProcess.StartExecutable(Executable(), [.. Arguments(), "--urls", _address.ToString()]);
                try
                {
                    process.WaitUntilListening(_address);
                }
                catch
                {
                    process.Stop();
                    throw;
                }

                _process = process;
            }

            return new HttpClient { BaseAddress = _address };
        }
    }

    /// <summary>The settings as command-line arguments: the in-process factory's, in the Development environment
    /// as its host runs, and quietly.</summary>
    private IEnumerable<string> Arguments()
    {
        var settings = FactorySettings.Of(SeedPath, StrictValidation, Settings, HistorySize, Etcd);
        settings["environment"] = "Development";
        settings["Logging:LogLevel:Default"] = "Warning";
        return settings.Select(setting => $"--{setting.Key}={setting.Value}");
    }

    private static string Executable()
    {
        var path = Environment.GetEnvironmentVariable("PODSTATUS_NATIVE");
        if (path is { Length: > 0 } && File.Exists(path))
        {
            return path;
        }

        var reason = path is { Length: > 0 } ? $"PODSTATUS_NATIVE names {path}, which does not exist" : "PODSTATUS_NATIVE is not set";
        if (Environment.GetEnvironmentVariable("PODSTATUS_REQUIRE_EXTERNAL") == "1")
        {
            Assert.Fail(reason + " and PODSTATUS_REQUIRE_EXTERNAL=1");
        }

        Assert.Skip(reason + "; scripts/publish-native.sh publishes the native form and says how to run these tests");
        return "";
    }

    private static T Skip<T>()
    {
        Assert.Skip(InProcessOnly);
        return default!;
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _process?.Stop();
            _process = null;
        }
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }
}
#endif
