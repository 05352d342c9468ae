using PodStatus.Api.Schema;

namespace PodStatus.Api.Registry;

/// <summary>
/// The admission check every namespaced create passes (upstream's NamespaceLifecycle plugin): the namespace must
/// exist (404 <c>namespaces "x" not found</c>) and not be being deleted (403).
/// </summary>
public interface INamespaceAdmission
{
    ValueTask AdmitCreateAsync(ApiResource resource, string @namespace, string name, CancellationToken cancellationToken);
}
