using k8s.Models;
using PodStatus.Api.Errors;
using PodStatus.Api.Registry;
using PodStatus.Api.Schema;
using PodStatus.Api.Storage;

namespace PodStatus.Api.Resources.Namespaces;

/// <summary>
/// Upstream's NamespaceLifecycle admission for creates (<c>apiserver/pkg/admission/plugin/namespace/lifecycle</c>): an
/// object may be created only in a namespace that exists (else the namespace's 404) and is not being deleted (else
/// 403, with the <c>NamespaceTerminating</c> cause clients look for).
/// </summary>
public sealed class NamespaceLifecycle(Registry<V1Namespace> namespaces) : INamespaceAdmission
{
    public async ValueTask AdmitCreateAsync(ApiResource resource, string @namespace, string name, CancellationToken cancellationToken)
    {
        var key = ObjectKey.Cluster(@namespace);
        // The version held will do, as upstream's informer cache does; a namespace not found there is looked up live.
        var stored = await namespaces.Store.GetAsync(key, consistent: false, cancellationToken)
            ?? await namespaces.Store.GetAsync(key, consistent: true, cancellationToken)
            ?? throw StatusErrors.NotFound(NamespaceStrategy.Namespaces.GroupResource, @namespace).AsException();
        if (stored.Object.Fields.Field(0) == NamespaceStrategy.Terminating)
        {
            throw StatusErrors.Forbidden(resource.Plural, resource.Group, name,
                $"unable to create new content in namespace {@namespace} because it is being terminated",
                [new StatusCause("NamespaceTerminating", $"namespace {@namespace} is being terminated", "metadata.namespace")]).AsException();
        }
    }
}
