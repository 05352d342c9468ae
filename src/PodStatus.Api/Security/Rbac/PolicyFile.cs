using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using PodStatus.Api.Serialization;

namespace PodStatus.Api.Security.Rbac;

/// <summary>
/// Reads Role, ClusterRole, RoleBinding and ClusterRoleBinding objects from a file (YAML or JSON; one object, a
/// <c>List</c>, or <c>---</c>-separated documents, as <c>kubectl apply -f</c> takes them) on top of the bootstrap
/// roles. A mistake (an unknown kind, a binding to a role the file does not define) stops start-up with a message
/// naming it, rather than leaving someone without the access they were meant to have.
/// </summary>
public static class PolicyFile
{
    private const string BootstrapResource = "PodStatus.Api.Security.Rbac.bootstrap-policy.yaml";

    public static RbacPolicy Load(string path)
    {
        var objects = new Dictionary<(string Kind, string Namespace, string Name), JsonNode>();
        foreach (var (source, item) in Read(Bootstrap(), "bootstrap policy").Concat(Read(File.ReadAllBytes(path), $"policy file '{path}'")))
        {
            var kind = Text(item["kind"]);
            if (kind is not ("Role" or "ClusterRole" or "RoleBinding" or "ClusterRoleBinding"))
            {
                throw new InvalidDataException($"{source}: kind \"{kind}\" is not one of Role, ClusterRole, RoleBinding, ClusterRoleBinding");
            }

            var name = Text(item["metadata"]?["name"]);
            var clusterWide = kind.StartsWith("Cluster", StringComparison.Ordinal);
            var @namespace = clusterWide ? "" : Text(item["metadata"]?["namespace"]);
            if (name.Length == 0 || (@namespace.Length == 0 && !clusterWide))
            {
                throw new InvalidDataException($"{source}: a {kind} needs metadata.name{(clusterWide ? "" : " and metadata.namespace")}");
            }

            objects[(kind, @namespace, name)] = item;
        }

        return new RbacPolicy(Resolve(objects));
    }

    private static IEnumerable<Binding> Resolve(Dictionary<(string Kind, string Namespace, string Name), JsonNode> objects)
    {
        var rules = objects.Where(o => o.Key.Kind is "Role" or "ClusterRole")
            .ToDictionary(o => o.Key, o => Rules(o.Key, o.Value));
        foreach (var ((kind, @namespace, name), item) in objects.Where(o => o.Key.Kind.EndsWith("Binding", StringComparison.Ordinal)))
        {
            var described = @namespace.Length > 0 ? $"{kind} \"{@namespace}/{name}\"" : $"{kind} \"{name}\"";
            var binding = Deserialize<V1RoleBinding>(item, described);
            var roleKind = binding.RoleRef?.Kind ?? "";
            var roleName = binding.RoleRef?.Name ?? "";
            if (roleKind != "ClusterRole" && (roleKind != "Role" || @namespace.Length == 0))
            {
                throw new InvalidDataException($"{described}: roleRef.kind must be {(@namespace.Length > 0 ? "Role or " : "")}ClusterRole, not \"{roleKind}\"");
            }

            var roleKey = (roleKind, roleKind == "Role" ? @namespace : "", roleName);
            if (!rules.TryGetValue(roleKey, out var granted))
            {
                throw new InvalidDataException($"{described}: roleRef names {roleKind} \"{roleName}\", which the policy does not define");
            }

            var subjects = (binding.Subjects ?? []).Select(subject => Subject(subject, described, @namespace)).ToArray();
            yield return new Binding(kind, name, @namespace, roleKind, roleName, subjects, granted);
        }
    }

    private static Rule[] Rules((string Kind, string Namespace, string Name) key, JsonNode item)
    {
        var described = key.Namespace.Length > 0 ? $"{key.Kind} \"{key.Namespace}/{key.Name}\"" : $"{key.Kind} \"{key.Name}\"";
        if (item["aggregationRule"] is not null)
        {
            throw new InvalidDataException($"{described}: aggregationRule is not supported; list the rules");
        }

        return (Deserialize<V1ClusterRole>(item, described).Rules ?? []).Select(rule =>
        {
            var nonResourceUrls = rule.NonResourceURLs?.ToArray() ?? [];
            var resources = rule.Resources?.ToArray() ?? [];
            if (rule.Verbs is not { Count: > 0 } || (resources.Length == 0 && nonResourceUrls.Length == 0)
                || (nonResourceUrls.Length > 0 && key.Kind == "Role"))
            {
                throw new InvalidDataException($"{described}: each rule needs verbs, and resources or (in a ClusterRole) nonResourceURLs");
            }

            return new Rule(rule.Verbs.ToArray(), rule.ApiGroups?.ToArray() ?? [], resources, rule.ResourceNames?.ToArray() ?? [], nonResourceUrls);
        }).ToArray();
    }

    private static Subject Subject(Rbacv1Subject subject, string binding, string bindingNamespace)
    {
        if (subject.Kind is not (Rbac.Subject.User or Rbac.Subject.Group or Rbac.Subject.ServiceAccount) || string.IsNullOrEmpty(subject.Name))
        {
            throw new InvalidDataException($"{binding}: a subject needs a name and a kind of User, Group or ServiceAccount, not \"{subject.Kind}\"");
        }

        if (subject.Kind == Rbac.Subject.ServiceAccount && string.IsNullOrEmpty(subject.NamespaceProperty) && bindingNamespace.Length == 0)
        {
            throw new InvalidDataException($"{binding}: the ServiceAccount subject \"{subject.Name}\" needs a namespace");
        }

        return new Subject(subject.Kind, subject.Name, subject.NamespaceProperty ?? "");
    }

    private static T Deserialize<T>(JsonNode item, string described)
    {
        try
        {
            return KubernetesJson.Deserialize<T>(item.ToJsonString());
        }
        catch (JsonException error)
        {
            throw new InvalidDataException($"{described}: {error.Message}");
        }
    }

    /// <summary>Each object of a file: JSON or YAML documents, a <c>List</c> giving its items.</summary>
    private static IEnumerable<(string Source, JsonNode Item)> Read(byte[] content, string source)
    {
        IReadOnlyList<byte[]> documents;
        try
        {
            documents = Encoding.UTF8.GetString(content).TrimStart().StartsWith('{') ? [content] : YamlToJson.ConvertAll(content);
        }
        catch (YamlDotNet.Core.YamlException error)
        {
            throw new InvalidDataException($"{source}: {error.Message}");
        }

        foreach (var document in documents)
        {
            JsonNode? node;
            try
            {
                node = JsonNode.Parse(document);
            }
            catch (JsonException error)
            {
                throw new InvalidDataException($"{source}: {error.Message}");
            }

            if (node is null)
            {
                continue;
            }

            if (node is not JsonObject)
            {
                throw new InvalidDataException($"{source}: each document must be an object");
            }

            IEnumerable<JsonNode> items = Text(node["kind"]) is "List" or "RoleList" or "ClusterRoleList" or "RoleBindingList" or "ClusterRoleBindingList"
                ? (node["items"] as JsonArray ?? []).OfType<JsonObject>()
                : [node];
            foreach (var item in items)
            {
                yield return (source, item);
            }
        }
    }

    private static string Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : "";

    private static byte[] Bootstrap()
    {
        using var stream = typeof(PolicyFile).Assembly.GetManifestResourceStream(BootstrapResource)!;
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
