using PodStatus.Api.Schema;

namespace PodStatus.Api.Registry;

/// <summary>Every resource's registry, in the order they were added (each resource once, by its stored version).</summary>
public sealed class Registries(IEnumerable<IRegistry> registries)
{
    private readonly IReadOnlyList<IRegistry> _all = [.. registries];

    public IReadOnlyList<IRegistry> All => _all;

    /// <summary>The registry of <paramref name="resource"/> (<c>pods</c>, <c>leases.coordination.k8s.io</c>), or null.</summary>
    public IRegistry? Find(GroupResource resource) => _all.FirstOrDefault(registry => registry.Resource.GroupResource == resource);

    /// <summary>The registry that stores <typeparamref name="T"/> objects.</summary>
    public Registry<T> Of<T>()
        where T : class, k8s.IKubernetesObject<k8s.Models.V1ObjectMeta>, new() =>
        _all.OfType<Registry<T>>().Single();
}
