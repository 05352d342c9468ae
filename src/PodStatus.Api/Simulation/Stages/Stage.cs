using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using PodStatus.Api.Serialization;
using PodStatus.Api.Simulation.Queries;
using PodStatus.Api.Simulation.Templates;

namespace PodStatus.Api.Simulation.Stages;

/// <summary>A stage file that cannot be used, said with its file, the stage and the construct.</summary>
public sealed class StageException(string message) : Exception(message);

/// <summary>One patch a stage applies: its template's output, under <see cref="Root"/> when set, sent as a patch of
/// <see cref="Type"/> (<c>json</c>, <c>merge</c>, <c>strategic</c>) to the object or its <see cref="Subresource"/>.</summary>
public sealed record StagePatchStep(string Subresource, string Root, GoTemplate Template, string Type);

/// <summary>An event a stage records about its object; the message is a template.</summary>
public sealed record StageEventStep(string Type, string Reason, GoTemplate Message);

/// <summary>How a stage changes the object's finalizers.</summary>
public sealed record StageFinalizerStep(IReadOnlyList<string> Add, IReadOnlyList<string> Remove, bool Empty);

/// <summary>One step of a stage, which does one thing: records an event, changes finalizers, deletes, or patches.</summary>
public sealed record StageStep(StageEventStep? Event = null, StageFinalizerStep? Finalizers = null, bool Delete = false, StagePatchStep? Patch = null);

/// <summary>
/// A stage, read and checked: its selector's matchers, its weight and delays, and what it does next, every template
/// parsed and every jq expression compiled, so nothing in it can fail for being unsupported once it runs.
/// </summary>
public sealed class Stage
{
    public const string ApiVersion = "kwok.x-k8s.io/v1alpha1";

    private static readonly JsonTypeInfo<StageDocument> Strict = (JsonTypeInfo<StageDocument>)new JsonSerializerOptions
    {
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
        TypeInfoResolver = StageJson.Default,
    }.GetTypeInfo(typeof(StageDocument));

    private Stage(string name, string file)
    {
        Name = name;
        File = file;
    }

    public string Name { get; }

    /// <summary>Where it was read from.</summary>
    public string File { get; }

    /// <summary>The kind it moves (<c>Pod</c>, <c>Node</c>), in core/v1.</summary>
    public string Kind { get; private set; } = "";

    public IReadOnlyDictionary<string, string> MatchLabels { get; private set; } = new Dictionary<string, string>();

    public IReadOnlyDictionary<string, string> MatchAnnotations { get; private set; } = new Dictionary<string, string>();

    public IReadOnlyList<JqRequirement> MatchExpressions { get; private set; } = [];

    public IntFrom? Weight { get; private set; }

    public DurationFrom? Delay { get; private set; }

    public DurationFrom? Jitter { get; private set; }

    /// <summary>What it does, in order (KWOK v0.8's steps; a legacy <c>next</c> becomes its event, finalizers, patches, delete).</summary>
    public IReadOnlyList<StageStep> Steps { get; private set; } = [];

    public bool ImmediateNextStage { get; private set; }

    /// <summary>
    /// Whether the object is one this stage moves now: every label and annotation of the selector equal, every
    /// expression matched (KWOK's Stage.match; a stage without a selector matches every object of its kind).
    /// </summary>
    public bool Matches(IDictionary<string, string>? labels, IDictionary<string, string>? annotations, object? data)
    {
        // Loops, not LINQ: every change is matched against every stage, and each lambda here was an allocation.
        if (!Holds(labels, MatchLabels) || !Holds(annotations, MatchAnnotations))
        {
            return false;
        }

        for (var i = 0; i < MatchExpressions.Count; i++)
        {
            if (!MatchExpressions[i].Matches(data))
            {
                return false;
            }
        }

        return true;
    }

