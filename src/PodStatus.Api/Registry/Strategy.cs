using System.Text.Json;
using PodStatus.Api.Errors;
using System.Text.Json.Serialization.Metadata;
using FluentValidation.Results;
using k8s;
using k8s.Models;
using PodStatus.Api.Patching;
using PodStatus.Api.Schema;
using PodStatus.Api.Selection;
using PodStatus.Api.Serialization;
using PodStatus.Api.Storage;
using PodStatus.Api.Tables;

namespace PodStatus.Api.Registry;

/// <summary>
/// What one resource adds to the generic registry, as kube-apiserver's strategies do (<c>rest.RESTCreateStrategy</c>,
/// <c>RESTUpdateStrategy</c>, <c>RESTDeleteStrategy</c>, and the status strategies beside them): what it is called,
/// how its objects are prepared and validated on each write, which fields select it, how it prints and patches.
/// Everything else (preconditions, conditional writes, dry runs, finalizers, watches) is the registry's, the same
/// for every resource.
/// </summary>
public abstract class Strategy<T>
    where T : class, IKubernetesObject<V1ObjectMeta>, new()
{
    /// <summary>The type's JSON metadata in the one configuration.</summary>
    public static readonly JsonTypeInfo<T> Json = KubeJson.TypeInfo<T>();

    /// <summary>The resource in the version it is stored in.</summary>
    public abstract ApiResource Resource { get; }

    /// <summary>Its part of a storage key, <c>/registry/{StorageName}/...</c> (nodes are <c>minions</c>).</summary>
    public virtual string StorageName => Resource.Plural;

    /// <summary>The field selectors its stored version accepts.</summary>
    public virtual FieldSet Fields => FieldSet.MetadataOnly;

    /// <summary>How it prints in a Table.</summary>
    public abstract ITablePrinter Printer { get; }

    /// <summary>How its lists merge in a strategic merge patch.</summary>
    public virtual PatchSchema PatchSchema => PatchSchema.Object;

    /// <summary>Whether a deletion answers with the deleted object (pods, namespaces) rather than a Success Status.</summary>
    public virtual bool ReturnsDeletedObject => false;

    /// <summary>How long an object lives after its last write (events: <c>--event-ttl</c>), or null for ever.</summary>
    public virtual TimeSpan? TimeToLive => null;

    /// <summary>The labels and selectable field values of <paramref name="value"/>, in <see cref="Fields"/>' order.</summary>
    public virtual SelectableFields SelectableFieldsOf(T value) => SelectableFields.Of(value.Metadata.Labels);

    /// <summary>The stored form of <paramref name="value"/>, which takes it over.</summary>
    public virtual EncodedObject Encode(T value) => EncodedObject.Encode(value, Json, Resource.Kind, Resource.GroupVersion, SelectableFieldsOf(value));

    /// <summary>A stored object, decoded anew: the caller may change it.</summary>
    public virtual T Decode(EncodedObject stored) => JsonSerializer.Deserialize(stored.Utf8, Json)!;

    /// <summary>A stored value (as etcd holds it, or as a seed file gives it) in its stored form.</summary>
    public EncodedObject Read(ReadOnlyMemory<byte> stored)
    {
        var value = JsonSerializer.Deserialize(stored.Span, Json);
        if (value?.Metadata?.Name is null)
        {
            throw new InvalidDataException($"a stored {Resource.Kind} has no metadata.name");
        }

        var encoded = Encode(value);
        // Read, not being written: decoded forms need not be kept for the next write.
        encoded.ReleaseDecoded();
        return encoded;
    }

    /// <summary>PrepareForCreate: clears or sets what a client may not choose (status, defaults).</summary>
    public virtual void PrepareForCreate(T value)
    {
    }

    /// <summary>
    /// Validate: the resource's own rules for a new object, sent in <paramref name="requestVersion"/> (<c>v1</c>,
    /// <c>events.k8s.io/v1</c>); ObjectMeta's common rules are the registry's.
    /// </summary>
    public abstract IEnumerable<ValidationFailure> ValidateCreate(T value, string requestVersion);

    /// <summary>Canonicalize: what the strategy sets once an object has passed validation (a namespace's name label).</summary>
    public virtual void Canonicalize(T value)
    {
    }

    /// <summary>How <c>metadata.name</c> must look (a DNS subdomain for most kinds, a DNS label for namespaces).</summary>
    public virtual Func<string, IEnumerable<string>> NameRule => Validation.Names.Dns1123Subdomain;

    /// <summary>Whether an update without a resourceVersion is taken (last writer wins) rather than refused with 422.</summary>
    public virtual bool AllowUnconditionalUpdate => true;

    /// <summary>Whether a PUT of an object that does not exist creates it.</summary>
    public virtual bool AllowCreateOnUpdate => false;

    /// <summary>
    /// PrepareForUpdate of the resource (<paramref name="subresource"/> empty) or of a subresource it serves
    /// (<c>status</c>, <c>finalize</c>): what the write may not change is taken from <paramref name="old"/>.
    /// </summary>
    public virtual void PrepareForUpdate(T value, T old, string subresource)
    {
    }

    /// <summary>ValidateUpdate of the resource or of a subresource, sent in <paramref name="requestVersion"/>.</summary>
    public abstract IEnumerable<ValidationFailure> ValidateUpdate(T value, T old, string subresource, string requestVersion);

    /// <summary>
    /// An update prepared and validated at the level of stored bytes, for a resource's hot path (a pod's status),
    /// and whether it deletes the object instead; null to take the general path (decode,
    /// <see cref="PrepareForUpdate"/>, validate, encode).
    /// </summary>
    public virtual (EncodedObject Updated, bool DeleteInstead)? FastUpdate(StoredObject current, T sent, string subresource) => null;

    /// <summary>
    /// The grace period a deletion gets (<c>CheckGracefulDelete</c>), for a resource deleted gracefully (pods); null
    /// for the rest, which are deleted at once unless finalizers hold them.
    /// </summary>
    public virtual long? GracePeriod(StoredObject current, long? requested) => null;

    /// <summary>
    /// A POST to a subresource the resource serves with the verb <c>create</c> (a pod's <c>binding</c>): the body, as
    /// sent, acts on the object; the answer is upstream's Success Status.
    /// </summary>
    public virtual ValueTask CreateOnAsync(Registry<T> registry, ObjectKey key, string subresource, ReadOnlyMemory<byte> body, bool dryRun,
        CancellationToken cancellationToken) => throw StatusErrors.RouteNotFound().AsException();

    /// <summary>Whether an update that leaves a deleted object without finalizers removes it (<c>ShouldDeleteDuringUpdate</c>).</summary>
    public virtual bool DeletesOnUpdate(T value, V1ObjectMeta old) => ShouldDeleteDuringUpdate(value.Metadata, old);

    /// <summary>The generic rule: no finalizers are left on an object being deleted with no grace period left.</summary>
    public static bool ShouldDeleteDuringUpdate(V1ObjectMeta updated, V1ObjectMeta stored) =>
        updated.Finalizers is not { Count: > 0 } && stored.DeletionTimestamp is not null && (stored.DeletionGracePeriodSeconds ?? 0) == 0;
}
