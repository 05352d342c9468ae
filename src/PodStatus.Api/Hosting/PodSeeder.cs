using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
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

        var name = string.IsNullOrEmpty(path) ? "built-in seed" : path;
        IReadOnlyList<StoredPod> pods;
        try
        {
            using var stream = string.IsNullOrEmpty(path) ? typeof(PodSeeder).Assembly.GetManifestResourceStream(BuiltInSeed)! : File.OpenRead(path);
            pods = Load(stream, PodStrategy.Truncate(clock.GetUtcNow()));
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            throw new SeedFileException(name, error.Message, error);
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

        if (pods.Count >= LargeSeed)
        {
            // Decoding left several times the pods' size in garbage, which the collector would otherwise keep
            // mapped for a long while: one compacting collection now hands it back (about a second at a million pods).
            GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        }
    }

    /// <summary>From this many pods on, the memory decoding them used is handed back once they are loaded.</summary>
    private const int LargeSeed = 10_000;

    /// <summary>
    /// A JSON file (one that starts with an object) streams: its items are decoded on every core while the next
    /// are read, and the file is never held whole. A YAML file is converted to JSON first, as a request body is.
    /// </summary>
    private static List<StoredPod> Load(Stream file, DateTime now)
    {
        Stream json = file;
        if (!StartsWithObject(file))
        {
            using var yaml = new MemoryStream();
            file.CopyTo(yaml);
            json = new MemoryStream(YamlToJson.Convert(yaml.GetBuffer().AsSpan(0, (int)yaml.Length)));
        }

        using var items = new BlockingCollection<(int Index, byte[] Json)>(boundedCapacity: 4096);
        var decoders = Enumerable.Range(0, Environment.ProcessorCount).Select(_ => Task.Run(() =>
        {
            var pods = new List<(int Index, StoredPod Pod)>();
            var failures = new List<SeedItemException>();
            foreach (var (index, item) in items.GetConsumingEnumerable())
            {
                try
                {
                    pods.Add((index, Decode(item, index, now)));
                }
                catch (SeedItemException failure)
                {
                    failures.Add(failure);
                }
            }

            return (Pods: pods, Failures: failures);
        })).ToArray();
        string? kind;
        bool hasItems;
        var count = 0;
        try
        {
            kind = SeedItems.Read(json, item => items.Add((count++, item)), out hasItems);
        }
        finally
        {
            items.CompleteAdding();
            Task.WaitAll(decoders);
        }

        if (!hasItems || kind is not ("List" or "PodList"))
        {
            // Not a List: the file is one Pod, small enough to read again whole.
            json.Position = 0;
            using var whole = new MemoryStream();
            json.CopyTo(whole);
            return Number([Decode(whole.ToArray(), null, now)]);
        }

        if (decoders.SelectMany(decoder => decoder.Result.Failures).MinBy(failure => failure.Index) is { } first)
        {
            // The first bad item, as reading in order would have met it.
            throw first.InnerException!;
        }

        var decoded = decoders.SelectMany(decoder => decoder.Result.Pods).OrderBy(item => item.Index).ToList();
        var keys = new HashSet<PodKey>(decoded.Count);
        foreach (var (index, pod) in decoded)
        {
            if (!keys.Add(pod.Key))
            {
                throw new InvalidDataException($"items[{index}]: pod {pod.Key.Namespace}/{pod.Key.Name} appears twice");
            }
        }

        return Number(decoded.Select(item => item.Pod).ToList());
    }

    private static bool StartsWithObject(Stream file)
    {
        Span<byte> start = stackalloc byte[256];
        var read = file.ReadAtLeast(start, start.Length, throwOnEndOfStream: false);
        file.Position = 0;
        return start[..read].TrimStart(" \t\r\n"u8).StartsWith("{"u8);
    }

    /// <summary>
    /// One pod of the file (item <paramref name="index"/> of a List, or the whole file), repaired as Go reads JSON;
    /// its resourceVersion is 0 when it carries none.
    /// </summary>
    private static StoredPod Decode(byte[] json, int? index, DateTime now)
    {
        var where = index is { } i ? $"items[{i}]: " : "";
        try
        {
            json = GoJsonText.Repair(json);
            if (!json.AsSpan().TrimStart(" \t\r\n"u8).StartsWith("{"u8))
            {
                throw new InvalidDataException($"{where}expected a Pod object");
            }

            var pod = JsonSerializer.Deserialize(json, KubeJson.Pod) ?? throw new InvalidDataException($"{where}expected a Pod object");
            if (pod.Kind is { Length: > 0 } kind && kind != "Pod")
            {
                throw new InvalidDataException($"{where}kind {kind} is not Pod");
            }

            var meta = pod.Metadata ?? throw new InvalidDataException($"{where}metadata is required");
            if (string.IsNullOrEmpty(meta.Name))
            {
                throw new InvalidDataException($"{where}metadata.name is required");
            }

            meta.NamespaceProperty ??= "default";
            meta.Uid ??= Guid.NewGuid().ToString();
            meta.CreationTimestamp ??= now;
            var resourceVersion = ParseResourceVersion(meta.ResourceVersion, where);
            var encoded = EncodedPod.Encode(pod);
            // Seeded pods are not being written: their decoded forms need not stay cached.
            encoded.ReleaseDecoded();
            return new StoredPod(encoded, resourceVersion);
        }
        catch (Exception error) when (index is { } item && error is JsonException or FormatException or InvalidDataException)
        {
            throw new SeedItemException(item, error);
        }
    }

    /// <summary>Pods without a resourceVersion are numbered after the highest one given.</summary>
    private static List<StoredPod> Number(List<StoredPod> pods)
    {
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

/// <summary>Which item of a seed file failed to decode, so the first one can be reported.</summary>
internal sealed class SeedItemException(int index, Exception inner) : Exception(inner.Message, inner)
{
    public int Index { get; } = index;
}

/// <summary>A seed file that cannot be loaded; start-up stops with this message.</summary>
public sealed class SeedFileException(string file, string problem, Exception inner)
    : Exception($"Cannot load seed file '{file}': {problem}", inner);