    private static bool Holds(IDictionary<string, string>? map, IReadOnlyDictionary<string, string> wanted)
    {
        if (wanted.Count == 0)
        {
            return true;
        }

        foreach (var (key, value) in wanted)
        {
            if (map is null || !map.TryGetValue(key, out var actual) || actual != value)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Reads one <c>kind: Stage</c> document (JSON, from YAML) of <paramref name="file"/>.</summary>
    public static Stage Read(ReadOnlySpan<byte> json, string file, IReadOnlyDictionary<string, GoFunction> functions)
    {
        var name = NameOf(json);
        StageDocument document;
        try
        {
            document = JsonSerializer.Deserialize(json, Strict)!;
        }
        catch (JsonException error)
        {
            // A field it does not know is named by its path; anything else (a string where a number goes) by the reader's words.
            var path = error.Path?.TrimStart('$', '.') ?? "";
            var problem = error.Message.Contains("could not be mapped", StringComparison.Ordinal) ? "unknown field, not supported"
                : error.Message.Contains("could not be converted", StringComparison.Ordinal) ? "a value of the wrong type"
                : FirstSentence(error.Message);
            throw new StageException($"{file}: stage \"{name}\": {(path.Length > 0 ? path + ": " : "")}{problem}");
        }

        var stage = new Stage(name, file);
        try
        {
            stage.Compile(document, functions);
        }
        catch (Exception error) when (error is GoTemplateException or JqSyntaxException or StageException)
        {
            throw new StageException($"{file}: stage \"{name}\": {error.Message}");
        }

        return stage;
    }

    private void Compile(StageDocument document, IReadOnlyDictionary<string, GoFunction> functions)
    {
        if (document.ApiVersion != ApiVersion)
        {
            throw new StageException($"apiVersion must be {ApiVersion}, not \"{document.ApiVersion}\"");
        }

        var spec = document.Spec ?? throw new StageException("spec is required");
        var resource = spec.ResourceRef ?? throw new StageException("spec.resourceRef is required");
        if ((resource.ApiGroup ?? "v1") != "v1" || resource.Kind is not ("Pod" or "Node"))
        {
            throw new StageException($"spec.resourceRef: only v1 Pod and Node are simulated, not {resource.ApiGroup ?? "v1"} {resource.Kind}");
        }

        Kind = resource.Kind;
        MatchLabels = spec.Selector?.MatchLabels ?? [];
        MatchAnnotations = spec.Selector?.MatchAnnotations ?? [];
        MatchExpressions = [.. (spec.Selector?.MatchExpressions ?? []).Select((requirement, i) =>
            (requirement.Jq ?? requirement) is { Key: { } key } jq
                ? JqRequirement.Create(key, jq.Operator ?? "", jq.Values)
                : throw new StageException($"spec.selector.matchExpressions[{i}]: a jq key is required (cel is not supported)"))];
        if (spec.Weight < 0)
        {
            throw new StageException($"spec.weight must be 0 or more, not {spec.Weight}");
        }

        Weight = IntFrom.Create(spec.Weight ?? 0, Query("spec.weightFrom", spec.WeightFrom));
        Delay = DurationFrom.Create(spec.Delay?.DurationMilliseconds, Query("spec.delay.durationFrom", spec.Delay?.DurationFrom));
        Jitter = DurationFrom.Create(spec.Delay?.JitterDurationMilliseconds, Query("spec.delay.jitterDurationFrom", spec.Delay?.JitterDurationFrom));
        ImmediateNextStage = spec.ImmediateNextStage ?? false;
        Steps = (spec.Steps, spec.Next) switch
        {
            ({ } steps, null) => [.. steps.Select((step, i) => Step($"spec.steps[{i}]", step))],
            (null, { } next) => StepsOf(next),
            (null, null) => throw new StageException("spec.steps (or spec.next) is required"),
            _ => throw new StageException("spec.steps and spec.next cannot both be given"),
        };

        // A jq expression, of the deprecated form or under jq (cel is not supported).
        static string? Query(string where, ExpressionFrom? from) =>
            from is null ? null : from.Query ?? throw new StageException($"{where}: a jq expression is required (cel is not supported)");

        StageStep Step(string where, StageStepDocument step)
        {
            var given = (step.Event is null ? 0 : 1) + (step.Finalizers is null ? 0 : 1) + (step.Delete == true ? 1 : 0) + (step.Patch is null ? 0 : 1);
            if (given != 1)
            {
                throw new StageException($"{where}: a step does one of event, finalizers, delete and patch");
            }

            return new StageStep(
                step.Event is { } stageEvent ? Event(where + ".event", stageEvent) : null,
                step.Finalizers is { } finalizers ? Finalizers(finalizers) : null,
                step.Delete == true,
                step.Patch is { } patch ? Patch(where + ".patch", patch) : null);
        }

        // Legacy next, converted as KWOK converts it (pkg/apis/internalversion/conversion.go): its event, its
        // finalizers, its patches (statusTemplate, deprecated, is a merge patch of the status subresource with its
        // output as status), then the delete.
        List<StageStep> StepsOf(StageNext next)
        {
            var steps = new List<StageStep>();
            if (next.Event is { } stageEvent)
            {
                steps.Add(new StageStep(Event: Event("spec.next.event", stageEvent)));
            }

            if (next.Finalizers is { } finalizers)
            {
                steps.Add(new StageStep(Finalizers: Finalizers(finalizers)));
            }

            if (next.Patches is { Count: > 0 } patches)
            {
                steps.AddRange(patches.Select((patch, i) => new StageStep(Patch: Patch($"spec.next.patches[{i}]", patch))));
            }
            else if (!string.IsNullOrWhiteSpace(next.StatusTemplate))
            {
                steps.Add(new StageStep(Patch: new StagePatchStep("status", "status", Parse("spec.next.statusTemplate", next.StatusTemplate), "merge")));
            }

            if (next.Delete == true)
            {
                steps.Add(new StageStep(Delete: true));
            }

            return steps;
        }

        StageEventStep Event(string where, StageEvent stageEvent) =>
            new(stageEvent.Type ?? "", stageEvent.Reason ?? "", Parse(where + ".message", stageEvent.Message ?? ""));

        static StageFinalizerStep Finalizers(StageFinalizers finalizers) => new(
            [.. (finalizers.Add ?? []).Select(item => item.Value ?? "")],
            [.. (finalizers.Remove ?? []).Select(item => item.Value ?? "")],
            finalizers.Empty ?? false);

        // A patch without a type is a strategic merge patch for pods and nodes (lifecycle/next.go computePatch).
        StagePatchStep Patch(string where, StagePatch patch)
        {
            var type = patch.Type ?? "strategic";
            if (type is not ("json" or "merge" or "strategic"))
            {
                throw new StageException($"{where}.type must be json, merge or strategic, not \"{type}\"");
            }

            if (patch.Subresource is not (null or "" or "status"))
            {
                throw new StageException($"{where}.subresource: only the object and its status are patched, not \"{patch.Subresource}\"");
            }

            return new StagePatchStep(patch.Subresource ?? "", patch.Root ?? "", Parse(where + ".template", patch.Template ?? ""), type);
        }

        // KWOK's renderer trims the template before parsing it.
        GoTemplate Parse(string where, string text)
        {
            try
            {
                return GoTemplate.Parse(Name, text.Trim(), functions);
            }
            catch (GoTemplateException error)
            {
                throw new StageException($"{where}: {error.Message}");
            }
        }
    }

    /// <summary>The stage's name, for messages, read before the rest is checked.</summary>
    private static string NameOf(ReadOnlySpan<byte> json)
    {
        try
        {
            using var document = JsonDocument.Parse(json.ToArray());
            return document.RootElement.TryGetProperty("metadata", out var metadata) && metadata.ValueKind == JsonValueKind.Object &&
                metadata.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String
                ? name.GetString()!
                : "";
        }
        catch (JsonException)
        {
            return "";
        }
    }

    private static string FirstSentence(string message) => message.Split(". Path:")[0].TrimEnd('.');

    /// <summary>What names the stages shipped with the server in a list of stage paths.</summary>
    public const string Defaults = "default";

    private const string DefaultsPrefix = "PodStatus.Api.Simulation.DefaultStages.";

    /// <summary>Every <c>kind: Stage</c> document in the files and folders named (a folder's <c>.yaml</c> and <c>.yml</c>
    /// files, in name order; <see cref="Defaults"/> for the server's own); other documents (a kustomization, test
    /// objects) are passed over.</summary>
    public static IReadOnlyList<Stage> Load(IEnumerable<string> paths, IReadOnlyDictionary<string, GoFunction> functions)
    {
        var stages = new List<Stage>();
        foreach (var path in paths)
        {
            if (path == Defaults)
            {
                var assembly = typeof(Stage).Assembly;
                foreach (var resource in assembly.GetManifestResourceNames().Where(name => name.StartsWith(DefaultsPrefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal))
                {
                    using var stream = assembly.GetManifestResourceStream(resource)!;
                    using var bytes = new MemoryStream();
                    stream.CopyTo(bytes);
                    stages.AddRange(ReadAll(bytes.ToArray(), $"{Defaults}/{resource[DefaultsPrefix.Length..]}", functions));
                }

                continue;
            }

            IEnumerable<string> files = Directory.Exists(path)
                ? Directory.EnumerateFiles(path, "*.*", SearchOption.AllDirectories).Where(file => file.EndsWith(".yaml", StringComparison.Ordinal) || file.EndsWith(".yml", StringComparison.Ordinal)).Order(StringComparer.Ordinal)
                : System.IO.File.Exists(path) ? [path] : throw new StageException($"{path}: no such file or folder");
            foreach (var file in files)
            {
                stages.AddRange(ReadAll(System.IO.File.ReadAllBytes(file), file, functions));
            }
        }

        return stages;
    }

    private static IEnumerable<Stage> ReadAll(byte[] yaml, string file, IReadOnlyDictionary<string, GoFunction> functions)
    {
        IReadOnlyList<byte[]> documents;
        try
        {
            documents = YamlToJson.ConvertAll(yaml);
        }
        catch (Exception error) when (error is YamlDotNet.Core.YamlException or InvalidDataException or JsonException)
        {
            throw new StageException($"{file}: not YAML: {error.Message}");
        }

        foreach (var json in documents)
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("kind", out var kind) &&
                kind.ValueKind == JsonValueKind.String && kind.GetString() == "Stage")
            {
                yield return Read(json, file, functions);
            }
        }
    }
}
