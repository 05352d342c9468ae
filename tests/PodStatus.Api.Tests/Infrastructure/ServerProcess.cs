using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;

namespace PodStatus.Api.Tests.Infrastructure;

/// <summary>The real server process, for what only a process shows: its exit code, what it writes, signals.</summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private readonly ConcurrentQueue<string?> _lines = new();

    private ServerProcess(string program, string workingDirectory, IEnumerable<string> args)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = workingDirectory };
        foreach (var argument in args)
        {
            start.ArgumentList.Add(argument);
        }

        Process = Process.Start(start)!;
        Process.OutputDataReceived += (_, line) => _lines.Enqueue(line.Data);
        Process.ErrorDataReceived += (_, line) => _lines.Enqueue(line.Data);
        Process.BeginOutputReadLine();
        Process.BeginErrorReadLine();
    }

    public Process Process { get; }

    /// <summary>What it has written so far, standard output and error together.</summary>
    public string Output => string.Join('\n', _lines);

    /// <summary>Runs the real server process, as <c>dotnet run</c> would, on a port of its own choosing.</summary>
    public static async Task<(int ExitCode, string Output)> RunToExitAsync(params string[] args)
    {
        var (code, output, error) = await Processes.RunAsync("dotnet",
            [typeof(Program).Assembly.Location, "--urls", "http://127.0.0.1:0", .. args], AppContext.BaseDirectory);
        return (code, output + error);
    }

    /// <summary>Starts the server in <paramref name="workingDirectory"/>; dispose to kill it.</summary>
    public static ServerProcess Start(string workingDirectory, params string[] args) =>
        new("dotnet", workingDirectory, args.Prepend(typeof(Program).Assembly.Location));

    /// <summary>Starts a published executable of the server (the Native AOT form) in its own folder.</summary>
    public static ServerProcess StartExecutable(string path, IEnumerable<string> args) => new(path, Path.GetDirectoryName(path)!, args);

    /// <summary>Waits until it answers <c>/readyz</c> through <paramref name="client"/> with 200 (up to 30 s).</summary>
    public async Task WaitUntilServingAsync(HttpClient client)
    {
        var waiting = Stopwatch.StartNew();
        while (waiting.Elapsed < TimeSpan.FromSeconds(30))
        {
            ThrowIfExited();
            try
            {
                if ((await client.GetAsync("/readyz", TestContext.Current.CancellationToken)).StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(100, TestContext.Current.CancellationToken);
        }

        throw new TimeoutException($"the server did not become ready within 30 s");
    }

    /// <summary>
    /// Waits until it answers HTTP at all at <paramref name="address"/> (up to 30 s), whatever its settings ask of a
    /// client. It blocks rather than awaits: a factory starts its server inside a synchronous call, and tests
    /// waiting so on many threads at once would leave no pool thread to run an await's continuation.
    /// </summary>
    public void WaitUntilListening(Uri address)
    {
        using var probe = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(5) };
        var waiting = Stopwatch.StartNew();
        while (waiting.Elapsed < TimeSpan.FromSeconds(30))
        {
            ThrowIfExited();
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, "/version");
                using var response = probe.Send(request, TestContext.Current.CancellationToken);
                return;
            }
            catch (Exception error) when (error is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }

            Thread.Sleep(20);
        }

        throw new TimeoutException($"the server did not listen within 30 s:\n{Output}");
    }

    /// <summary>Sends it SIGTERM, as a service manager stops a service: its host shuts down.</summary>
    public void Terminate() =>
        Process.Start("kill", ["-TERM", Process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!.WaitForExit();

    /// <summary>Stops it with SIGTERM, killing it after 10 s.</summary>
    public void Stop()
    {
        if (!Process.HasExited)
        {
            Terminate();
            if (!Process.WaitForExit(TimeSpan.FromSeconds(10)))
            {
                Process.Kill();
                Process.WaitForExit();
            }
        }

        Process.Dispose();
    }

    private void ThrowIfExited()
    {
        if (Process.HasExited)
        {
            throw new InvalidOperationException($"the server exited with {Process.ExitCode}:\n{Output}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!Process.HasExited)
        {
            Process.Kill();
        }

        await Process.WaitForExitAsync(TestContext.Current.CancellationToken);
        Process.Dispose();
    }
}
