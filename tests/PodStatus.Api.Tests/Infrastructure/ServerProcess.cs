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
    public Task WaitUntilServingAsync(HttpClient client) => WaitForAsync(client, "/readyz", code => code == HttpStatusCode.OK, "become ready");

    /// <summary>Waits until it answers HTTP at all (up to 30 s): whatever its settings ask of a client.</summary>
    public Task WaitUntilListeningAsync(HttpClient client) => WaitForAsync(client, "/version", _ => true, "listen");

    private async Task WaitForAsync(HttpClient client, string path, Func<HttpStatusCode, bool> answered, string what)
    {
        var waiting = Stopwatch.StartNew();
        while (waiting.Elapsed < TimeSpan.FromSeconds(30))
        {
            if (Process.HasExited)
            {
                throw new InvalidOperationException($"the server exited with {Process.ExitCode}:\n{Output}");
            }

            try
            {
                if (answered((await client.GetAsync(path, TestContext.Current.CancellationToken)).StatusCode))
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

        throw new TimeoutException($"the server did not {what} within 30 s");
    }

    /// <summary>Stops it as a service manager would (SIGTERM, its host shutting down), killing it after 10 s.</summary>
    public async Task StopAsync()
    {
        if (!Process.HasExited)
        {
            Process.Start("kill", ["-TERM", Process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!.WaitForExit();
            using var stopping = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
            stopping.CancelAfter(TimeSpan.FromSeconds(10));
            try
            {
                await Process.WaitForExitAsync(stopping.Token);
            }
            catch (OperationCanceledException)
            {
                // Killed below.
            }
        }

        await DisposeAsync();
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
