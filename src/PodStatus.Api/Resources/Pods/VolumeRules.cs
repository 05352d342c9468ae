using FluentValidation.Results;
using k8s.Models;
using PodStatus.Api.Validation;

namespace PodStatus.Api.Resources.Pods;

/// <summary>
/// Upstream's <c>ValidateVolumes</c> (<c>pkg/apis/core/validation/validation.go</c>): each volume has one source, checked
/// first, then a unique DNS-label name; only a volume without errors can be mounted. Of the sources' own rules PodStatus
/// checks what the common ones require (a host path, a secret's, config map's or claim's name, file modes).
/// </summary>
public static class VolumeRules
{
    private const string FileModeMessage = "must be a number between 0 and 0777 (octal), both inclusive";

    /// <summary>Returns the names of the volumes the containers may mount.</summary>
    public static HashSet<string> Validate(IList<V1Volume>? volumes, List<ValidationFailure> failures)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < (volumes?.Count ?? 0); i++)
        {
            var volume = volumes![i] ?? new V1Volume();
            var path = $"spec.volumes[{i}]";
            var errors = new List<ValidationFailure>();
            Source(volume, path, errors);
            if (string.IsNullOrEmpty(volume.Name))
            {
                errors.Add(FieldError.Required($"{path}.name"));
            }
            else
            {
                errors.AddRange(Names.Dns1123Label(volume.Name).Select(m => FieldError.Invalid($"{path}.name", volume.Name, m)));
            }

            if (names.Contains(volume.Name ?? ""))
            {
                errors.Add(FieldError.Duplicate($"{path}.name", volume.Name ?? ""));
            }

            if (errors.Count == 0)
            {
                names.Add(volume.Name!);
            }

            failures.AddRange(errors);
        }

        return names;
    }

    /// <summary>
    /// <c>validateVolumeSource</c>: the first source set counts, each further one is forbidden (by upstream's field
    /// names, <c>downwarAPI</c> included); v1 defaulting has made a volume without one an emptyDir.
    /// </summary>
    private static void Source(V1Volume volume, string path, List<ValidationFailure> failures)
    {
        var counted = 0;
        foreach (var (source, field) in Sources(volume))
        {
            if (source is null)
            {
                continue;
            }

            if (counted++ > 0)
            {
                failures.Add(FieldError.Forbidden($"{path}.{field}", "may not specify more than 1 volume type"));
                continue;
            }

            switch (source)
            {
                case V1EmptyDirVolumeSource { SizeLimit: { } sizeLimit } when sizeLimit.ToDecimal() < 0:
                    failures.Add(FieldError.Forbidden($"{path}.emptyDir.sizeLimit", "SizeLimit field must be a valid resource quantity"));
                    break;
                case V1HostPathVolumeSource hostPath:
                    if (string.IsNullOrEmpty(hostPath.Path))
                    {
                        failures.Add(FieldError.Required($"{path}.hostPath.path"));
                    }
                    else
                    {
                        Paths.NoBacksteps(hostPath.Path, $"{path}.hostPath.path", failures);
                    }

                    break;
                case V1SecretVolumeSource secret:
                    if (string.IsNullOrEmpty(secret.SecretName))
                    {
                        failures.Add(FieldError.Required($"{path}.secret.secretName"));
                    }

                    FileMode(secret.DefaultMode, $"{path}.secret.defaultMode", failures);
                    break;
                case V1ConfigMapVolumeSource configMap:
                    if (string.IsNullOrEmpty(configMap.Name))
                    {
                        failures.Add(FieldError.Required($"{path}.configMap.name"));
                    }

                    FileMode(configMap.DefaultMode, $"{path}.configMap.defaultMode", failures);
                    break;
                case V1PersistentVolumeClaimVolumeSource claim when string.IsNullOrEmpty(claim.ClaimName):
                    failures.Add(FieldError.Required($"{path}.persistentVolumeClaim.claimName"));
                    break;
            }
        }

        if (counted == 0)
        {
            failures.Add(FieldError.Required(path, "must specify a volume type"));
        }
    }

    /// <summary>A volume's sources, set or not, in <c>validateVolumeSource</c>'s order and by its field names.</summary>
    public static (object? Source, string Field)[] Sources(V1Volume volume) =>
    [
        (volume.EmptyDir, "emptyDir"), (volume.HostPath, "hostPath"), (volume.GitRepo, "gitRepo"), (volume.GcePersistentDisk, "gcePersistentDisk"),
        (volume.AwsElasticBlockStore, "awsElasticBlockStore"), (volume.Secret, "secret"), (volume.Nfs, "nfs"), (volume.Iscsi, "iscsi"),
        (volume.Glusterfs, "glusterfs"), (volume.Flocker, "flocker"), (volume.PersistentVolumeClaim, "persistentVolumeClaim"), (volume.Rbd, "rbd"),
        (volume.Cinder, "cinder"), (volume.Cephfs, "cephFS"), (volume.Quobyte, "quobyte"), (volume.DownwardAPI, "downwarAPI"), (volume.Fc, "fc"),
        (volume.FlexVolume, "flexVolume"), (volume.ConfigMap, "configMap"), (volume.AzureFile, "azureFile"), (volume.VsphereVolume, "vsphereVolume"),
        (volume.PhotonPersistentDisk, "photonPersistentDisk"), (volume.PortworxVolume, "portworxVolume"), (volume.AzureDisk, "azureDisk"),
        (volume.Storageos, "storageos"), (volume.Projected, "projected"), (volume.ScaleIO, "scaleIO"), (volume.Csi, "csi"),
        (volume.Ephemeral, "ephemeral"), (volume.Image, "image"),
    ];

    private static void FileMode(int? mode, string path, List<ValidationFailure> failures)
    {
        if (mode is < 0 or > 511)
        {
            failures.Add(FieldError.Invalid(path, mode, FileModeMessage));
        }
    }
}
