using k8s;

namespace PodStatus.Testing;

/// <summary>
/// One change to an object, as the server stored it: its <paramref name="ResourceVersion"/>, whether it was added,
/// modified or deleted, the object as stored (for a deletion, as it was last), and who wrote it.
/// </summary>
public sealed record Change<T>(long ResourceVersion, WatchEventType Type, T Object, Writer Writer);

/// <summary>
/// Who made a change: the request's user (<c>system:anonymous</c> without authentication), its User-Agent (the
/// official C# client and kubectl name themselves there), and what it asked (<c>update</c> of <c>status</c>, ...).
/// Changes the server makes itself (a graceful deletion ending, a namespace's contents deleted, an event expiring)
/// have the user <c>system:podstatus</c>.
/// </summary>
public sealed record Writer(string User, string UserAgent, string Verb, string Subresource)
{
    internal static readonly Writer Server = new("system:podstatus", "", "", "");
}
