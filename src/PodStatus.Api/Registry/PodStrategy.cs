using k8s.Models;

namespace PodStatus.Api.Registry;

/// <summary>
/// What kube-apiserver's pod strategies and generic <c>BeforeCreate</c>/<c>BeforeUpdate</c> do to an incoming
/// pod before it is validated and stored (<c>pkg/registry/core/pod/strategy.go</c>, <c>rest/update.go</c>).
/// </summary>
internal static class PodStrategy
{
    private const string GenerateNameAlphabet = "bcdfghjklmnpqrstvwxz2456789";

    /// <summary>PrepareForCreate: server-set identity, defaults, and a fresh Pending status.</summary>
    public static void PrepareForCreate(V1Pod pod, DateTime now)
    {
        var meta = pod.Metadata;
        meta.Uid = Guid.NewGuid().ToString();
        meta.CreationTimestamp = now;
        meta.Generation = 1;
        meta.DeletionTimestamp = null;
        meta.DeletionGracePeriodSeconds = null;
        if (string.IsNullOrEmpty(meta.Name) && !string.IsNullOrEmpty(meta.GenerateName))
        {
            meta.Name = GenerateName(meta.GenerateName);
        }

        pod.Spec ??= new V1PodSpec();
        PodDefaults.Apply(pod.Spec);
        pod.Status = new V1PodStatus { Phase = "Pending", QosClass = PodDefaults.QosClass(pod.Spec) };
        if (pod.Spec.SchedulingGates is { Count: > 0 })
        {
            pod.Status.Conditions =
            [
                new V1PodCondition { Type = "PodScheduled", Status = "False", Reason = "SchedulingGated", Message = "Scheduling is blocked due to non-empty scheduling gates" },
            ];
        }
    }

    /// <summary>names.SimpleNameGenerator: the prefix plus five random characters.</summary>
    public static string GenerateName(string prefix)
    {
        // Upstream caps the prefix so the result stays a valid name.
        if (prefix.Length > 58)
        {
            prefix = prefix[..58];
        }

        return prefix + new string(Random.Shared.GetItems(GenerateNameAlphabet.AsSpan(), 5));
    }

    /// <summary>
    /// rest.BeforeUpdate: fields the client may not change through an update are taken from the stored pod.
    /// Returns a copy of <paramref name="sent"/>.
    /// </summary>
    public static V1ObjectMeta PrepareMetadataForUpdate(V1ObjectMeta sent, V1ObjectMeta stored)
    {
        var meta = Shallow.Copy(sent);
        meta.Generation = stored.Generation;
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
        return meta;
    }

    /// <summary>
    /// podStatusStrategy.PrepareForUpdate: status comes whole from the request; spec (kept by the caller),
    /// ownerReferences and deletionTimestamp stay as stored; an omitted qosClass or observedGeneration is kept.
    /// Labels, annotations and finalizers are taken from the request, as upstream does.
    /// </summary>
    public static (V1ObjectMeta Metadata, V1PodStatus Status) PrepareForStatusUpdate(
        V1ObjectMeta sentMetadata, V1PodStatus? sentStatus, V1ObjectMeta storedMetadata, V1PodStatus storedStatus)
    {
        var meta = PrepareMetadataForUpdate(sentMetadata, storedMetadata);
        meta.OwnerReferences = storedMetadata.OwnerReferences;

        var status = sentStatus is null ? new V1PodStatus() : Shallow.Copy(sentStatus);
        if (string.IsNullOrEmpty(status.QosClass))
        {
            status.QosClass = storedStatus.QosClass;
        }

        if ((status.ObservedGeneration ?? 0) == 0)
        {
            status.ObservedGeneration = storedStatus.ObservedGeneration;
        }

        SyncPodIps(status);
        return (meta, status);
    }

    /// <summary>
    /// The v1 conversion keeps podIP and podIPs in step: podIP alone becomes podIPs, and when they disagree
    /// podIP wins (<c>pkg/apis/core/v1/conversion.go</c>).
    /// </summary>
    public static void SyncPodIps(V1PodStatus status)
    {
        if (string.IsNullOrEmpty(status.PodIP))
        {
            if (status.PodIPs is { Count: > 0 } ips)
            {
                status.PodIP = ips[0].Ip;
            }

            return;
        }

        if (status.PodIPs is not { Count: > 0 } || status.PodIPs[0].Ip != status.PodIP)
        {
            status.PodIPs = [new V1PodIP { Ip = status.PodIP }];
        }
    }

    /// <summary>
    /// The generic store deletes, instead of updating, a pod whose deletion has no grace period left once an
    /// update leaves it without finalizers (<c>shouldDeleteDuringUpdate</c>).
    /// </summary>
    public static bool DeletesOnUpdate(V1ObjectMeta updated, V1ObjectMeta stored) =>
        updated.Finalizers is not { Count: > 0 } &&
        stored.DeletionTimestamp is not null &&
        (stored.DeletionGracePeriodSeconds ?? 0) == 0;

    /// <summary>Time as metav1.Time keeps it: whole seconds, UTC.</summary>
    public static DateTime Truncate(DateTimeOffset now) =>
        new(now.UtcTicks - now.UtcTicks % TimeSpan.TicksPerSecond, DateTimeKind.Utc);
}
