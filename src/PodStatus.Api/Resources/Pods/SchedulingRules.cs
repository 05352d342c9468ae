using FluentValidation.Results;
using k8s.Models;
using PodStatus.Api.Validation;

namespace PodStatus.Api.Resources.Pods;

/// <summary>
/// Where a pod may run, as upstream validates it (<c>pkg/apis/core/validation/validation.go</c>):
/// <c>validateAffinity</c> (node selector terms and their requirements, preferred terms' weights, pod (anti-)affinity
/// terms with their label selectors, namespaces and topology keys) and <c>validateTopologySpreadConstraints</c>.
/// </summary>
public static class SchedulingRules
{
    private static readonly string[] ScheduleActions = ["DoNotSchedule", "ScheduleAnyway"];
    private static readonly string[] NodeInclusionPolicies = ["Honor", "Ignore"];

    public static void Affinity(V1Affinity? affinity, List<ValidationFailure> failures)
    {
        const string path = "spec.affinity";
        if (affinity?.NodeAffinity is { } node)
        {
            const string nodePath = $"{path}.nodeAffinity";
            if (node.RequiredDuringSchedulingIgnoredDuringExecution is { } required)
            {
                var terms = required.NodeSelectorTerms ?? [];
                var termsPath = $"{nodePath}.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms";
                if (terms.Count == 0)
                {
                    failures.Add(FieldError.Required(termsPath, "must have at least one node selector term"));
                }

                for (var i = 0; i < terms.Count; i++)
                {
                    NodeSelectorTerm(terms[i], $"{termsPath}[{i}]", checkValues: true, failures);
                }
            }

            var preferred = node.PreferredDuringSchedulingIgnoredDuringExecution ?? [];
            for (var i = 0; i < preferred.Count; i++)
            {
                var at = $"{nodePath}.preferredDuringSchedulingIgnoredDuringExecution[{i}]";
                Weight(preferred[i]?.Weight ?? 0, $"{at}.weight", failures);
                // Upstream leaves preferred terms' values unchecked (ValidatePreferredSchedulingTerms passes true).
                NodeSelectorTerm(preferred[i]?.Preference, $"{at}.preference", checkValues: false, failures);
            }
        }

        if (affinity?.PodAffinity is { } podAffinity)
        {
            PodAffinityTerms(podAffinity.RequiredDuringSchedulingIgnoredDuringExecution, podAffinity.PreferredDuringSchedulingIgnoredDuringExecution,
                $"{path}.podAffinity", failures);
        }

        if (affinity?.PodAntiAffinity is { } antiAffinity)
        {
            PodAffinityTerms(antiAffinity.RequiredDuringSchedulingIgnoredDuringExecution, antiAffinity.PreferredDuringSchedulingIgnoredDuringExecution,
                $"{path}.podAntiAffinity", failures);
        }
    }

    /// <summary><c>ValidateNodeSelectorTerm</c>: label requirements, then field requirements (only <c>metadata.name</c>, one value).</summary>
    private static void NodeSelectorTerm(V1NodeSelectorTerm? term, string path, bool checkValues, List<ValidationFailure> failures)
    {
        var expressions = term?.MatchExpressions ?? [];
        for (var j = 0; j < expressions.Count; j++)
        {
            var requirement = expressions[j] ?? new V1NodeSelectorRequirement();
            Requirement(requirement.Key, requirement.OperatorProperty, requirement.Values, $"{path}.matchExpressions[{j}]", nodeOperators: true, checkValues, failures);
        }

        var fields = term?.MatchFields ?? [];
        for (var j = 0; j < fields.Count; j++)
        {
            var requirement = fields[j] ?? new V1NodeSelectorRequirement();
            var at = $"{path}.matchFields[{j}]";
            var values = requirement.Values ?? [];
            if (requirement.OperatorProperty is "In" or "NotIn")
            {
                if (values.Count != 1)
                {
                    failures.Add(FieldError.Required($"{at}.values", "must be only one value when `operator` is 'In' or 'NotIn' for node field selector"));
                }
            }
            else
            {
                failures.Add(FieldError.Invalid($"{at}.operator", requirement.OperatorProperty ?? "", "not a valid selector operator"));
            }

            if (requirement.Key != "metadata.name")
            {
                failures.Add(FieldError.Invalid($"{at}.key", requirement.Key ?? "", "not a valid field selector key"));
                continue;
            }

            for (var k = 0; k < values.Count; k++)
            {
                failures.AddRange(Names.Dns1123Subdomain(values[k] ?? "").Select(m => FieldError.Invalid($"{at}.values[{k}]", values[k] ?? "", m)));
            }
        }
    }

