using System.Diagnostics;

namespace PodStatus.ClientTests;

/// <summary>
/// The official Python client (Debian's <c>python3-kubernetes</c>) against PodStatus: <c>Python/official_client.py</c>
/// creates, reads, replaces and patches status (409 on a stale write), lists with selectors, watches from a list's
/// resourceVersion and deletes, checking each answer.
/// </summary>
public sealed class PythonClientTests : IDisposable
{
    /// <summary>Debian's interpreter, whose packages include the client (another python3 may come first on PATH).</summary>
    private const string Python = "/usr/bin/python3";

    private readonly RealPortServer _server = new();

    public void Dispose() => _server.Dispose();

    [Fact]
    public async Task OfficialClient_CreatesReplacesPatchesListsWatchesAndDeletes()
    {
        RequireClient();
        var script = Path.Combine(AppContext.BaseDirectory, "Python", "official_client.py");

        var (exitCode, output) = await RunAsync(Python, script, _server.Url);

        Assert.True(exitCode == 0, output);
        Assert.EndsWith("done", output.TrimEnd(), StringComparison.Ordinal);
    }

    private static void RequireClient()
    {
        if (File.Exists(Python) && RunAsync(Python, "-c", "import kubernetes").Result.ExitCode == 0)
        {
            return;
        }

        const string reason = "the official Python client (Debian's python3-kubernetes) is not installed";
        if (Environment.GetEnvironmentVariable("PODSTATUS_REQUIRE_EXTERNAL") == "1")
        {
            Assert.Fail(reason + " and PODSTATUS_REQUIRE_EXTERNAL=1");
        }

        Assert.Skip(reason + "; install it to run this test");
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }
}
