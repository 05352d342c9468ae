using System.Text;
using System.Text.Json;
using PodStatus.Api.Serialization;
using PodStatus.Api.Simulation.Queries;
using PodStatus.Api.Simulation.Stages;
using PodStatus.Api.Simulation.Templates;

namespace PodStatus.Api.Tests.Simulation;

/// <summary>Stage files in KWOK's format: read strictly, checked whole at load, with the file and stage in every error.</summary>
public sealed class StageTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("stages-").FullName;

    private static readonly Dictionary<string, GoFunction> Functions = KwokFunctions.Create(TimeProvider.System, "v0.0.0-test");

    private const string PodRunning = """
        apiVersion: kwok.x-k8s.io/v1alpha1
        kind: Stage
        metadata:
          name: pod-running
        spec:
          resourceRef:
            apiGroup: v1
            kind: Pod
          selector:
            matchLabels:
              app: web
            matchExpressions:
            - key: '.metadata.deletionTimestamp'
              operator: 'DoesNotExist'
            - key: '.status.conditions.[] | select( .type == "Ready" ) | .status'
              operator: 'NotIn'
              values: ['True']
          delay:
            durationMilliseconds: 1000
            jitterDurationMilliseconds: 5000
          next:
            event:
              type: Normal
              reason: Started
              message: Started container
            statusTemplate: |
              phase: Running
              containerStatuses:
              {{ range .spec.containers }}
              - name: {{ .name | Quote }}
                ready: true
              {{ end }}
        """;

    private string Write(string name, string text)
    {
        var path = Path.Combine(_folder, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    private static object? Data(string json) => JqQuery.FromJson(JsonDocument.Parse(json).RootElement);

    [Fact]
    public void AStage_IsReadWithItsSelectorDelaysAndNext_ItsNextBecomingSteps()
    {
        var stage = Assert.Single(Stage.Load([Write("pod-running.yaml", PodRunning)], Functions));

        Assert.Equal(("pod-running", "Pod"), (stage.Name, stage.Kind));
        Assert.True(stage.Delay!.TryGet(null, DateTimeOffset.UtcNow, out var delay));
        Assert.Equal(TimeSpan.FromSeconds(1), delay);
        Assert.True(stage.Jitter!.TryGet(null, DateTimeOffset.UtcNow, out var jitter));
        Assert.Equal(TimeSpan.FromSeconds(5), jitter);
        Assert.Equal(2, stage.Steps.Count);
        var started = stage.Steps[0].Event!;
        Assert.Equal(("Normal", "Started", "Started container"), (started.Type, started.Reason, started.Message.Execute(null)));
        var patch = stage.Steps[1].Patch!;
        Assert.Equal(("status", "status", "merge"), (patch.Subresource, patch.Root, patch.Type));

        var pod = """{"metadata":{"name":"p"},"spec":{"containers":[{"name":"app"},{"name":"side"}]}}""";
        var rendered = patch.Template.Execute(GoTemplate.FromJson(JsonDocument.Parse(pod).RootElement));
        Assert.Equal("""{"phase":"Running","containerStatuses":[{"name":"app","ready":true},{"name":"side","ready":true}]}""",
            Encoding.UTF8.GetString(YamlToJson.Convert(Encoding.UTF8.GetBytes(rendered))));
    }

    [Fact]
    public void KwokV08Steps_AndJqExpressionsUnderJq_AreRead_APatchWithoutTypeBeingStrategic()
    {
        var stage = Assert.Single(Stage.Load([Write("pod-remove.yaml", """
            apiVersion: kwok.x-k8s.io/v1alpha1
            kind: Stage
            metadata: {name: pod-remove}
            spec:
              resourceRef: {apiGroup: v1, kind: Pod}
              selector:
                matchExpressions:
                - jq: {key: .metadata.deletionTimestamp, operator: Exists}
              weight: 1
              weightFrom: {jq: {expression: '.metadata.annotations["weight"]'}}
              delay:
                durationMilliseconds: 1000
                durationFrom: {jq: {expression: '.metadata.annotations["delay"]'}}
              steps:
              - finalizers: {empty: true}
              - patch: {root: status, subresource: status, template: 'phase: Failed'}
              - delete: true
            """)], Functions));

        Assert.True(stage.Steps[0].Finalizers!.Empty);
        Assert.Equal(("status", "strategic"), (stage.Steps[1].Patch!.Subresource, stage.Steps[1].Patch!.Type));
        Assert.True(stage.Steps[2].Delete);
        var pod = Data("""{"metadata":{"deletionTimestamp":"2026-12-06T00:00:00Z","annotations":{"delay":"2s","weight":"7"}}}""");
        Assert.True(stage.Matches(null, null, pod));
        Assert.False(stage.Matches(null, null, Data("""{"metadata":{}}""")));
        Assert.True(stage.Delay!.TryGet(pod, DateTimeOffset.UtcNow, out var delay));
        Assert.Equal(TimeSpan.FromSeconds(2), delay);
        Assert.True(stage.Weight!.TryGet(pod, out var weight));
        Assert.Equal(7, weight);
    }

    [Theory]
    [InlineData("""{"app":"web"}""", """{"metadata":{"name":"p"}}""", true)]
    [InlineData("""{"app":"db"}""", """{"metadata":{"name":"p"}}""", false)]
    [InlineData("""{"app":"web"}""", """{"metadata":{"name":"p","deletionTimestamp":"2026-12-06T00:00:00Z"}}""", false)]
    [InlineData("""{"app":"web"}""", """{"metadata":{"name":"p"},"status":{"conditions":[{"type":"Ready","status":"True"}]}}""", false)]
    public void AStage_MatchesByLabelsAndExpressions(string labels, string pod, bool expected)
    {
        var stage = Assert.Single(Stage.Load([Write("pod-running.yaml", PodRunning)], Functions));

        Assert.Equal(expected, stage.Matches(JsonSerializer.Deserialize<Dictionary<string, string>>(labels), null, Data(pod)));
    }

    [Fact]
    public void AFolder_GivesItsStagesInNameOrder_PassingOverWhatIsNotAStage()
    {
        Write("pod/kustomization.yaml", "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n- b.yaml\n");
        Write("pod/b.yaml", PodRunning.Replace("pod-running", "second") + "\n---\n" + PodRunning.Replace("pod-running", "third"));
        Write("pod/a.yml", PodRunning.Replace("pod-running", "first"));
        Write("pod/testdata/pod.input.yaml", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n");
        Write("pod/notes.txt", "not a stage");

        Assert.Equal(["first", "second", "third"], Stage.Load([Path.Combine(_folder, "pod")], Functions).Select(stage => stage.Name));
    }

    [Theory]
    [InlineData("Quote", "Bogus", "spec.next.statusTemplate: template: pod-running:4: function \"Bogus\" not defined")]
    [InlineData("  next:\n", "  steps: []\n  next:\n", "spec.steps and spec.next cannot both be given")]
    [InlineData("    event:\n", "    statusSubresource: status\n    event:\n", "spec.next.statusSubresource: unknown field, not supported")]
    [InlineData("'DoesNotExist'", "'DoesNotExist'\n    - cel: {expression: 'true'}", "spec.selector.matchExpressions[1].cel: unknown field, not supported")]
    [InlineData("durationMilliseconds: 1000", "durationMilliseconds: soon", "spec.delay.durationMilliseconds: a value of the wrong type")]
    [InlineData("'DoesNotExist'", "'Absent'", "operator \"Absent\" is not supported")]
    [InlineData("'.metadata.deletionTimestamp'", "'.metadata | keys'", "jq expression \".metadata | keys\": the function \"keys\" is not supported")]
    [InlineData("kind: Pod", "kind: Service", "spec.resourceRef: only v1 Pod and Node are simulated, not v1 Service")]
    [InlineData("kwok.x-k8s.io/v1alpha1", "kwok.x-k8s.io/v1", "apiVersion must be kwok.x-k8s.io/v1alpha1, not \"kwok.x-k8s.io/v1\"")]
    public void WhatIsNotSupported_FailsTheLoad_NamingTheFileTheStageAndTheConstruct(string replace, string with, string message)
    {
        var file = Write("bad.yaml", PodRunning.Replace(replace, with));

        var error = Assert.Throws<StageException>(() => Stage.Load([file], Functions));

        Assert.StartsWith($"{file}: stage \"pod-running\": ", error.Message);
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void AMissingPath_FailsTheLoad() =>
        Assert.Equal($"{_folder}/none.yaml: no such file or folder",
            Assert.Throws<StageException>(() => Stage.Load([Path.Combine(_folder, "none.yaml")], Functions)).Message);

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
