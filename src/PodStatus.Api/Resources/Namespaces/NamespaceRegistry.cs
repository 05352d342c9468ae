using k8s.Models;
using PodStatus.Api.Errors;
using PodStatus.Api.Registry;
using PodStatus.Api.Storage;
using PodStatus.Api.Watch;

namespace PodStatus.Api.Resources.Namespaces;

/// <summary>
/// Namespaces, with upstream's deletion (<c>pkg/registry/core/namespace/storage/storage.go</c>): the first delete
/// marks the namespace Terminating, and the namespace controller empties it, removes the <c>kubernetes</c>
/// finalizer and so removes it; a delete while its spec still has finalizers answers with the namespace as it is.
/// <c>default</c>, <c>kube-system</c> and <c>kube-public</c> may not be deleted (NamespaceLifecycle admission).
/// </summary>
public sealed class NamespaceRegistry(
    NamespaceStrategy strategy, IStore store, WatchCache cache, TimeProvider clock, GracefulDeletion gracefulDeletion)
    : Registry<V1Namespace>(strategy, store, cache, clock, gracefulDeletion, admission: null)
{
    /// <summary>The namespaces upstream's admission keeps (<c>immortalNamespaces</c>).</summary>
    public static readonly IReadOnlySet<string> Immortal = new HashSet<string> { "default", "kube-system", "kube-public" };

    public override async ValueTask<(StoredObject Value, bool Removed)> DeleteAsync(ObjectKey key, V1DeleteOptions options, CancellationToken cancellationToken)
    {
        if (Immortal.Contains(key.Name))
        {
            throw StatusErrors.Forbidden("namespaces", "", key.Name, "this namespace may not be deleted").AsException();
        }

        var current = await GetAsync(key, cancellationToken);
        var namespaceObject = Strategy.Decode(current.Object);
        // Upstream checks its preconditions itself here, in words without the storage's prefix.
        if (options.Preconditions?.Uid is { Length: > 0 } uid && uid != namespaceObject.Metadata.Uid)
        {
            throw StatusErrors.Conflict(Resource.GroupResource, key.Name,
                $"Precondition failed: UID in precondition: {uid}, UID in object meta: {namespaceObject.Metadata.Uid}").AsException();
        }

        if (options.Preconditions?.ResourceVersion is { Length: > 0 } rv && rv != current.ResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture))
        {
            throw StatusErrors.Conflict(Resource.GroupResource, key.Name,
                $"Precondition failed: ResourceVersion in precondition: {rv}, ResourceVersion in object meta: {current.ResourceVersion}").AsException();
        }

        if (namespaceObject.Metadata.DeletionTimestamp is null)
        {
            // The first delete: Terminating, from now; the garbage collector's finalizers as the options ask.
            var dryRun = options.DryRun?.Contains("All") == true;
            var marked = await WriteAsync(key, existing =>
            {
                existing.Metadata.DeletionTimestamp ??= Now();
                existing.Status ??= new V1NamespaceStatus();
                existing.Status.Phase = NamespaceStrategy.Terminating;
                existing.Metadata.Finalizers = DependentsFinalizers(existing.Metadata.Finalizers, options);
            }, dryRun, cancellationToken);
            return (marked, false);
        }

        // Prior to the final deletion, the spec's finalizers must be gone; until then the namespace is answered as it is.
        return namespaceObject.Spec?.Finalizers is { Count: > 0 } ? (current, false) : await base.DeleteAsync(key, options, cancellationToken);
    }

    /// <summary>The orphan and foregroundDeletion finalizers as a deletion's options say (<c>shouldHaveOrphanFinalizer</c>, ...).</summary>
    private static List<string>? DependentsFinalizers(IList<string>? finalizers, V1DeleteOptions options)
    {
        var orphan = options.OrphanDependents ?? (options.PropagationPolicy is { } orphanPolicy ? orphanPolicy == "Orphan" : finalizers?.Contains("orphan") == true);
        var foreground = options.OrphanDependents is { } orphanDependents
            ? !orphanDependents
            : options.PropagationPolicy is { } policy ? policy == "Foreground" : finalizers?.Contains("foregroundDeletion") == true;
        var kept = (finalizers ?? []).Where(finalizer => finalizer is not ("orphan" or "foregroundDeletion")).ToList();
        if (orphan)
        {
            kept.Add("orphan");
        }

        if (foreground)
        {
            kept.Add("foregroundDeletion");
        }

        return kept.Count == 0 ? null : kept;
    }
}
