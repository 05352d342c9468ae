using k8s.Models;
using PodStatus.Api.Errors;
using PodStatus.Api.Registry;

namespace PodStatus.Api.Resources.Namespaces;

/// <summary>
/// The namespaces every cluster has, which kube-apiserver's system namespaces controller creates and keeps:
/// <c>default</c>, <c>kube-system</c>, <c>kube-public</c> and <c>kube-node-lease</c> (where nodes renew their leases).
/// </summary>
public static class SystemNamespaces
{
    public static readonly IReadOnlyList<string> Names = ["default", "kube-system", "kube-public", "kube-node-lease"];

    /// <summary>Creates each namespace of <paramref name="names"/> (these, or more) that does not exist.</summary>
    public static async Task EnsureAsync(Registry<V1Namespace> namespaces, IEnumerable<string> names, CancellationToken cancellationToken)
    {
        foreach (var name in names.Distinct())
        {
            if (await namespaces.Store.GetAsync(Storage.ObjectKey.Cluster(name), consistent: true, cancellationToken) is not null)
            {
                continue;
            }

            try
            {
                await namespaces.CreateAsync("", new V1Namespace { Metadata = new V1ObjectMeta { Name = name } }, dryRun: false, cancellationToken);
            }
            catch (StatusException error) when (error.Status.Reason == "AlreadyExists")
            {
                // Another replica made it first.
            }
        }
    }
}
