using FluentValidation;
using FluentValidation.Results;
using k8s.Models;
using PodStatus.Api.Validation;

namespace PodStatus.Api.Resources.Nodes;

/// <summary>ValidateNode: taints, podCIDRs and the status's resource quantities (ObjectMeta's rules are the registry's).</summary>
public sealed class NodeCreateValidator : AbstractValidator<V1Node>
{
    public NodeCreateValidator() => RuleFor(node => node).Custom((node, context) => context.AddFailures(NodeRules.Node(node)));
}

/// <summary>
/// ValidateNode with ValidateNodeUpdate for the node itself (rule set <c>default</c>); ValidateNodeUpdate alone for
/// nodes/status (<c>status</c>), as upstream's two strategies run them.
/// </summary>
public sealed class NodeUpdateValidator : AbstractValidator<ObjectUpdate<V1Node>>
{
    public NodeUpdateValidator()
    {
        RuleFor(update => update).Custom((update, context) =>
            context.AddFailures(NodeRules.Node(update.Value).Concat(NodeRules.Update(update.Value, update.Old))));
        RuleSet("status", () => RuleFor(update => update).Custom((update, context) => context.AddFailures(NodeRules.Update(update.Value, update.Old))));
    }
}

/// <summary>Upstream's node rules (<c>pkg/apis/core/validation/validation.go</c>), in its order and with its field paths.</summary>
internal static class NodeRules
{
    private static readonly string[] TaintEffects = ["NoSchedule", "PreferNoSchedule", "NoExecute"];

    /// <summary>Resources counted in whole units.</summary>
    private static readonly HashSet<string> IntegerResources = ["pods"];

    public static IEnumerable<ValidationFailure> Node(V1Node node)
    {
        // Upstream roots the taints' path at metadata (fldPath is "metadata" there): kept.
        foreach (var failure in Taints(node.Spec?.Taints ?? [], "metadata.taints"))
        {
            yield return failure;
        }

        foreach (var failure in Resources(node))
        {
            yield return failure;
        }

        foreach (var failure in PodCidrs(node.Spec?.PodCIDRs ?? []))
        {
            yield return failure;
        }
    }

    public static IEnumerable<ValidationFailure> Update(V1Node node, V1Node old)
    {
        foreach (var failure in Resources(node))
        {
            yield return failure;
        }

        var seen = new HashSet<(string?, string?)>();
        var addresses = node.Status?.Addresses ?? [];
        for (var i = 0; i < addresses.Count; i++)
        {
            if (!seen.Add((addresses[i].Type, addresses[i].Address)))
            {
                yield return FieldError.Duplicate($"status.addresses[{i}]", $"{addresses[i].Type}/{addresses[i].Address}");
            }
        }

        // The controller manager may give a node without one a CIDR, and a cloud a provider ID: once only.
        var oldCidrs = old.Spec?.PodCIDRs ?? [];
        if (oldCidrs.Count > 0 && !oldCidrs.SequenceEqual(node.Spec?.PodCIDRs ?? []))
        {
            yield return FieldError.Forbidden("spec.podCIDRs", "node updates may not change podCIDR except from \"\" to valid");
        }

        if (!string.IsNullOrEmpty(old.Spec?.ProviderID) && old.Spec.ProviderID != node.Spec?.ProviderID)
        {
            yield return FieldError.Forbidden("spec.providerID", "node updates may not change providerID except from \"\" to valid");
        }

        foreach (var failure in Taints(node.Spec?.Taints ?? [], "metadata.taints"))
        {
            yield return failure;
        }
    }

    /// <summary>validateNodeTaints: keys are label names, values label values, effects known, (key, effect) unique.</summary>
    private static IEnumerable<ValidationFailure> Taints(IList<V1Taint> taints, string path)
    {
        var seen = new HashSet<(string?, string?)>();
        for (var i = 0; i < taints.Count; i++)
        {
            var taint = taints[i];
            foreach (var message in Names.QualifiedName(taint.Key ?? ""))
            {
                yield return FieldError.Invalid($"{path}[{i}].key", taint.Key ?? "", message);
            }

            if (Names.LabelValue(taint.Value ?? "").ToList() is { Count: > 0 } problems)
            {
                yield return FieldError.Invalid($"{path}[{i}].value", taint.Value ?? "", string.Join(";", problems));
            }

            if (!TaintEffects.Contains(taint.Effect))
            {
                yield return FieldError.NotSupported($"{path}[{i}].effect", taint.Effect ?? "", TaintEffects);
            }

            if (!seen.Add((taint.Key, taint.Effect)))
            {
                yield return FieldError.Failure($"{path}[{i}]", "FieldValueDuplicate",
                    $"Duplicate value: {FieldError.GoValue(taint.Key)}: taints must be unique by key and effect pair");
            }
        }
    }

    /// <summary>ValidateNodeResources: capacity and allocatable quantities are not negative, pods whole.</summary>
    private static IEnumerable<ValidationFailure> Resources(V1Node node)
    {
        foreach (var (field, list) in new[] { ("capacity", node.Status?.Capacity), ("allocatable", node.Status?.Allocatable) })
        {
            foreach (var (name, quantity) in list ?? new Dictionary<string, ResourceQuantity>())
            {
                var value = quantity.ToDecimal();
                if (value < 0)
                {
                    yield return FieldError.Invalid($"status.{field}.{name}", Quantities.Text(quantity), "must be greater than or equal to 0");
                }

                if (IntegerResources.Contains(name) && value != decimal.Truncate(value))
                {
                    yield return FieldError.Invalid($"status.{field}.{name}", Quantities.Text(quantity), "must be an integer");
                }
            }
        }
    }

    /// <summary>podCIDRs: each a CIDR; two only when one is IPv4 and the other IPv6.</summary>
    private static IEnumerable<ValidationFailure> PodCidrs(IList<string> cidrs)
    {
        var families = cidrs.Select(IpAddresses.CidrFamilyOf).ToList();
        for (var i = 0; i < cidrs.Count; i++)
        {
            if (families[i] is null)
            {
                yield return FieldError.Invalid($"spec.podCIDRs[{i}]", cidrs[i], IpAddresses.InvalidCidrMessage);
            }
        }

        var dualStack = cidrs.Count == 2 && families[0] is { } first && families[1] is { } second && first != second;
        if (cidrs.Count > 1 && !dualStack)
        {
            yield return FieldError.Invalid("spec.podCIDRs", string.Join(",", cidrs), "may specify no more than one CIDR for each IP family");
        }
    }
}
