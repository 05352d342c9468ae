using System.Text;
using PodStatus.Api.Schema;

namespace PodStatus.Api.Storage;

/// <summary>
/// A version a resource is served in, and how its stored objects read in it: as they are stored, or converted (events
/// are stored as core/v1 Events and served as events.k8s.io/v1 Events too, as upstream stores one kind for both).
/// </summary>
public sealed class ServedVersion
{
    /// <param name="resource">The resource as this version names it.</param>
    /// <param name="index">0 for the stored version; others number from 1 (a watch event keeps a frame per version).</param>
    /// <param name="convert">From the stored form to this version's; null for the stored version itself.</param>
    public ServedVersion(ApiResource resource, int index = 0, Func<StoredObject, StoredObject>? convert = null)
    {
        Resource = resource;
        Index = index;
        _convert = convert;
        // An object's selfLink is these bytes around its namespace and name: written without a string of its own.
        var root = resource.Root;
        (LinkStart, LinkMiddle) = resource.Namespaced
            ? (Encoding.UTF8.GetBytes($"{root}/namespaces/"), Encoding.UTF8.GetBytes($"/{resource.Plural}/"))
            : (Encoding.UTF8.GetBytes($"{root}/{resource.Plural}/"), []);
    }

    private readonly Func<StoredObject, StoredObject>? _convert;

    public ApiResource Resource { get; }

    public int Index { get; }

    /// <summary>The selfLink of a namespaced object is <c>LinkStart</c>, its namespace, <c>LinkMiddle</c>, its name;
    /// of a cluster-scoped one, <c>LinkStart</c> and its name.</summary>
    public byte[] LinkStart { get; }

    public byte[] LinkMiddle { get; }

    /// <summary>The object as this version serves it.</summary>
    public StoredObject Read(StoredObject stored) => _convert is null ? stored : _convert(stored);
}
