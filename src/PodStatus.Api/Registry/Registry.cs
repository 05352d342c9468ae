using System.Globalization;
using FluentValidation.Results;
using k8s;
using k8s.Models;
using PodStatus.Api.Errors;
using PodStatus.Api.Schema;
using PodStatus.Api.Storage;
using PodStatus.Api.Validation;
using PodStatus.Api.Watch;

namespace PodStatus.Api.Registry;

/// <summary>
/// One resource as kube-apiserver's generic registry serves it (<c>apiserver/pkg/registry/generic/registry/store.go</c>
/// with <c>rest/create.go</c>, <c>update.go</c>, <c>delete.go</c>): request checks in upstream's order, the resource's
/// strategy, validation, admission, and compare-and-swap writes retried against newer stored versions
/// (<c>GuaranteedUpdate</c>). What differs between resources is the strategy's; this is the same for all.
/// </summary>
public class Registry<T> : IRegistry
    where T : class, IKubernetesObject<V1ObjectMeta>, new()
{
    /// <summary>How often a generated name is retried when it collides.</summary>
    private const int GenerateNameAttempts = 8;

    private readonly TimeProvider _clock;
    private readonly GracefulDeletion _gracefulDeletion;
    private readonly INamespaceAdmission? _admission;

    public Registry(Strategy<T> strategy, IStore store, WatchCache cache, TimeProvider clock, GracefulDeletion gracefulDeletion, INamespaceAdmission? admission)
    {
        Strategy = strategy;
        Store = store;
        Cache = cache;
        _clock = clock;
        _gracefulDeletion = gracefulDeletion;
        // Namespaced objects are created only in namespaces that exist and are not being deleted.
        _admission = strategy.Resource.Namespaced ? admission : null;
    }

    public Strategy<T> Strategy { get; }

    public ApiResource Resource => Strategy.Resource;

    public IStore Store { get; }

    public WatchCache Cache { get; }

    private GroupResource GroupResource => Resource.GroupResource;

    public async ValueTask<StoredObject> GetAsync(ObjectKey key, CancellationToken cancellationToken) =>
        await Store.GetAsync(key, consistent: true, cancellationToken) ?? throw StatusErrors.NotFound(GroupResource, key.Name).AsException();

    /// <summary>
    /// Lists objects in key order, filtered by the selectors, one page at a time. Every page is read at the first
    /// page's revision, as etcd serves upstream's; a revision no longer kept is 410 Expired, with a token that
    /// goes on from the current state for clients that accept an inconsistent remainder. The first page is read at
    /// <paramref name="exactRevision"/> when one is given (<c>resourceVersionMatch=Exact</c>), else as the objects stand now.
    /// </summary>
    public async ValueTask<ListPage> ListAsync(string? @namespace, ListOptions options, long? exactRevision, CancellationToken cancellationToken)
    {
        var token = options.Continue;
        var snapshot = token is { ResourceVersion: > 0 }
            ? await Store.ListAtAsync(@namespace, token.ResourceVersion, cancellationToken)
                // Upstream's token for the remainder carries revision -1: read from the current state.
                ?? throw StatusErrors.ContinueExpired((token with { ResourceVersion = -1 }).Encode()).AsException()
            : exactRevision is { } exact
                ? await Store.ListAtAsync(@namespace, exact, cancellationToken) ?? throw StatusErrors.ListExpired().AsException()
                : await Store.ListAsync(@namespace, cancellationToken);
        var candidates = snapshot.ReadAsync(token?.After, cancellationToken);
        var filtered = !options.Labels.IsEmpty || !options.Fields.IsEmpty;
        if (filtered)
        {
            candidates = candidates.Where(value => value.Object.Matches(options.Labels, options.Fields));
        }

        if (options.Limit is not { } limit)
        {
            // Streamed as it is read; the page releases the snapshot when it has been sent.
            return new ListPage(candidates, snapshot.ResourceVersion, null, null, snapshot);
        }

        using (snapshot)
        {
            var page = new List<StoredObject>(Math.Min(limit, 1024));
            var more = false;
            await foreach (var value in candidates)
            {
                if (page.Count == limit)
                {
                    more = true;
                    break;
                }

                page.Add(value);
            }

            if (!more)
            {
                return new ListPage(page.ToAsyncEnumerable(), snapshot.ResourceVersion, null, null);
            }

            var last = page[^1].Key;
            var next = new ContinueToken(snapshot.ResourceVersion, last).Encode();
            snapshot.KeepForLaterPages();
            // Upstream counts what remains only when no selector filters the list.
            return new ListPage(
                page.ToAsyncEnumerable(), snapshot.ResourceVersion, next, filtered ? null : await snapshot.CountAsync(last, cancellationToken));
        }
    }

    /// <summary>
    /// POST: a new object in <paramref name="namespace"/> (empty for a cluster-scoped resource), sent in
    /// <paramref name="requestVersion"/> (the stored version when null).
    /// </summary>
    public async ValueTask<StoredObject> CreateAsync(string @namespace, T value, bool dryRun, CancellationToken cancellationToken, string? requestVersion = null)
    {
        var meta = value.Metadata;
        if (_admission is not null)
        {
            // Admission names the object as upstream's does before a name is generated: its name, or its prefix.
            var name = meta.Name is { Length: > 0 } given ? given : meta.GenerateName is { Length: > 0 } prefix ? prefix : "Unknown";
            await _admission.AdmitCreateAsync(Resource, @namespace, name, cancellationToken);
        }

        CheckNamespace(meta, @namespace);
        if (!string.IsNullOrEmpty(meta.ResourceVersion))
        {
            throw StatusErrors.BadRequest("resourceVersion should not be set on objects to be created").AsException();
        }

        // rest.BeforeCreate: what a client may not choose, then the strategy's own preparation, then validation.
        var generated = string.IsNullOrEmpty(meta.Name) && !string.IsNullOrEmpty(meta.GenerateName);
        meta.DeletionTimestamp = null;
        meta.DeletionGracePeriodSeconds = null;
        Strategy.PrepareForCreate(value);
        if (generated)
        {
            meta.Name = GeneratedNames.From(meta.GenerateName);
        }

        meta.Uid = Guid.NewGuid().ToString();
        meta.CreationTimestamp = Now();
        var failures = new List<ValidationFailure>();
        ObjectMetaRules.ForCreate(meta, Resource.Namespaced, Strategy.NameRule, failures);
        failures.AddRange(Strategy.ValidateCreate(value, requestVersion ?? Resource.GroupVersion));
        failures.ThrowIfAny(QualifiedKind, meta.Name ?? "");
        Strategy.Canonicalize(value);
        if (dryRun)
        {
            return await Store.GetAsync(new ObjectKey(meta.NamespaceProperty ?? "", meta.Name ?? ""), consistent: true, cancellationToken) is null
                ? new StoredObject(Strategy.Encode(value), 0)
                : throw StatusErrors.AlreadyExists(GroupResource, meta.Name ?? "").AsException();
        }

        for (var attempt = 1; ; attempt++)
        {
            var created = await Store.CreateAsync(Strategy.Encode(value), cancellationToken);
            if (created is not null)
            {
                return created;
            }

            if (!generated || attempt == GenerateNameAttempts)
            {
                throw StatusErrors.AlreadyExists(GroupResource, meta.Name ?? "").AsException();
            }

            meta.Name = GeneratedNames.From(meta.GenerateName);
        }
    }

    /// <summary>
    /// PUT on the object or one of its subresources (<c>status</c>, <c>finalize</c>): the strategy of that
    /// subresource decides what the write may change. The body's uid and resourceVersion are preconditions. Where the
    /// resource allows it, a PUT of an object that does not exist creates it (201).
    /// </summary>
    public async ValueTask<(StoredObject Value, bool Created)> ReplaceAsync(
        ObjectKey key, T value, string subresource, bool dryRun, CancellationToken cancellationToken, string? requestVersion = null)
    {
        CheckIdentity(value.Metadata, key);
        if (subresource.Length == 0 && Strategy.AllowCreateOnUpdate && await Store.GetAsync(key, consistent: true, cancellationToken) is null)
        {
            try
            {
                return (await CreateAsync(key.Namespace, value, dryRun, cancellationToken, requestVersion), true);
            }
            catch (StatusException error) when (error.Status.Reason == "AlreadyExists")
            {
                // Created meanwhile: replace it after all.
            }
        }

        return (await UpdateAsync(key, _ => value, subresource, uidIsPrecondition: true, dryRun, cancellationToken, requestVersion), false);
    }

    /// <summary>
    /// GuaranteedUpdate: reads the current object, computes what it should become (<paramref name="objectFor"/>: the
    /// body of a PUT, or a patch applied to the current object), checks the preconditions against it, prepares and
    /// validates the new version, and writes it if the object has not changed meanwhile; otherwise it starts again.
    /// A patch's resourceVersion, if it sets one, is a precondition; its changed uid is an immutable-field error.
    /// </summary>
    public async ValueTask<StoredObject> UpdateAsync(
        ObjectKey key, Func<StoredObject, T> objectFor, string subresource, bool uidIsPrecondition, bool dryRun, CancellationToken cancellationToken,
        string? requestVersion = null)
    {
        // The first try may start from the version the store already holds, as upstream's GuaranteedUpdate starts
        // from its cached object: the write is conditional on it anyway, so a stale one costs a retry, not a wrong write.
        var consistent = dryRun;
        while (true)
        {
            var current = consistent
                ? await GetAsync(key, cancellationToken)
                : await Store.GetAsync(key, consistent: false, cancellationToken) ?? throw StatusErrors.NotFound(GroupResource, key.Name).AsException();
            EncodedObject updated;
            bool deleteInstead;
            try
            {
                var sent = objectFor(current);
                CheckIdentity(sent.Metadata, key);
                CheckPreconditions(current, sent.Metadata, uidIsPrecondition);
                (updated, deleteInstead) = Strategy.FastUpdate(current, sent, subresource) ?? Prepare(current, sent, subresource, requestVersion ?? Resource.GroupVersion);
            }
            catch (StatusException) when (!consistent)
            {
                // Judged against a version that may be out of date: judge again against the stored one.
                consistent = true;
                continue;
            }

            if (dryRun)
            {
                // Everything a write does but the write itself.
                updated.ReleaseDecoded();
                return updated.SameContentAs(current.Object) ? current : new StoredObject(updated, current.ResourceVersion);
            }

            if (deleteInstead)
            {
                updated.ReleaseDecoded();
                if (await Store.DeleteAsync(current, cancellationToken) is { } revision)
                {
                    current.Object.ReleaseDecoded();
                    return new StoredObject(updated, revision);
                }

                continue;
            }

            // An unchanged object is not written: same resourceVersion, no event (once it is sure to be current).
            if (updated.SameContentAs(current.Object))
            {
                updated.ReleaseDecoded();
                if (consistent)
                {
                    return current;
                }

                consistent = true;
                continue;
            }

            if (await Store.UpdateAsync(current, updated, cancellationToken) is { } written)
            {
                current.Object.ReleaseDecoded();
                return written;
            }

            updated.ReleaseDecoded();
        }
    }

    /// <summary>
    /// The storage's own GuaranteedUpdate, for what the server writes past the strategies (a namespace marked for
    /// deletion, a pod's binding): <paramref name="change"/> applied to the current object, written if it has not
    /// changed meanwhile.
    /// </summary>
    public ValueTask<StoredObject> WriteAsync(ObjectKey key, Action<T> change, bool dryRun, CancellationToken cancellationToken) =>
        WriteAsync(key, (_, value) => change(value), dryRun, cancellationToken);

    /// <summary>The same, with the stored version the change is made to (for its preconditions).</summary>
    public async ValueTask<StoredObject> WriteAsync(ObjectKey key, Action<StoredObject, T> change, bool dryRun, CancellationToken cancellationToken)
    {
        while (true)
        {
            var current = await GetAsync(key, cancellationToken);
            var value = Strategy.Decode(current.Object);
            change(current, value);
            var updated = Strategy.Encode(value);
            if (dryRun)
            {
                return new StoredObject(updated, current.ResourceVersion);
            }

            if (await Store.UpdateAsync(current, updated, cancellationToken) is { } written)
            {
                return written;
            }
        }
    }

    /// <summary>The update's preconditions (<c>GuaranteedUpdate</c> with the store's checks): the uid, then the resourceVersion.</summary>
    private void CheckPreconditions(StoredObject current, V1ObjectMeta sent, bool uidIsPrecondition)
    {
        var uid = sent.Uid;
        if (uidIsPrecondition && !string.IsNullOrEmpty(uid) && !current.Object.HasUid(uid))
        {
            throw StatusErrors.UidPreconditionFailed(GroupResource, current.Key.Name, StorageKey(current.Key), uid, current.Object.Uid).AsException();
        }

        // resourceVersion is an optimistic lock; without one the update is unconditional where the strategy allows it.
        if (ParseResourceVersion(sent.ResourceVersion) is not { } expected)
        {
            if (!Strategy.AllowUnconditionalUpdate)
            {
                // Upstream names the resource, not the kind, in this 422 (a TODO of its own).
                new[] { FieldError.Invalid("metadata.resourceVersion", 0, "must be specified for an update") }.ThrowIfAny($"{GroupResource}", current.Key.Name);
            }
        }
        else if (expected != current.ResourceVersion)
        {
            throw StatusErrors.ObjectModified(GroupResource, current.Key.Name).AsException();
        }
    }

    /// <summary>
    /// rest.BeforeUpdate: fields the client may not change are taken from the stored object, the strategy prepares
    /// the rest, and the result is validated. Returns the new stored form and whether the update deletes instead.
    /// </summary>
    private (EncodedObject, bool) Prepare(StoredObject current, T sent, string subresource, string requestVersion)
    {
        var old = Strategy.Decode(current.Object);
        // A write may be retried against a newer version: each attempt works on copies, and leaves the body as it came.
        var value = Shallow.Copy(sent);
        var meta = value.Metadata = Shallow.Copy(sent.Metadata);
        var oldMeta = old.Metadata;
        meta.Generation = oldMeta.Generation;
        Strategy.PrepareForUpdate(value, old, subresource);
        PreserveSystemFields(meta, oldMeta);
        var failures = new List<ValidationFailure>();
        ObjectMetaRules.ForUpdate(meta, oldMeta, failures);
        failures.AddRange(Strategy.ValidateUpdate(value, old, subresource, requestVersion));
        failures.ThrowIfAny(QualifiedKind, current.Key.Name);
        Strategy.Canonicalize(value);
        var updated = Strategy.Encode(value);
        updated.ShareUnchanged(current.Object);
        return (updated, Strategy.DeletesOnUpdate(value, oldMeta));
    }

    /// <summary>rest.BeforeUpdate's rules for the fields only the server sets: the stored uid (when none is sent),
    /// creationTimestamp, deletionTimestamp and deletionGracePeriodSeconds, and managedFields.</summary>
    public static void PreserveSystemFields(V1ObjectMeta meta, V1ObjectMeta stored)
    {
        if (string.IsNullOrEmpty(meta.Uid))
        {
            meta.Uid = stored.Uid;
        }

        meta.CreationTimestamp = stored.CreationTimestamp;
        meta.DeletionTimestamp = stored.DeletionTimestamp;
        if (stored.DeletionGracePeriodSeconds is not null && meta.DeletionGracePeriodSeconds is null)
        {
            meta.DeletionGracePeriodSeconds = stored.DeletionGracePeriodSeconds;
        }

        meta.ManagedFields = stored.ManagedFields;
    }

    /// <summary>
    /// DELETE on a collection (<c>Store.DeleteCollection</c> in upstream's <c>registry/generic/registry/store.go</c>): the
    /// objects a list with these options finds (one page when it names a limit), each deleted as a DELETE of it would
    /// be, one after another as kube-apiserver's one <c>--delete-collection-workers</c> does; one already gone is passed
    /// over. Returns the objects as they were listed. Not atomic, as upstream's is not: an error ends it part way.
    /// </summary>
    public async ValueTask<ListPage> DeleteCollectionAsync(string? @namespace, ListOptions options, V1DeleteOptions deleteOptions, CancellationToken cancellationToken)
    {
        var listed = new List<StoredObject>();
        using (var page = await ListAsync(@namespace, options, null, cancellationToken))
        {
            await foreach (var value in page.Items.WithCancellation(cancellationToken))
            {
                listed.Add(value);
            }

            foreach (var value in listed)
            {
                try
                {
                    await DeleteAsync(value.Key, deleteOptions, cancellationToken);
                }
                catch (StatusException gone) when (gone.Status.Code == StatusCodes.Status404NotFound)
                {
                }
            }

            return new ListPage(listed.ToAsyncEnumerable(), page.ResourceVersion, page.Continue, null);
        }
    }

    /// <summary>
    /// DELETE: at once, unless the strategy gives the object a grace period (pods), or finalizers hold it: then it is
    /// marked with deletionTimestamp, and removed when the grace period ends or the last finalizer is removed.
    /// Returns the object and whether it is gone.
    /// </summary>
    public virtual async ValueTask<(StoredObject Value, bool Removed)> DeleteAsync(ObjectKey key, V1DeleteOptions options, CancellationToken cancellationToken)
    {
        var dryRun = options.DryRun?.Contains("All") == true;
        while (true)
        {
            var current = await GetAsync(key, cancellationToken);
            CheckDeletePreconditions(current, options.Preconditions);
            var meta = current.Object.DecodeMetadata();
            var strategyGrace = Strategy.GracePeriod(current, options.GracePeriodSeconds);
            var graceful = strategyGrace is not null;
            var grace = graceful ? GracePeriod(meta, strategyGrace!.Value, options.GracePeriodSeconds) : 0;
            if (grace is null)
            {
                // A graceful deletion already under way and not shortened: nothing is written.
                return (current, false);
            }

            var finalizers = meta.Finalizers is { Count: > 0 };
            var marked = current;
            var marks = graceful ? meta.DeletionTimestamp is null || meta.DeletionGracePeriodSeconds != grace : finalizers && (meta.DeletionGracePeriodSeconds != 0 || meta.DeletionTimestamp is null);
            if (marks)
            {
                if (graceful)
                {
                    MarkGracefully(meta, grace.Value);
                }
                else
                {
                    MarkAsDeleting(meta);
                }

                var markedObject = Strategy.Encode(WithMetadata(current, meta));
                if (dryRun)
                {
                    // The object as the deletion would mark it, as upstream answers a dry run.
                    return (new StoredObject(markedObject, current.ResourceVersion), false);
                }

                var updated = await Store.UpdateAsync(current, markedObject, cancellationToken);
                if (updated is null)
                {
                    continue;
                }

                marked = updated;
            }

            // Finalizers hold the object until they are removed; a grace period holds it until it ends.
            if (dryRun || finalizers || grace > 0)
            {
                if (grace > 0 && !dryRun)
                {
                    _gracefulDeletion.Schedule(marked, meta.DeletionTimestamp!.Value, FinishDeletionAsync);
                }

                return (marked, false);
            }

            if (await Store.DeleteAsync(marked, cancellationToken) is { } revision)
            {
                return (marked with { ResourceVersion = revision }, true);
            }
        }
    }

    /// <summary>A graceful deletion's mark: the deadline, the grace period, and (the first time) a new generation.</summary>
    private void MarkGracefully(V1ObjectMeta meta, long grace)
    {
        if (meta.DeletionTimestamp is { } pending)
        {
            meta.DeletionTimestamp = pending.AddSeconds(grace - (meta.DeletionGracePeriodSeconds ?? 0));
        }
        else
        {
            meta.DeletionTimestamp = Now().AddSeconds(grace);
            meta.Generation++;
        }

        meta.DeletionGracePeriodSeconds = grace;
    }

    /// <summary>markAsDeleting, for an object finalizers hold: deleted now, no grace, a new generation the first time.</summary>
    private void MarkAsDeleting(V1ObjectMeta meta)
    {
        if (meta.DeletionTimestamp is null && meta.Generation > 0)
        {
            meta.Generation++;
        }

        var now = Now();
        if (meta.DeletionTimestamp is not { } existing || existing > now)
        {
            meta.DeletionTimestamp = now;
        }

        meta.DeletionGracePeriodSeconds = 0;
    }

    /// <summary>The stored object with other metadata, for the deletion's mark.</summary>
    private T WithMetadata(StoredObject current, V1ObjectMeta meta)
    {
        var value = Strategy.Decode(current.Object);
        value.Metadata = meta;
        return value;
    }

    /// <summary>Picks up a graceful deletion that was under way when the object was loaded (seeded).</summary>
    public void ResumeGracefulDeletion(StoredObject value)
    {
        // Only an object whose stored metadata names a deletionTimestamp can be terminating: the rest (nearly all of
        // a large seed) are not decoded.
        if (value.Object.Head.IndexOf("\"deletionTimestamp\""u8) < 0)
        {
            return;
        }

        var meta = value.Object.DecodeMetadata();
        if (meta.DeletionTimestamp is { } deadline && meta.DeletionGracePeriodSeconds > 0)
        {
            _gracefulDeletion.Schedule(value, deadline, FinishDeletionAsync);
        }
    }

    /// <summary>The final delete once the grace period has passed (the kubelet's, for a pod): no grace, same object (uid).</summary>
    private async Task FinishDeletionAsync(StoredObject value)
    {
        var options = new V1DeleteOptions { GracePeriodSeconds = 0, Preconditions = new V1Preconditions { Uid = value.Object.Uid } };
        try
        {
            await DeleteAsync(value.Key, options, CancellationToken.None);
        }
        catch (StatusException error) when (error.Status.Code is 404 or 409)
        {
            // Already gone, or replaced by a new object of the same name: nothing left to do.
        }
    }

    /// <summary>
    /// BeforeDelete for a graceful strategy: a pending deletion may only be shortened (null: it is not, and nothing
    /// is written); otherwise the strategy's grace period, a negative one taken as 1 s.
    /// </summary>
    private static long? GracePeriod(V1ObjectMeta meta, long strategyGrace, long? requested)
    {
        if (meta.DeletionTimestamp is not null)
        {
            var pendingGrace = meta.DeletionGracePeriodSeconds ?? 0;
            if (pendingGrace == 0)
            {
                return 0;
            }

            // Only a shorter grace period may be given once deletion has started.
            return requested is { } shorter && shorter < pendingGrace ? Math.Max(shorter, 0) : null;
        }

        return strategyGrace < 0 ? 1 : strategyGrace;
    }

    /// <summary>The body must name the object of the URL; an empty namespace is taken from the URL.</summary>
    private void CheckIdentity(V1ObjectMeta meta, ObjectKey key)
    {
        CheckNamespace(meta, key.Namespace);
        if (meta.Name != key.Name)
        {
            throw StatusErrors.BadRequest($"the name of the object ({meta.Name}) does not match the name on the URL ({key.Name})").AsException();
        }
    }

    /// <summary>
    /// EnsureObjectNamespaceMatchesRequestNamespace: a namespaced object takes the URL's namespace when it names none
    /// and must not name another; a cluster-scoped object's namespace is dropped.
    /// </summary>
    private void CheckNamespace(V1ObjectMeta meta, string @namespace)
    {
        if (!Resource.Namespaced)
        {
            meta.NamespaceProperty = null;
        }
        else if (string.IsNullOrEmpty(meta.NamespaceProperty))
        {
            meta.NamespaceProperty = @namespace;
        }
        else if (meta.NamespaceProperty != @namespace)
        {
            throw StatusErrors.BadRequest("the namespace of the provided object does not match the namespace sent on the request").AsException();
        }
    }

    private void CheckDeletePreconditions(StoredObject current, V1Preconditions? preconditions)
    {
        var key = current.Key;
        if (preconditions?.Uid is { Length: > 0 } uid && !current.Object.HasUid(uid))
        {
            throw StatusErrors.UidPreconditionFailed(GroupResource, key.Name, StorageKey(key), uid, current.Object.Uid).AsException();
        }

        if (preconditions?.ResourceVersion is { Length: > 0 } rv && ParseResourceVersion(rv) != current.ResourceVersion)
        {
            throw StatusErrors.ResourceVersionPreconditionFailed(GroupResource, key.Name, StorageKey(key), rv,
                current.ResourceVersion.ToString(CultureInfo.InvariantCulture)).AsException();
        }
    }

    /// <summary>The object's key as upstream's storage errors name it, under the default prefix.</summary>
    private string StorageKey(ObjectKey key) => $"/registry/{Strategy.StorageName}/{key}";

    /// <summary>The kind as validation errors name it: <c>Pod</c>, <c>Lease.coordination.k8s.io</c>.</summary>
    private string QualifiedKind => Resource.Group.Length == 0 ? Resource.Kind : $"{Resource.Kind}.{Resource.Group}";

    private static long? ParseResourceVersion(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        return long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed)
            ? parsed
            : throw StatusErrors.BadRequest(
                $"metadata.resourceVersion: Invalid value: {FieldError.Quote(value)}: must be a decimal number").AsException();
    }

    /// <summary>Time as metav1.Time keeps it: whole seconds, UTC.</summary>
    public DateTime Now() => Timestamps.Truncate(_clock.GetUtcNow());

    // The non-generic face, for what works across resources (seeding, namespace deletion, metrics).
    async ValueTask<(StoredObject Value, bool Removed)> IRegistry.DeleteAsync(ObjectKey key, V1DeleteOptions options, CancellationToken cancellationToken) =>
        await DeleteAsync(key, options, cancellationToken);

    public StoredObject ReadSeed(ReadOnlySpan<byte> json, DateTime now, string where)
    {
        var value = System.Text.Json.JsonSerializer.Deserialize(json, Strategy<T>.Json) ?? throw new InvalidDataException($"{where}expected an object");
        var meta = value.Metadata ?? throw new InvalidDataException($"{where}metadata is required");
        if (string.IsNullOrEmpty(meta.Name))
        {
            throw new InvalidDataException($"{where}metadata.name is required");
        }

        meta.NamespaceProperty = Resource.Namespaced ? meta.NamespaceProperty ?? "default" : null;
        meta.Uid ??= Guid.NewGuid().ToString();
        meta.CreationTimestamp ??= now;
        var resourceVersion = string.IsNullOrEmpty(meta.ResourceVersion)
            ? 0
            : long.TryParse(meta.ResourceVersion, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) && parsed > 0
                ? parsed
                : throw new InvalidDataException($"{where}metadata.resourceVersion {meta.ResourceVersion} is not a positive integer");
        var encoded = Strategy.Encode(value);
        // Seeded objects are not being written: their decoded forms need not stay cached.
        encoded.ReleaseDecoded();
        return new StoredObject(encoded, resourceVersion);
    }
}
