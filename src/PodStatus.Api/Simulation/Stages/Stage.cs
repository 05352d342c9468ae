using System.Text.Json;
using PodStatus.Api.Serialization;
using PodStatus.Api.Simulation.Queries;
using PodStatus.Api.Simulation.Templates;

namespace PodStatus.Api.Simulation.Stages;

/// <summary>A stage file that cannot be used, said with its file, the stage and the construct.</summary>
public sealed class StageException(string message) : Exception(message);

/// <summary>One patch a stage applies: its template's output, under <see cref="Root"/> when set, sent as a patch of
/// <see cref="Type"/> (<c>json</c>, <c>merge</c>, <c>strategic</c>) to the object or its <see cref="Subresource"/>.</summary>
public sealed record StagePatchStep(string Subresource, string Root, GoTemplate Template, string Type);

/// <summary>
/// A stage, read and checked: its selector's matchers, its weight and delays, and what it does next, every template
/// parsed and every jq expression compiled, so nothing in it can fail for being unsupported once it runs.
/// </summary>
public sealed class Stage
{
    public const string ApiVersion = "kwok.x-k8s.io/v1alpha1";

    private static readonly JsonSerializerOptions Strict = new() { UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow };

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

    public StageEvent? Event { get; private set; }

    public IReadOnlyList<string> AddFinalizers { get; private set; } = [];

    public IReadOnlyList<string> RemoveFinalizers { get; private set; } = [];

    public bool EmptyFinalizers { get; private set; }

    public bool Delete { get; private set; }

    public IReadOnlyList<StagePatchStep> Patches { get; private set; } = [];

    public bool ImmediateNextStage { get; private set; }

    /// <summary>
    /// Whether the object is one this stage moves now: every label and annotation of the selector equal, every
    /// expression matched (KWOK's Stage.match; a stage without a selector matches every object of its kind).
    /// </summary>
    public bool Matches(IDictionary<string, string>? labels, IDictionary<string, string>? annotations, object? data) =>
        MatchLabels.All(pair => labels?.TryGetValue(pair.Key, out var value) == true && value == pair.Value) &&
        MatchAnnotations.All(pair => annotations?.TryGetValue(pair.Key, out var value) == true && value == pair.Value) &&
        MatchExpressions.All(requirement => requirement.Matches(data));

    /// <summary>Reads one <c>kind: Stage</c> document (JSON, from YAML) of <paramref name="file"/>.</summary>
    public static Stage Read(ReadOnlySpan<byte> json, string file, IReadOnlyDictionary<string, GoFunction> functions)
    {
        var name = NameOf(json);
        StageDocument document;
        try
        {
            document = JsonSerializer.Deserialize<StageDocument>(json, Strict)!;
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
            requirement.Key is null
                ? throw new StageException($"spec.selector.matchExpressions[{i}].key is required")
                : JqRequirement.Create(requirement.Key, requirement.Operator ?? "", requirement.Values))];
        if (spec.Weight < 0)
        {
            throw new StageException($"spec.weight must be 0 or more, not {spec.Weight}");
        }

        Weight = IntFrom.Create(spec.Weight ?? 0, spec.WeightFrom?.Expression);
        Delay = DurationFrom.Create(spec.Delay?.DurationMilliseconds, spec.Delay?.DurationFrom?.Expression);
        Jitter = DurationFrom.Create(spec.Delay?.JitterDurationMilliseconds, spec.Delay?.JitterDurationFrom?.Expression);
        ImmediateNextStage = spec.ImmediateNextStage ?? false;

        var next = spec.Next ?? throw new StageException("spec.next is required");
        Event = next.Event;
        AddFinalizers = [.. (next.Finalizers?.Add ?? []).Select(item => item.Value ?? "")];
        RemoveFinalizers = [.. (next.Finalizers?.Remove ?? []).Select(item => item.Value ?? "")];
        EmptyFinalizers = next.Finalizers?.Empty ?? false;
        Delete = next.Delete ?? false;

        // statusTemplate (deprecated in KWOK) is a merge patch of the status subresource with its output as status.
        var patches = new List<StagePatchStep>();
        if (!string.IsNullOrWhiteSpace(next.StatusTemplate))
        {
            patches.Add(new StagePatchStep("status", "status", Parse("spec.next.statusTemplate", next.StatusTemplate), "merge"));
        }

        foreach (var (patch, i) in (next.Patches ?? []).Select((patch, i) => (patch, i)))
        {
            var type = patch.Type ?? "merge";
            if (type is not ("json" or "merge" or "strategic"))
            {
                throw new StageException($"spec.next.patches[{i}].type must be json, merge or strategic, not \"{type}\"");
            }

            if (patch.Subresource is not (null or "" or "status"))
            {
                throw new StageException($"spec.next.patches[{i}].subresource: only the object and its status are patched, not \"{patch.Subresource}\"");
            }

            patches.Add(new StagePatchStep(patch.Subresource ?? "", patch.Root ?? "", Parse($"spec.next.patches[{i}].template", patch.Template ?? ""), type));
        }

        Patches = patches;

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

    /// <summary>Every <c>kind: Stage</c> document in the files and folders named (a folder's <c>.yaml</c> and <c>.yml</c>
    /// files, in name order); other documents (a kustomization, test objects) are passed over.</summary>
    public static IReadOnlyList<Stage> Load(IEnumerable<string> paths, IReadOnlyDictionary<string, GoFunction> functions)
    {
        var stages = new List<Stage>();
        foreach (var path in paths)
        {
            IEnumerable<string> files = Directory.Exists(path)
                ? Directory.EnumerateFiles(path, "*.*", SearchOption.AllDirectories).Where(file => file.EndsWith(".yaml", StringComparison.Ordinal) || file.EndsWith(".yml", StringComparison.Ordinal)).Order(StringComparer.Ordinal)
                : System.IO.File.Exists(path) ? [path] : throw new StageException($"{path}: no such file or folder");
            foreach (var file in files)
            {
                IReadOnlyList<byte[]> documents;
                try
                {
                    documents = YamlToJson.ConvertAll(System.IO.File.ReadAllBytes(file));
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
                        stages.Add(Read(json, file, functions));
                    }
                }
            }
        }

        return stages;
    }
}
