namespace PodStatus.ClientTests;

/// <summary>
/// The official Python client (Debian's <c>python3-kubernetes</c>) against PodStatus: <c>Python/official_client.py</c>
/// creates, reads, replaces and patches status (409 on a stale write), lists with selectors, watches from a list's
/// resourceVersion and deletes; registers a node and patches its status; records an event and reads it as
/// events.k8s.io/v1; reads a deprecated <c>/watch/</c> path; deletes a namespace; checking each answer.
/// </summary>
public class PythonClientTests : IDisposable
{
    /// <summary>Debian's interpreter, whose packages include the client (another python3 may come first on PATH).</summary>
    private const string Python = "/usr/bin/python3";

    private readonly RealPortServer _server;

    public PythonClientTests()
        : this(new RealPortServer())
    {
    }

    protected PythonClientTests(RealPortServer server) => _server = server;

    public void Dispose()
    {
        _server.Dispose();
        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task OfficialClient_CreatesReplacesPatchesListsWatchesAndDeletes()
    {
        RequireClient();
        var script = Path.Combine(AppContext.BaseDirectory, "Python", "official_client.py");

        var (code, output, error) = await Processes.RunAsync(Python, [script, _server.Url]);

        Assert.True(code == 0, output + error);
        Assert.EndsWith("done", output.TrimEnd(), StringComparison.Ordinal);
    }

    private static void RequireClient()
    {
        if (File.Exists(Python) && Processes.RunAsync(Python, ["-c", "import kubernetes"]).Result.Code == 0)
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
}

/// <summary>The same script against PodStatus on etcd.</summary>
public sealed class PythonClientOnEtcdTests() : PythonClientTests(RealPortServer.OnEtcd());
