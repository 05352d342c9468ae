using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.Options;
using k8s.Models;
using PodStatus.Api.Registry;
using PodStatus.Api.Resources.Namespaces;
using PodStatus.Api.Resources.Pods;
using PodStatus.Api.Serialization;
using PodStatus.Api.Storage;
using YamlDotNet.Core;

namespace PodStatus.Api.Hosting;

/// <summary>
/// Loads objects at start-up, keeping the resourceVersion, uid and creationTimestamp they carry, so a test or demo
/// starts from a known state: pods (an item without a kind is a pod), and any other kind the server serves
/// (namespaces, nodes, leases, events). Without a seed file the founding document's pod is loaded. The cluster's own
/// namespaces, and those of the seeded objects, are created first where the file does not bring them, so the
/// seeded objects' revisions are the newest: a watch from one of them starts as it would have without.
/// </summary>
public sealed class Seeder(IOptions<SeedOptions> options, Registries registries, TimeProvider clock)
{
    /// <summary>The founding document's pod, built into the server.</summary>
    public const string BuiltInSeed = "PodStatus.Api.Samples.hello-world-pod.json";

    /// <summary>From this many objects on, the memory decoding them used is handed back once they are loaded.</summary>
    private const int LargeSeed = 10_000;

    /// <summary>
    /// Decodes and encodes the built-in pod once, so the JSON metadata of the pod's model types (tens of milliseconds
    /// to build) is ready when the first seed or request needs it. Start-up runs it on another core.
    /// </summary>
    public static EncodedPod WarmUp()
    {
        using var stream = typeof(Seeder).Assembly.GetManifestResourceStream(BuiltInSeed)!;
        using var bytes = new MemoryStream();
        stream.CopyTo(bytes);
        return EncodedPod.Decode(bytes.GetBuffer().AsSpan(0, (int)bytes.Length));
    }

    public async Task SeedAsync(CancellationToken cancellationToken = default)
    {
        var path = options.Value.Path;
        var namespaces = registries.Of<V1Namespace>();
        if (string.Equals(path, SeedOptions.None, StringComparison.OrdinalIgnoreCase))
        {
            await SystemNamespaces.EnsureAsync(namespaces, SystemNamespaces.Names, cancellationToken);
            return;
        }

        var name = string.IsNullOrEmpty(path) ? "built-in seed" : path;
        List<(IRegistry Registry, StoredObject Value)> objects;
        try
        {
            using var stream = string.IsNullOrEmpty(path) ? typeof(Seeder).Assembly.GetManifestResourceStream(BuiltInSeed)! : File.OpenRead(path);
            objects = Load(stream, Timestamps.Truncate(clock.GetUtcNow()));
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            throw new SeedFileException(name, error.Message, error);
        }
        catch (Exception error) when (error is JsonException or YamlException or FormatException or ArgumentException or InvalidDataException)
        {
            throw new SeedFileException(name, error.Message, error);
        }

        var missing = SystemNamespaces.Names
            .Concat(objects.Where(item => item.Registry.Resource.Namespaced).Select(item => item.Value.Key.Namespace))
            .Except(objects.Where(item => item.Registry == namespaces).Select(item => item.Value.Key.Name));
        await SystemNamespaces.EnsureAsync(namespaces, missing, cancellationToken);
        foreach (var group in objects.GroupBy(item => item.Registry, item => item.Value))
        {
            var values = group.ToList();
            await group.Key.Store.ImportAsync(values, cancellationToken);
            foreach (var value in values)
            {
                group.Key.ResumeGracefulDeletion(value);
            }
        }

        if (objects.Count >= LargeSeed)
        {
            // Decoding left several times the objects' size in garbage, which the collector would otherwise keep
            // mapped for a long while: one compacting collection now hands it back (about a second at a million pods).
            GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        }
    }

