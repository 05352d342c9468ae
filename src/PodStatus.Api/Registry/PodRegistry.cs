using System.Buffers;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using FluentValidation;
using k8s.Models;
using PodStatus.Api.Errors;
using PodStatus.Api.Patching;
using PodStatus.Api.Selection;
using PodStatus.Api.Serialization;
using PodStatus.Api.Storage;
using PodStatus.Api.Validation;

namespace PodStatus.Api.Registry;

/// <summary>
/// The pods resource and its status subresource, as kube-apiserver's generic registry serves them: request
/// checks in upstream's order, strategies, validation, and compare-and-swap writes retried against newer
/// stored versions (<c>GuaranteedUpdate</c>).
/// </summary>
public sealed class PodRegistry(
    IPodStore store,
    TimeProvider clock,
    GracefulDeletion gracefulDeletion,
    IValidator<V1Pod> createValidator,
    IValidator<PodUpdate> updateValidator,
    IValidator<PodStatusUpdate> statusValidator)
{
    /// <summary>How often a generated name is retried when it collides.</summary>
    private const int GenerateNameAttempts = 8;

    public async ValueTask<StoredPod> GetAsync(PodKey key, CancellationToken cancellationToken) =>
        await store.GetAsync(key, consistent: true, cancellationToken) ?? throw StatusErrors.NotFound(key.Name).AsException();

    /// <summary>
    /// Lists pods in key order, filtered by the selectors, one page at a time. Every page is read at the first
    /// page's revision, as etcd serves upstream's; a revision no longer kept is 410 Expired, with a token that
    /// goes on from the current state for clients that accept an inconsistent remainder. The first page is read at
    /// <paramref name="exactRevision"/> when one is given (<c>resourceVersionMatch=Exact</c>), else as the pods stand now.
    /// </summary>
    public async ValueTask<PodListPage> ListAsync(string? @namespace, PodListOptions options, long? exactRevision, CancellationToken cancellationToken)
    {
        var token = options.Continue;
        var snapshot = token is { ResourceVersion: > 0 }
            ? await store.ListAtAsync(@namespace, token.ResourceVersion, cancellationToken)
                // Upstream's token for the remainder carries revision -1: read from the current state.
                ?? throw StatusErrors.ContinueExpired((token with { ResourceVersion = -1 }).Encode()).AsException()
            : exactRevision is { } exact
                ? await store.ListAtAsync(@namespace, exact, cancellationToken) ?? throw StatusErrors.ListExpired().AsException()
                : await store.ListAsync(@namespace, cancellationToken);
        var candidates = snapshot.ReadAsync(token?.After, cancellationToken);
        var filtered = !options.Labels.IsEmpty || !options.Fields.IsEmpty;
        if (filtered)
        {
            candidates = candidates.Where(pod =>
                options.Labels.Matches(pod.Pod.Fields) && options.Fields.Matches(pod.Pod));
        }

        if (options.Limit is not { } limit)
        {
            // Streamed as it is read; the page releases the snapshot when it has been sent.
            return new PodListPage(candidates, snapshot.ResourceVersion, null, null, snapshot);
        }

        using (snapshot)
        {
            var page = new List<StoredPod>(Math.Min(limit, 1024));
            var more = false;
            await foreach (var pod in candidates)
            {
                if (page.Count == limit)
                {
                    more = true;
                    break;
                }

                page.Add(pod);
            }

            if (!more)
            {
                return new PodListPage(page.ToAsyncEnumerable(), snapshot.ResourceVersion, null, null);
            }

            var last = page[^1].Key;
            var next = new ContinueToken(snapshot.ResourceVersion, last).Encode();
            snapshot.KeepForLaterPages();
            // Upstream counts what remains only when no selector filters the list.
            return new PodListPage(
                page.ToAsyncEnumerable(), snapshot.ResourceVersion, next, filtered ? null : await snapshot.CountAsync(last, cancellationToken));
        }
    }

    public async ValueTask<StoredPod> CreateAsync(string @namespace, PodRequest request, bool dryRun, CancellationToken cancellationToken)
    {
        var meta = request.Metadata;
        CheckNamespace(meta, @namespace);
        if (!string.IsNullOrEmpty(meta.ResourceVersion))
        {
            throw StatusErrors.BadRequest("resourceVersion should not be set on objects to be created").AsException();
        }

        var generated = string.IsNullOrEmpty(meta.Name) && !string.IsNullOrEmpty(meta.GenerateName);
        var pod = new V1Pod { Metadata = meta, Spec = request.Spec };
        PodStrategy.PrepareForCreate(pod, Now());
        createValidator.ValidateOrThrow(pod, meta.Name ?? "");
        if (dryRun)
        {
            return await store.GetAsync(new PodKey(@namespace, pod.Metadata.Name), consistent: true, cancellationToken) is null
                ? new StoredPod(EncodedPod.Encode(pod), 0)
                : throw StatusErrors.AlreadyExists(pod.Metadata.Name).AsException();
        }

        for (var attempt = 1; ; attempt++)
        {
            var created = await store.CreateAsync(EncodedPod.Encode(pod), cancellationToken);
            if (created is not null)
            {
                return created;
            }

            if (!generated || attempt == GenerateNameAttempts)
            {
                throw StatusErrors.AlreadyExists(pod.Metadata.Name).AsException();
            }

            pod.Metadata.Name = PodStrategy.GenerateName(meta.GenerateName);
        }
    }

    /// <summary>PUT on the pod: spec and metadata from the request (within the update rules), status kept.</summary>
    public ValueTask<StoredPod> ReplaceAsync(PodKey key, PodRequest request, bool dryRun, CancellationToken cancellationToken)
    {
        CheckIdentity(request.Metadata, key);
        return UpdateAsync(key, _ => request, uidIsPrecondition: true, PrepareReplace, dryRun, cancellationToken);
    }

    /// <summary>PUT on pods/status: status from the request, spec as stored (its bytes are reused as they are).</summary>
    public ValueTask<StoredPod> ReplaceStatusAsync(PodKey key, PodRequest request, bool dryRun, CancellationToken cancellationToken)
    {
        CheckIdentity(request.Metadata, key);
        return UpdateAsync(key, _ => request, uidIsPrecondition: true, PrepareStatusReplace, dryRun, cancellationToken);
    }

    /// <summary>
    /// PATCH on the pod or its status: the patch is applied to the current pod (again on each retry), and the
    /// result goes through the same update as a PUT. Its resourceVersion, if it sets one, is a precondition; a
    /// changed uid is an immutable-field error, not a precondition.
    /// </summary>
    public async ValueTask<(StoredPod Pod, IReadOnlyList<string> Warnings)> PatchAsync(
        PodKey key, PatchType type, byte[] patch, bool statusOnly, WriteOptions options, CancellationToken cancellationToken)
    {
        IReadOnlyList<string> warnings = [];
        var pod = await UpdateAsync(key, current =>
        {
            var buffer = new ArrayBufferWriter<byte>(current.Pod.Length + 64);
            PodWriter.Write(buffer, current, "");
            var patched = PodPatch.Apply(JsonNode.Parse(buffer.WrittenSpan)!.AsObject(), patch, type);
            buffer.ResetWrittenCount();
            using (var writer = new Utf8JsonWriter(buffer, KubeJson.WriterOptions))
            {
                // A writer of its own: the serializer's default options stop at 64 levels, short of what a body may nest.
                patched.WriteTo(writer);
            }

            var request = PodRequest.Parse(new ReadOnlySequence<byte>(buffer.WrittenMemory), readSpec: !statusOnly, options.FieldValidation);
            CheckIdentity(request.Metadata, key);
            warnings = request.Warnings;
            return request;
        }, uidIsPrecondition: false, statusOnly ? PrepareStatusReplace : PrepareReplace, options.DryRun, cancellationToken);
        return (pod, warnings);
    }

    private (EncodedPod Pod, bool DeleteInstead) PrepareReplace(StoredPod current, PodRequest request)
    {
        var old = current.Pod.Decode();
        var meta = PodStrategy.PrepareMetadataForUpdate(request.Metadata, old.Metadata);
        var spec = request.Spec ?? new V1PodSpec();
        PodDefaults.Apply(spec);
        // Upstream defaults what it reads from storage too, so a pod seeded without defaults compares as defaulted.
        PodDefaults.Apply(old.Spec);
        var pod = new V1Pod { Metadata = meta, Spec = spec, Status = old.Status };
        var encoded = EncodedPod.Encode(pod);
        if (!encoded.SpecJson.SequenceEqual(JsonSerializer.SerializeToUtf8Bytes(old.Spec, KubeJson.Spec)))
        {
            // Spec changes bump the generation (1.33+).
            meta.Generation = (old.Metadata.Generation ?? 0) + 1;
            encoded = encoded.WithMetadata(meta);
        }

        updateValidator.ValidateOrThrow(new PodUpdate(pod, old), current.Key.Name);
        return (encoded, PodStrategy.DeletesOnUpdate(meta, old.Metadata));
    }

    private (EncodedPod Pod, bool DeleteInstead) PrepareStatusReplace(StoredPod current, PodRequest request)
    {
        var storedMeta = current.Pod.Metadata;
        var storedStatus = current.Pod.Status;
        var (meta, status) = PodStrategy.PrepareForStatusUpdate(request.Metadata, request.Status, storedMeta, storedStatus);
        var spec = new Lazy<V1PodSpec>(current.Pod.DecodeSpec);
        statusValidator.ValidateOrThrow(new PodStatusUpdate(meta, status, storedMeta, storedStatus, spec), current.Key.Name);
        return (current.Pod.WithStatus(meta, status), PodStrategy.DeletesOnUpdate(meta, storedMeta));
    }

    /// <summary>
    /// DELETE: at once when the pod is unscheduled, terminal or given no grace period; otherwise the pod is marked
    /// with deletionTimestamp and removed when the grace period ends. Returns the pod and whether it is gone.
    /// </summary>
    public async ValueTask<(StoredPod Pod, bool Removed)> DeleteAsync(PodKey key, V1DeleteOptions options, CancellationToken cancellationToken)
    {
        var dryRun = options.DryRun?.Contains("All") == true;
        while (true)
        {
            var current = await GetAsync(key, cancellationToken);
            CheckDeletePreconditions(current, options.Preconditions);
            var meta = current.Pod.DecodeMetadata();
            var grace = GracePeriod(current, meta, options.GracePeriodSeconds);
            if (grace is null)
            {
                // A graceful deletion already under way and not shortened: nothing is written.
                return (current, false);
            }

            var marked = current;
            if (meta.DeletionTimestamp is null || meta.DeletionGracePeriodSeconds != grace)
            {
                if (meta.DeletionTimestamp is { } pending)
                {
                    meta.DeletionTimestamp = pending.AddSeconds(grace.Value - (meta.DeletionGracePeriodSeconds ?? 0));
                }
                else
                {
                    meta.DeletionTimestamp = Now().AddSeconds(grace.Value);
                    meta.Generation++; // The first graceful deletion bumps the generation.
                }

                meta.DeletionGracePeriodSeconds = grace;
                if (dryRun)
                {
                    // The pod as the deletion would mark it, as upstream answers a dry run.
                    return (new StoredPod(current.Pod.WithMetadata(meta), current.ResourceVersion), false);
                }

                var updated = await store.UpdateAsync(current, current.Pod.WithMetadata(meta), cancellationToken);
                if (updated is null)
                {
                    continue;
                }

                marked = updated;
            }

            // Finalizers hold the pod until they are removed; a grace period holds it until it ends.
            if (dryRun || meta.Finalizers is { Count: > 0 } || grace > 0)
            {
                if (grace > 0 && !dryRun)
                {
                    gracefulDeletion.Schedule(marked, meta.DeletionTimestamp!.Value, FinishDeletionAsync);
                }

                return (marked, false);
            }

            if (await store.DeleteAsync(marked, cancellationToken) is { } revision)
            {
                return (marked with { ResourceVersion = revision }, true);
            }
        }
    }

    /// <summary>Picks up a graceful deletion that was under way when the pod was loaded (seeded).</summary>
    public void ResumeGracefulDeletion(StoredPod pod)
    {
        // Only a pod whose stored metadata names a deletionTimestamp can be terminating: the rest (nearly all of a
        // large seed) are not decoded.
        if (pod.Pod.Head.IndexOf("\"deletionTimestamp\""u8) < 0)
        {
            return;
        }

        var meta = pod.Pod.Metadata;
        if (meta.DeletionTimestamp is { } deadline && meta.DeletionGracePeriodSeconds > 0)
        {
            gracefulDeletion.Schedule(pod, deadline, FinishDeletionAsync);
        }
    }

    /// <summary>The kubelet's final delete once the grace period has passed: no grace, same pod (uid).</summary>
    private async Task FinishDeletionAsync(StoredPod pod)
    {
        var options = new V1DeleteOptions { GracePeriodSeconds = 0, Preconditions = new V1Preconditions { Uid = pod.Pod.Uid } };
        try
        {
            await DeleteAsync(pod.Key, options, CancellationToken.None);
        }
        catch (StatusException error) when (error.Status.Code is 404 or 409)
        {
            // Already gone, or replaced by a new pod of the same name: nothing left to do.
        }
    }

    /// <summary>
    /// BeforeDelete with the pod strategy's CheckGracefulDelete. Null means a graceful deletion is pending and the
    /// request does not shorten it.
    /// </summary>
    private static long? GracePeriod(StoredPod current, V1ObjectMeta meta, long? requested)
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

        var spec = current.Pod.DecodeSpec();
        var grace = requested ?? spec.TerminationGracePeriodSeconds ?? 0;
        var phase = current.Pod.Status.Phase;
        if (string.IsNullOrEmpty(spec.NodeName) || phase is "Succeeded" or "Failed")
        {
            grace = 0; // Nothing runs it, or it has finished: delete at once.
        }

        return grace < 0 ? 1 : grace;
    }

    /// <summary>
    /// GuaranteedUpdate: reads the current pod, checks the request's preconditions against it, prepares and
    /// validates the new pod, and writes it if the pod has not changed meanwhile; otherwise it starts again.
    /// </summary>
    private async ValueTask<StoredPod> UpdateAsync(
        PodKey key,
        Func<StoredPod, PodRequest> requestFor,
        bool uidIsPrecondition,
        Func<StoredPod, PodRequest, (EncodedPod Pod, bool DeleteInstead)> prepare,
        bool dryRun,
        CancellationToken cancellationToken)
    {
        // The first try may start from the version the store already holds, as upstream's GuaranteedUpdate starts
        // from its cached object: the write is conditional on it anyway, so a stale one costs a retry, not a wrong write.
        var consistent = dryRun;
        while (true)
        {
            var current = consistent
                ? await GetAsync(key, cancellationToken)
                : await store.GetAsync(key, consistent: false, cancellationToken) ?? throw StatusErrors.NotFound(key.Name).AsException();
            EncodedPod updated;
            bool deleteInstead;
            try
            {
                var request = requestFor(current);
                var uid = request.Metadata.Uid;
                if (uidIsPrecondition && !string.IsNullOrEmpty(uid) && !current.Pod.HasUid(uid))
                {
                    throw StatusErrors.UidPreconditionFailed(key.Namespace, key.Name, uid, current.Pod.Uid).AsException();
                }

                // resourceVersion is an optimistic lock; without one the update is unconditional (pods allow it).
                if (ParseResourceVersion(request.Metadata.ResourceVersion) is { } expected && expected != current.ResourceVersion)
                {
                    throw StatusErrors.ObjectModified(key.Name).AsException();
                }

                (updated, deleteInstead) = prepare(current, request);
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
                return updated.SameContentAs(current.Pod) ? current : new StoredPod(updated, current.ResourceVersion);
            }

            if (deleteInstead)
            {
                updated.ReleaseDecoded();
                if (await store.DeleteAsync(current, cancellationToken) is { } revision)
                {
                    current.Pod.ReleaseDecoded();
                    return new StoredPod(updated, revision);
                }

                continue;
            }

            // An unchanged object is not written: same resourceVersion, no event (once it is sure to be current).
            if (updated.SameContentAs(current.Pod))
            {
                updated.ReleaseDecoded();
                if (consistent)
                {
                    return current;
                }

                consistent = true;
                continue;
            }

            if (await store.UpdateAsync(current, updated, cancellationToken) is { } written)
            {
                current.Pod.ReleaseDecoded();
                return written;
            }

            updated.ReleaseDecoded();
        }
    }

    /// <summary>The body must name the pod of the URL; an empty namespace is taken from the URL.</summary>
    private static void CheckIdentity(V1ObjectMeta meta, PodKey key)
    {
        CheckNamespace(meta, key.Namespace);
        if (meta.Name != key.Name)
        {
            throw StatusErrors.BadRequest($"the name of the object ({meta.Name}) does not match the name on the URL ({key.Name})").AsException();
        }
    }

    private static void CheckNamespace(V1ObjectMeta meta, string @namespace)
    {
        if (string.IsNullOrEmpty(meta.NamespaceProperty))
        {
            meta.NamespaceProperty = @namespace;
        }
        else if (meta.NamespaceProperty != @namespace)
        {
            throw StatusErrors.BadRequest("the namespace of the provided object does not match the namespace sent on the request").AsException();
        }
    }

    private static void CheckDeletePreconditions(StoredPod current, V1Preconditions? preconditions)
    {
        var key = current.Key;
        if (preconditions?.Uid is { Length: > 0 } uid && !current.Pod.HasUid(uid))
        {
            throw StatusErrors.UidPreconditionFailed(key.Namespace, key.Name, uid, current.Pod.Uid).AsException();
        }

        if (preconditions?.ResourceVersion is { Length: > 0 } rv && ParseResourceVersion(rv) != current.ResourceVersion)
        {
            throw StatusErrors.ResourceVersionPreconditionFailed(key.Namespace, key.Name, rv,
                current.ResourceVersion.ToString(CultureInfo.InvariantCulture)).AsException();
        }
    }

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

    private DateTime Now() => PodStrategy.Truncate(clock.GetUtcNow());
}
