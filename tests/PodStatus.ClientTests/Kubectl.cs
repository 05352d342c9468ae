namespace PodStatus.ClientTests;

/// <summary>Runs the real kubectl against a server, with a kubeconfig and discovery cache of its own.</summary>
public sealed class Kubectl : IDisposable
{
    private readonly string _binary;
    private readonly string _home = Directory.CreateTempSubdirectory("podstatus-kubectl-").FullName;

    /// <param name="serverUrl">Where PodStatus listens.</param>
    /// <param name="user">The kubeconfig's user entry (such as <c>{token: x}</c>), or none.</param>
    /// <param name="caFile">The CA that signed the server's certificate, for https.</param>
    public Kubectl(string serverUrl, string? user = null, string? caFile = null)
    {
        _binary = External.Require("kubectl");
        File.WriteAllText(Path.Combine(_home, "config"), $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: podstatus
              cluster:
                server: {serverUrl}
                {(caFile is null ? "" : $"certificate-authority: {caFile}")}
            contexts:
            - name: podstatus
              context:
                cluster: podstatus
                namespace: default
                {(user is null ? "" : "user: me")}
            current-context: podstatus
            users: {(user is null ? "[]" : $"[{{name: me, user: {user}}}]")}
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
    public Task<(int Code, string Out, string Err)> RunAsync(params string[] args) =>
        Processes.RunAsync(_binary, ["--kubeconfig", Path.Combine(_home, "config"), "--cache-dir", Path.Combine(_home, "cache"), .. args]);

    /// <summary>Runs kubectl and fails the test, showing stderr, unless it succeeds.</summary>
    public async Task<string> OkAsync(params string[] args)
    {
        var (code, output, error) = await RunAsync(args);
        Assert.True(code == 0, $"kubectl {string.Join(' ', args)} exited {code}: {error}");
        return output;
    }
}
