using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using PodStatus.Api.Registry;
using PodStatus.Api.Serialization;
using PodStatus.Api.Storage;
using YamlDotNet.Core;

namespace PodStatus.Api.Hosting;

/// <summary>
/// Loads pods at start-up, keeping the resourceVersion, uid and creationTimestamp they carry, so a test or demo
/// starts from a known state. Without a seed file the founding document's pod is loaded.
/// </summary>
public sealed class PodSeeder(IOptions<SeedOptions> options, IPodStore store, PodRegistry registry, TimeProvider clock)
{
    /// <summary>The founding document's pod, built into the server.</summary>
    public const string BuiltInSeed = "PodStatus.Api.Samples.hello-world-pod.json";

    public async Task SeedAsync(CancellationToken cancellationToken = default)
    {
        var path = options.Value.Path;
        if (string.Equals(path, SeedOptions.None, StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        var (name, text) = string.IsNullOrEmpty(path) ? ("built-in seed", ReadBuiltIn()) : (path, ReadFile(path));
        IReadOnlyList<StoredPod> pods;
        try
        {
            pods = Parse(text, PodStrategy.Truncate(clock.GetUtcNow()));
        }
        catch (Exception error) when (error is JsonException or YamlException or FormatException or InvalidDataException)
        {
            throw new SeedFileException(name, error.Message, error);
        }

        await store.ImportAsync(pods, cancellationToken);
        foreach (var pod in pods)
        {
            registry.ResumeGracefulDeletion(pod);
        }
    }

    private static byte[] ReadBuiltIn()
    {
        using var stream = typeof(PodSeeder).Assembly.GetManifestResourceStream(BuiltInSeed)!;
        using var bytes = new MemoryStream();
        stream.CopyTo(bytes);
        return bytes.ToArray();
    }

    private static byte[] ReadFile(string path)
    {
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            throw new SeedFileException(path, error.Message, error);
        }
    }

    /// <summary>JSON (repaired as Go reads it) when the file starts with an object, YAML otherwise, as a request body is read.</summary>
    private static List<StoredPod> Parse(byte[] text, DateTime now)
    {
        var json = text.AsSpan().TrimStart(" \t\r\n"u8).StartsWith("{"u8) ? GoJsonText.Repair(text) : YamlToJson.Convert(text);
        var root = JsonNode.Parse(json) as JsonObject ?? throw new InvalidDataException("expected a Pod or a List of Pods");
        var kind = (string?)root["kind"];
        var items = kind is "List" or "PodList"
            ? (root["items"] as JsonArray ?? throw new InvalidDataException($"a {kind} needs an items array")).ToList()
            : [root];

        var pods = new List<StoredPod>();
        var keys = new HashSet<PodKey>();
        for (var i = 0; i < items.Count; i++)
        {
            var where = kind is "List" or "PodList" ? $"items[{i}]: " : "";
            var item = items[i] as JsonObject ?? throw new InvalidDataException($"{where}expected a Pod object");
            if ((string?)item["kind"] is { } itemKind && itemKind != "Pod")
            {
                throw new InvalidDataException($"{where}kind {itemKind} is not Pod");
            }

            var pod = item.Deserialize(KubeJson.Pod) ?? throw new InvalidDataException($"{where}expected a Pod object");
            var meta = pod.Metadata ?? throw new InvalidDataException($"{where}metadata is required");
            if (string.IsNullOrEmpty(meta.Name))
            {
                throw new InvalidDataException($"{where}metadata.name is required");
            }

            meta.NamespaceProperty ??= "default";
            if (!keys.Add(new PodKey(meta.NamespaceProperty, meta.Name)))
            {
                throw new InvalidDataException($"{where}pod {meta.NamespaceProperty}/{meta.Name} appears twice");
            }

            meta.Uid ??= Guid.NewGuid().ToString();
            meta.CreationTimestamp ??= now;
            var resourceVersion = ParseResourceVersion(meta.ResourceVersion, where);
            pods.Add(new StoredPod(EncodedPod.Encode(pod), resourceVersion));
        }

        // Pods without a resourceVersion are numbered after the highest one given.
        var next = pods.Select(p => p.ResourceVersion).DefaultIfEmpty(0).Max();
        return pods.Select(p => p.ResourceVersion > 0 ? p : p with { ResourceVersion = ++next }).ToList();
    }

    private static long ParseResourceVersion(string? value, string where)
    {
        if (string.IsNullOrEmpty(value))
        {
            return 0;
        }

        return long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) && parsed > 0
            ? parsed
            : throw new InvalidDataException($"{where}metadata.resourceVersion {value} is not a positive integer");
    }
}

/// <summary>A seed file that cannot be loaded; start-up stops with this message.</summary>
public sealed class SeedFileException(string file, string problem, Exception inner)
    : Exception($"Cannot load seed file '{file}': {problem}", inner);
