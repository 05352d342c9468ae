using System.Text.RegularExpressions;
using FluentValidation.Results;
using k8s.Models;
using PodStatus.Api.Validation;

namespace PodStatus.Api.Resources.Pods;

/// <summary>
/// Upstream's security context rules (<c>validatePodSpecSecurityContext</c> and <c>ValidateSecurityContext</c> in
/// <c>pkg/apis/core/validation/validation.go</c>): user and group ids in range, sysctl names, the enumerated policies,
/// seccomp profiles. Privileged containers are allowed, as clusters run kube-apiserver with <c>--allow-privileged</c>.
/// </summary>
public static partial class SecurityContextRules
{
    private const string SysctlSegment = "[a-z0-9]([-_a-z0-9]*[a-z0-9])?";

    /// <summary>Sysctl names may use <c>/</c> as well as <c>.</c> (<c>SysctlContainSlashFmt</c>).</summary>
    private const string SysctlFormat = "(" + SysctlSegment + "[\\./])*" + SysctlSegment;

    private static readonly string[] FsGroupChangePolicies = ["Always", "OnRootMismatch"];
    private static readonly string[] SeccompProfileTypes = ["Localhost", "RuntimeDefault", "Unconfined"];
    private static readonly string[] ProcMountTypes = ["Default", "Unmasked"];

    /// <summary><c>validatePodSpecSecurityContext</c>.</summary>
    public static void ForPod(V1PodSpec spec, List<ValidationFailure> failures)
    {
        const string path = "spec.securityContext";
        if (spec.SecurityContext is not { } context)
        {
            return;
        }

        Id($"{path}.fsGroup", context.FsGroup, failures);
        Id($"{path}.runAsUser", context.RunAsUser, failures);
        Id($"{path}.runAsGroup", context.RunAsGroup, failures);
        for (var i = 0; i < (context.SupplementalGroups?.Count ?? 0); i++)
        {
            Id($"{path}.supplementalGroups[{i}]", context.SupplementalGroups![i], failures);
        }

        if (spec.ShareProcessNamespace == true && spec.HostPID == true)
        {
            failures.Add(FieldError.Invalid($"{path}.shareProcessNamespace", true, "ShareProcessNamespace and HostPID cannot both be enabled"));
        }

        var sysctls = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < (context.Sysctls?.Count ?? 0); i++)
        {
            var name = context.Sysctls![i]?.Name ?? "";
            var at = $"{path}.sysctls[{i}].name";
            if (name.Length == 0)
            {
                failures.Add(FieldError.Required(at));
            }
            else if (name.Length > 253 || !SysctlRegex().IsMatch(name))
            {
                failures.Add(FieldError.Invalid(at, name, $"must have at most 253 characters and match regex {SysctlFormat}"));
            }
            else if (sysctls.Contains(name))
            {
                failures.Add(FieldError.Duplicate(at, name));
            }

            sysctls.Add(name);
        }

        if (context.FsGroupChangePolicy is { } policy && !FsGroupChangePolicies.Contains(policy))
        {
            failures.Add(FieldError.NotSupported($"{path}.fsGroupChangePolicy", policy, FsGroupChangePolicies));
        }

        Seccomp(context.SeccompProfile, $"{path}.seccompProfile", failures);
    }

    /// <summary><c>ValidateSecurityContext</c>, for one container of a pod whose user namespace is the host's unless <paramref name="hostUsers"/> is false.</summary>
    public static void ForContainer(V1SecurityContext? context, string path, bool hostUsers, List<ValidationFailure> failures)
    {
        if (context is null)
        {
            return;
        }

        Id($"{path}.runAsUser", context.RunAsUser, failures);
        Id($"{path}.runAsGroup", context.RunAsGroup, failures);
        if (context.ProcMount is { } procMount)
        {
            if (!ProcMountTypes.Contains(procMount))
            {
                failures.Add(FieldError.NotSupported($"{path}.procMount", procMount, ProcMountTypes));
            }

            if (hostUsers && procMount == "Unmasked")
            {
                failures.Add(FieldError.Invalid($"{path}.procMount", procMount, "`hostUsers` must be false to use `Unmasked`"));
            }
        }

        Seccomp(context.SeccompProfile, $"{path}.seccompProfile", failures);
    }

    /// <summary><c>IsValidUserID</c> and <c>IsValidGroupID</c>: 0 to 2147483647.</summary>
    private static void Id(string path, long? id, List<ValidationFailure> failures)
    {
        if (id is < 0 or > int.MaxValue)
        {
            failures.Add(FieldError.Invalid(path, id, "must be between 0 and 2147483647, inclusive"));
        }
    }

    /// <summary><c>validateSeccompProfileField</c>.</summary>
    private static void Seccomp(V1SeccompProfile? profile, string path, List<ValidationFailure> failures)
    {
        if (profile is null)
        {
            return;
        }

        var type = profile.Type ?? "";
        if (type.Length == 0)
        {
            failures.Add(FieldError.Required($"{path}.type", "type is required when seccompProfile is set"));
        }
        else if (!SeccompProfileTypes.Contains(type))
        {
            failures.Add(FieldError.NotSupported($"{path}.type", type, SeccompProfileTypes));
        }

        if (type == "Localhost")
        {
            if (profile.LocalhostProfile is null)
            {
                failures.Add(FieldError.Required($"{path}.localhostProfile", "must be set when seccomp type is Localhost"));
            }
            else
            {
                Paths.LocalDescending(profile.LocalhostProfile, $"{path}.localhostProfile", failures);
            }
        }
        else if (profile.LocalhostProfile is not null)
        {
            // The bad value is the profile itself, which Go prints with %#v.
            failures.Add(FieldError.Failure($"{path}.localhostProfile", "FieldValueInvalid",
                $"Invalid value: core.SeccompProfile{{Type:{FieldError.Quote(type)}, LocalhostProfile:(*string)(0xc000000000)}}: " +
                "can only be set when seccomp type is Localhost"));
        }
    }

    [GeneratedRegex("^" + SysctlFormat + "\\z")]
    private static partial Regex SysctlRegex();
}
