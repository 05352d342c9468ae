using System.Diagnostics;

namespace PodStatus.Tests;

/// <summary>
/// A throwaway etcd (Debian's <c>etcd-server</c>): one member or a cluster of several, on loopback with ports the
/// system hands out and a temporary data directory (in memory when /dev/shm exists, so its fsyncs are cheap),
/// removed when disposed or when the test process ends (and, if a killed test process could not, at the next
/// run's first start). Skips the test, saying why, when etcd is not installed (fails under
/// <c>PODSTATUS_REQUIRE_EXTERNAL=1</c>).
/// </summary>
public sealed class EtcdServer : IAsyncDisposable
{
    private const string DirectoryPrefix = "podstatus-etcd-";
    private const string OwnerFile = "owner.pid";
    private static readonly Lazy<Task<EtcdServer>> SharedServer = new(() => StartAsync(1));
    private static readonly Lazy<string> Root = new(() =>
    {
        var root = Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath();
        RemoveAbandoned(root);
        return root;
    });

    private readonly string _directory;
    private readonly Member[] _members;

    private EtcdServer(string directory, Member[] members)
    {
        _directory = directory;
        _members = members;
    }

    /// <summary>One etcd for the whole test run, stopped when the process exits; tests keep apart by key prefix.</summary>
    public static async Task<EtcdServer> SharedAsync()
    {
        External.Require("etcd");
        return await SharedServer.Value;
    }

    /// <summary>Every member's client URL, comma-separated, as <c>Storage:Etcd:Endpoints</c> takes them.</summary>
    public string Endpoints => string.Join(',', _members.Select(member => member.ClientUrl));

    public IReadOnlyList<string> ClientUrls => [.. _members.Select(member => member.ClientUrl)];

    /// <summary>A fresh key prefix, so each test's pods are its own on a shared etcd.</summary>
    public static string NewPrefix() => $"/test-{Guid.NewGuid():N}";

    public static async Task<EtcdServer> StartAsync(int members)
    {
        var etcd = External.Require("etcd");
        var directory = Path.Combine(Root.Value, $"{DirectoryPrefix}{Guid.NewGuid():N}");
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, OwnerFile), Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var ports = LoopbackPorts.Free(members * 2);
        var all = Enumerable.Range(0, members)
            .Select(i => new Member(etcd, $"m{i}", Path.Combine(directory, $"m{i}"), $"http://127.0.0.1:{ports[2 * i]}", $"http://127.0.0.1:{ports[(2 * i) + 1]}"))
            .ToArray();
        var cluster = string.Join(',', all.Select(member => $"{member.Name}={member.PeerUrl}"));
        var server = new EtcdServer(directory, all);
        // The shared server is never disposed: it goes when the test process ends, its data with it.
        AppDomain.CurrentDomain.ProcessExit += (_, _) => server.Remove();
        foreach (var member in all)
        {
            member.Start(cluster);
        }

        await Task.WhenAll(all.Select(member => member.WaitUntilHealthyAsync()));
        return server;
    }

    /// <summary>Kills member <paramref name="index"/> (SIGKILL), as a crash would.</summary>
    public void Kill(int index) => _members[index].Kill();

    /// <summary>Starts member <paramref name="index"/> again on its data directory.</summary>
    public Task RestartAsync(int index)
    {
        _members[index].Start(_members[index].Cluster!);
        return _members[index].WaitUntilHealthyAsync();
    }

    /// <summary>Stops member <paramref name="index"/> for a moment without killing it (SIGSTOP), as a hung machine.</summary>
    public void Pause(int index) => _members[index].Signal("STOP");

    public void Resume(int index) => _members[index].Signal("CONT");

    public ValueTask DisposeAsync()
    {
        Remove();
        return ValueTask.CompletedTask;
    }

    private void Remove()
    {
        foreach (var member in _members)
        {
            member.Kill();
        }

        TryDelete(_directory);
    }

    /// <summary>
    /// Data directories left by test processes that were killed before they could remove them (under /dev/shm
    /// they hold memory until a reboot): removed once their owner is gone.
    /// </summary>
    private static void RemoveAbandoned(string root)
    {
        foreach (var directory in Directory.EnumerateDirectories(root, DirectoryPrefix + "*"))
        {
            var owner = Path.Combine(directory, OwnerFile);
            var abandoned = File.Exists(owner)
                ? !int.TryParse(File.ReadAllText(owner), out var pid) || !IsRunning(pid)
                : Directory.GetLastWriteTimeUtc(directory) < DateTime.UtcNow.AddMinutes(-10);
            if (abandoned)
            {
                TryDelete(directory);
            }
        }
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            // A member still closing its files, or another process removing it too: the next run's sweep takes it.
        }
    }

    private sealed class Member(string program, string name, string dataDirectory, string clientUrl, string peerUrl)
    {
        private Process? _process;

        public string Name => name;

        /// <summary>Every member, as the first start named them (a restart names them again; etcd then reads its data directory).</summary>
        public string? Cluster { get; private set; }

        public string ClientUrl => clientUrl;

        public string PeerUrl => peerUrl;

        public void Start(string cluster)
        {
            Cluster = cluster;
            var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
            string[] arguments =
            [
                "--name", name, "--data-dir", dataDirectory,
                "--listen-client-urls", clientUrl, "--advertise-client-urls", clientUrl,
                "--listen-peer-urls", peerUrl, "--initial-advertise-peer-urls", peerUrl,
                "--initial-cluster", cluster, "--initial-cluster-state", "new",
            ];
            foreach (var argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }

            _process = Process.Start(start)!;
            // etcd logs to stderr at length: drain both streams so it never blocks on a full pipe.
            _process.OutputDataReceived += (_, _) => { };
            _process.ErrorDataReceived += (_, _) => { };
            _process.BeginOutputReadLine();
            _process.BeginErrorReadLine();
        }

        public async Task WaitUntilHealthyAsync()
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(1) };
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
            while (true)
            {
                try
                {
                    var health = await http.GetStringAsync($"{clientUrl}/health");
                    if (health.Contains("\"health\":\"true\"", StringComparison.Ordinal))
                    {
                        return;
                    }
                }
                catch (Exception error) when (error is HttpRequestException or TaskCanceledException)
                {
                    // Not listening yet.
                }

                if (_process!.HasExited || DateTime.UtcNow > deadline)
                {
                    throw new InvalidOperationException($"etcd member {name} did not become healthy at {clientUrl}");
                }

                await Task.Delay(50);
            }
        }

        public void Kill()
        {
            if (_process is { HasExited: false })
            {
                _process.Kill();
                _process.WaitForExit();
            }
        }

        public void Signal(string signal) => Process.Start("kill", ["-" + signal, _process!.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!.WaitForExit();
    }
}
