using System.Diagnostics;

namespace PodStatus.ClientTests;

/// <summary>Runs the real kubectl against a server, with a kubeconfig and discovery cache of its own.</summary>
public sealed class Kubectl : IDisposable
{
    private readonly string _binary;
    private readonly string _home = Directory.CreateTempSubdirectory("podstatus-kubectl-").FullName;

    public Kubectl(string serverUrl)
    {
        _binary = External.Require("kubectl");
        File.WriteAllText(Path.Combine(_home, "config"), $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: podstatus
              cluster:
                server: {serverUrl}
            contexts:
            - name: podstatus
              context:
                cluster: podstatus
                namespace: default
            current-context: podstatus
            users: []
            """);
    }

    public void Dispose() => Directory.Delete(_home, recursive: true);

    public string WriteFile(string name, string content)
    {
        var path = Path.Combine(_home, name);
        File.WriteAllText(path, content);
        return path;
    }

    /// <summary>Runs kubectl with <paramref name="args"/>; returns its exit code, stdout and stderr.</summary>
    public async Task<(int Code, string Out, string Err)> RunAsync(params string[] args)
    {
        var start = new ProcessStartInfo(_binary) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("--kubeconfig");
        start.ArgumentList.Add(Path.Combine(_home, "config"));
        start.ArgumentList.Add("--cache-dir");
        start.ArgumentList.Add(Path.Combine(_home, "cache"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Runs kubectl and fails the test, showing stderr, unless it succeeds.</summary>
    public async Task<string> OkAsync(params string[] args)
    {
        var (code, output, error) = await RunAsync(args);
        Assert.True(code == 0, $"kubectl {string.Join(' ', args)} exited {code}: {error}");
        return output;
    }
}