    private static void PodAffinityTerms(IList<V1PodAffinityTerm>? required, IList<V1WeightedPodAffinityTerm>? preferred, string path, List<ValidationFailure> failures)
    {
        for (var i = 0; i < (required?.Count ?? 0); i++)
        {
            PodAffinityTerm(required![i], $"{path}.requiredDuringSchedulingIgnoredDuringExecution[{i}]", failures);
        }

        for (var i = 0; i < (preferred?.Count ?? 0); i++)
        {
            var at = $"{path}.preferredDuringSchedulingIgnoredDuringExecution[{i}]";
            Weight(preferred![i]?.Weight ?? 0, $"{at}.weight", failures);
            PodAffinityTerm(preferred[i]?.PodAffinityTerm, $"{at}.podAffinityTerm", failures);
        }
    }

    /// <summary><c>validatePodAffinityTerm</c>.</summary>
    private static void PodAffinityTerm(V1PodAffinityTerm? term, string path, List<ValidationFailure> failures)
    {
        LabelSelector(term?.LabelSelector, $"{path}.labelSelector", failures);
        LabelSelector(term?.NamespaceSelector, $"{path}.namespaceSelector", failures);
        foreach (var name in term?.Namespaces ?? [])
        {
            failures.AddRange(Names.Dns1123Label(name ?? "").Select(m => FieldError.Invalid($"{path}.namespace", name ?? "", m)));
        }

        if (string.IsNullOrEmpty(term?.TopologyKey))
        {
            failures.Add(FieldError.Required($"{path}.topologyKey", "can not be empty"));
        }

        LabelName(term?.TopologyKey, $"{path}.topologyKey", failures);
    }

    /// <summary><c>ValidateLabelSelector</c>: its labels, then its requirements.</summary>
    private static void LabelSelector(V1LabelSelector? selector, string path, List<ValidationFailure> failures)
    {
        if (selector is null)
        {
            return;
        }

        ObjectMetaRules.Labels(selector.MatchLabels, $"{path}.matchLabels", failures);
        var expressions = selector.MatchExpressions ?? [];
        for (var i = 0; i < expressions.Count; i++)
        {
            var requirement = expressions[i] ?? new V1LabelSelectorRequirement();
            Requirement(requirement.Key, requirement.OperatorProperty, requirement.Values, $"{path}.matchExpressions[{i}]", nodeOperators: false, checkValues: true, failures);
        }
    }

