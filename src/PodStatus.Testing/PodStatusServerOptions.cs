using k8s.Models;

namespace PodStatus.Testing;

/// <summary>How a <see cref="PodStatusServer"/> starts. Every option has a default; none is needed.</summary>
public sealed class PodStatusServerOptions
{
    /// <summary>
    /// Pods the server holds when it starts, stored as given (their <c>resourceVersion</c>, <c>uid</c> and
    /// <c>creationTimestamp</c> are kept when set). Empty by default.
    /// </summary>
    public IList<V1Pod> Pods { get; } = [];

    /// <summary>Checks kube-apiserver does not make (a known phase, condition statuses True/False/Unknown, no way
    /// back from Succeeded or Failed), for tests that want them.</summary>
    public bool StrictValidation { get; set; }

    /// <summary>
    /// The server's clock, for example <c>Microsoft.Extensions.Time.Testing.FakeTimeProvider</c>: graceful
    /// deletions and watch bookmarks then happen when the test moves the clock, without waiting.
    /// </summary>
    public TimeProvider? TimeProvider { get; set; }

    /// <summary>
    /// Moves pods as a kubelet would, with KWOK's stages run inside the server: pods bound to one of the
    /// <see cref="SimulatedNodes"/> (<c>node-0</c>, <c>node-1</c>, ...) go through <see cref="Stages"/> on the server's
    /// <see cref="TimeProvider"/>, so a test moves them on with the clock, without sleeping.
    /// </summary>
    public bool Simulate { get; set; }

    /// <summary>How many simulated nodes are registered when <see cref="Simulate"/> is set.</summary>
    public int SimulatedNodes { get; set; } = 1;

    /// <summary>Stage files or folders (KWOK's <c>kind: Stage</c> YAML); empty for the server's default stages.</summary>
    public IList<string> Stages { get; } = [];

    /// <summary>With <see cref="Simulate"/>, binds pods created without a node to the simulated nodes.</summary>
    public bool Schedule { get; set; }

    /// <summary>etcd client URLs (comma-separated) to store pods in, instead of memory.</summary>
    public string? EtcdEndpoints { get; set; }

    /// <summary>The etcd key prefix, so servers sharing one etcd keep apart; a new one per server by default.</summary>
    public string? EtcdPrefix { get; set; }

    /// <summary>Any other PodStatus setting, as the server's README names it (<c>Watch:HistorySize</c>, ...).</summary>
    public IDictionary<string, string?> Settings { get; } = new Dictionary<string, string?>();
}