    /// <summary>
    /// A JSON file (one that starts with an object) streams: its items are decoded on every core while the next
    /// are read, and the file is never held whole. A YAML file is converted to JSON first, as a request body is.
    /// </summary>
    private List<(IRegistry, StoredObject)> Load(Stream file, DateTime now)
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
            var decoded = new List<(int Index, IRegistry Registry, StoredObject Value)>();
            var failures = new List<SeedItemException>();
            foreach (var (index, item) in items.GetConsumingEnumerable())
            {
                try
                {
                    var (registry, value) = Decode(item, index, now);
                    decoded.Add((index, registry, value));
                }
                catch (SeedItemException failure)
                {
                    failures.Add(failure);
                }
            }

            return (Decoded: decoded, Failures: failures);
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

        if (!hasItems || !(kind?.EndsWith("List", StringComparison.Ordinal) ?? false))
        {
            // Not a List: the file is one object, small enough to read again whole.
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

        var all = decoders.SelectMany(decoder => decoder.Result.Decoded).OrderBy(item => item.Index).ToList();
        var keys = new HashSet<(IRegistry, ObjectKey)>(all.Count);
        foreach (var (index, registry, value) in all)
        {
            if (!keys.Add((registry, value.Key)))
            {
                throw new InvalidDataException($"items[{index}]: {registry.Resource.Singular} {value.Key} appears twice");
            }
        }

        return Number(all.Select(item => (item.Registry, item.Value)).ToList());
    }

    private static bool StartsWithObject(Stream file)
    {
        Span<byte> start = stackalloc byte[256];
        var read = file.ReadAtLeast(start, start.Length, throwOnEndOfStream: false);
        file.Position = 0;
        return start[..read].TrimStart(" \t\r\n"u8).StartsWith("{"u8);
    }

    /// <summary>
    /// One object of the file (item <paramref name="index"/> of a List, or the whole file), repaired as Go reads
    /// JSON, by the registry of its kind (a pod when it names none); its resourceVersion is 0 when it carries none.
    /// </summary>
    private (IRegistry, StoredObject) Decode(byte[] json, int? index, DateTime now)
    {
        var where = index is { } i ? $"items[{i}]: " : "";
        try
        {
            json = GoJsonText.Repair(json);
            if (!json.AsSpan().TrimStart(" \t\r\n"u8).StartsWith("{"u8))
            {
                throw new InvalidDataException($"{where}expected an object");
            }

            var (kind, apiVersion) = TypeOf(json);
            var registry = registries.All.FirstOrDefault(registry =>
                registry.Resource.Kind == (kind ?? "Pod") && (apiVersion is null || registry.Resource.GroupVersion == apiVersion))
                ?? throw new InvalidDataException($"{where}{apiVersion ?? "v1"} {kind} is not a kind PodStatus serves");
            return (registry, registry.ReadSeed(json, now, where));
        }
        catch (Exception error) when (index is { } item && error is JsonException or FormatException or ArgumentException or InvalidDataException)
        {
            throw new SeedItemException(item, error);
        }
    }

    /// <summary>The object's kind and apiVersion, read from its top level without decoding the rest.</summary>
    private static (string? Kind, string? ApiVersion) TypeOf(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, KubeJson.ReaderOptions);
        string? kind = null, apiVersion = null;
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString();
            reader.Read();
            switch (name)
            {
                case "kind" when reader.TokenType == JsonTokenType.String:
                    kind = reader.GetString();
                    break;
                case "apiVersion" when reader.TokenType == JsonTokenType.String:
                    apiVersion = reader.GetString();
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }

        return (string.IsNullOrEmpty(kind) ? null : kind, string.IsNullOrEmpty(apiVersion) ? null : apiVersion);
    }

    /// <summary>Objects without a resourceVersion are numbered after the highest one given.</summary>
    private static List<(IRegistry Registry, StoredObject Value)> Number(List<(IRegistry Registry, StoredObject Value)> objects)
    {
        var next = objects.Select(item => item.Value.ResourceVersion).DefaultIfEmpty(0).Max();
        return objects.Select(item => item.Value.ResourceVersion > 0 ? item : (item.Registry, item.Value with { ResourceVersion = ++next })).ToList();
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