    /// <summary>
    /// A selector requirement: <c>ValidateLabelSelectorRequirement</c>, or with <paramref name="nodeOperators"/>
    /// <c>ValidateNodeSelectorRequirement</c>, which also takes Gt and Lt with a single value.
    /// </summary>
    private static void Requirement(string? key, string? op, IList<string>? values, string path, bool nodeOperators, bool checkValues, List<ValidationFailure> failures)
    {
        var count = values?.Count ?? 0;
        switch (op)
        {
            case "In" or "NotIn" when count == 0:
                failures.Add(FieldError.Required($"{path}.values", "must be specified when `operator` is 'In' or 'NotIn'"));
                break;
            case "Exists" or "DoesNotExist" when count > 0:
                failures.Add(FieldError.Forbidden($"{path}.values", "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
                break;
            case "Gt" or "Lt" when nodeOperators && count != 1:
                failures.Add(FieldError.Required($"{path}.values", "must be specified single value when `operator` is 'Lt' or 'Gt'"));
                break;
            case "In" or "NotIn" or "Exists" or "DoesNotExist":
            case "Gt" or "Lt" when nodeOperators:
                break;
            default:
                failures.Add(FieldError.Invalid($"{path}.operator", op ?? "", "not a valid selector operator"));
                break;
        }

        LabelName(key, $"{path}.key", failures);
        for (var k = 0; checkValues && k < count; k++)
        {
            var value = values![k] ?? "";
            failures.AddRange(Names.LabelValue(value).Select(m => FieldError.Invalid($"{path}.values[{k}]", value, m)));
        }
    }

    /// <summary><c>validateTopologySpreadConstraints</c>.</summary>
    public static void TopologySpreadConstraints(IList<V1TopologySpreadConstraint>? constraints, List<ValidationFailure> failures)
    {
        for (var i = 0; i < (constraints?.Count ?? 0); i++)
        {
            var constraint = constraints![i] ?? new V1TopologySpreadConstraint();
            var path = $"spec.topologySpreadConstraints[{i}]";
            var (key, action) = (constraint.TopologyKey ?? "", constraint.WhenUnsatisfiable ?? "");
            if (constraint.MaxSkew <= 0)
            {
                failures.Add(FieldError.Invalid($"{path}.maxSkew", constraint.MaxSkew, "must be greater than zero"));
            }

            if (key.Length == 0)
            {
                failures.Add(FieldError.Required($"{path}.topologyKey", "can not be empty"));
            }

            if (!ScheduleActions.Contains(action))
            {
                failures.Add(FieldError.NotSupported($"{path}.whenUnsatisfiable", action, ScheduleActions));
            }

            // ValidateSpreadConstraintNotRepeat: one constraint per topology key and action.
            if (constraints.Skip(i + 1).Any(other => (other?.TopologyKey ?? "") == key && (other?.WhenUnsatisfiable ?? "") == action))
            {
                failures.Add(FieldError.Duplicate($"{path}.{{topologyKey, whenUnsatisfiable}}", $"{{{key}, {action}}}"));
            }

            if (constraint.MinDomains is { } minDomains)
            {
                if (minDomains <= 0)
                {
                    failures.Add(FieldError.Invalid($"{path}.minDomains", minDomains, "must be greater than zero"));
                }

                if (action != "DoNotSchedule")
                {
                    failures.Add(FieldError.Invalid($"{path}.minDomains", minDomains, $"can only use minDomains if whenUnsatisfiable=DoNotSchedule, not {action}"));
                }
            }

            foreach (var (policy, field) in new[] { (constraint.NodeAffinityPolicy, "nodeAffinityPolicy"), (constraint.NodeTaintsPolicy, "nodeTaintsPolicy") })
            {
                if (policy is not null && !NodeInclusionPolicies.Contains(policy))
                {
                    failures.Add(FieldError.NotSupported($"{path}.{field}", policy, NodeInclusionPolicies));
                }
            }

            LabelSelector(constraint.LabelSelector, $"{path}.labelSelector", failures);
        }
    }

    private static void Weight(int weight, string path, List<ValidationFailure> failures)
    {
        if (weight is <= 0 or > 100)
        {
            failures.Add(FieldError.Invalid(path, weight, "must be in the range 1-100"));
        }
    }

    /// <summary><c>ValidateLabelName</c>: a qualified name.</summary>
    private static void LabelName(string? key, string path, List<ValidationFailure> failures) =>
        failures.AddRange(Names.QualifiedName(key ?? "").Select(m => FieldError.Invalid(path, key ?? "", m)));
}
