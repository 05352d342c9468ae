using k8s;
using k8s.Models;

namespace PodStatus.Testing;

/// <summary>
/// One change to a pod, as the server stored it: its <paramref name="ResourceVersion"/>, whether it was added,
/// modified or deleted, the pod as stored (for a deletion, as it was last), and who wrote it.
/// </summary>
public sealed record PodChange(long ResourceVersion, WatchEventType Type, V1Pod Pod, PodWriter Writer);

/// <summary>
/// Who made a change: the request's user (<c>system:anonymous</c> without authentication), its User-Agent (the
/// official C# client and kubectl name themselves there), and what it asked (<c>update</c> of <c>status</c>, ...).
/// Changes the server makes itself (a graceful deletion ending) have the user <c>system:podstatus</c>.
/// </summary>
public sealed record PodWriter(string User, string UserAgent, string Verb, string Subresource)
{
    internal static readonly PodWriter Server = new("system:podstatus", "", "", "");
}
