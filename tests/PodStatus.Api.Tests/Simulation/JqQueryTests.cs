using System.Text.Json;
using PodStatus.Api.Simulation.Queries;

namespace PodStatus.Api.Tests.Simulation;

/// <summary>The jq KWOK's stage selectors are written in, with the results gojq gives and KWOK's matching rules.</summary>
public sealed class JqQueryTests
{
    private const string Node = """
        {"metadata":{"name":"n","annotations":{"kwok.x-k8s.io/node":"fake"},"ownerReferences":[{"kind":"Job"},{"kind":"Other"}]},
         "spec":{"priority":0,"unschedulable":true},
         "status":{"phase":"Running","conditions":[{"type":"MemoryPressure","status":"False"},{"type":"Ready","status":"True"}]}}
        """;

    private static object? Data(string json) => JqQuery.FromJson(JsonDocument.Parse(json).RootElement);

    private static string Results(string query, string json = Node) =>
        JqQuery.Parse(query).Execute(Data(json)) is { } results ? JsonSerializer.Serialize(results) : "error";

    [Theory]
    [InlineData(".status.phase", "[\"Running\"]")]
    [InlineData(".metadata.deletionTimestamp", "[null]")]
    [InlineData(".status.conditions.[] | select( .type == \"Ready\" ) | .status", "[\"True\"]")]
    [InlineData(".status.conditions[].type", "[\"MemoryPressure\",\"Ready\"]")]
    [InlineData(".metadata.ownerReferences.[].kind", "[\"Job\",\"Other\"]")]
    [InlineData(".metadata.annotations[\"kwok.x-k8s.io/node\"]", "[\"fake\"]")]
    [InlineData(".metadata.\"name\", .spec.priority", "[\"n\",0]")]
    [InlineData(".status.conditions[-1].type", "[\"Ready\"]")]
    [InlineData(".spec.missing[]?", "[]")]
    [InlineData(".spec.missing[]", "error")]
    [InlineData(".status.phase.x", "error")]
    [InlineData(".status.phase.x?", "[]")] // a path's error is caught where it is raised, inside the ?
    [InlineData(".metadata | .name", "[\"n\"]")]
    [InlineData(".metadata | .name.x", "error")]
    [InlineData(".metadata | .name.x?", "[]")]
    [InlineData("(.status.phase.x | .y)?", "[]")]
    [InlineData(".spec.missing // \"default\"", "[\"default\"]")]
    [InlineData(".status.conditions | length", "[2]")]
    [InlineData(".metadata | has(\"name\")", "[true]")]
    [InlineData(".spec.unschedulable and (.status.phase == \"Running\") | not", "[false]")]
    [InlineData(".spec | .[] | type", "[\"number\",\"boolean\"]")]
    [InlineData("select(.status.phase == \"Pending\")", "[]")]
    [InlineData(".status.conditions[0] | has(\"type\")", "[true]")]
    [InlineData(".metadata.name == .metadata.name", "[true]")]
    [InlineData(".status.phase < 1", "[false]")] // jq orders numbers before strings
    [InlineData(".spec.priority, .status.phase | type", "[\"number\",\"string\"]")]
    [InlineData(".status.phase | length", "[7]")]
    [InlineData(".spec.unschedulable or .x.y", "[true]")]
    [InlineData(".status.phase.x or true", "error")] // the left operand fails before or can decide
    [InlineData("(.status.conditions[] | .type) == \"Ready\"", "[false,true]")]
    public void Queries_GiveWhatGojqGives(string query, string expected) =>
        Assert.Equal(expected, Results(query));

    [Theory]
    [InlineData(".metadata.deletionTimestamp", "DoesNotExist", new string[0], true)]
    [InlineData(".metadata.name", "Exists", new string[0], true)]
    [InlineData(".status.conditions.[] | select( .type == \"Ready\" ) | .status", "In", new[] { "True" }, true)]
    [InlineData(".status.conditions.[] | select( .type == \"Ready\" ) | .status", "NotIn", new[] { "True" }, false)]
    [InlineData(".metadata.ownerReferences.[].kind", "In", new[] { "Job" }, true)]
    [InlineData(".spec.unschedulable", "In", new[] { "true" }, true)]
    [InlineData(".spec.priority", "In", new[] { "0" }, false)] // a number decodes as float64, which KWOK never compares
    [InlineData(".status.missing[]", "NotIn", new[] { "x" }, true)] // a failing query matches NotIn and DoesNotExist
    [InlineData(".status.missing[]", "In", new[] { "x" }, false)]
    public void Requirements_MatchAsKwoksDo(string key, string @operator, string[] values, bool expected) =>
        Assert.Equal(expected, JqRequirement.Create(key, @operator, values).Matches(Data(Node)));

    [Fact]
    public void ANodeWithoutConditions_IsNotReady_ToAStage()
    {
        var notReady = JqRequirement.Create(".status.conditions.[] | select( .type == \"Ready\" ) | .status", "NotIn", ["True"]);

        Assert.True(notReady.Matches(Data("""{"metadata":{"name":"new"}}""")));
    }

    [Theory]
    [InlineData(".spec.priority + 1", "arithmetic (\"+\")")]
    [InlineData("map(.x)", "the function \"map\"")]
    [InlineData("..", "recursion (\"..\")")]
    [InlineData("\"\\(.a)\"", "string interpolation")]
    [InlineData(".a[1:2]", "slices")]
    public void AnUnsupportedConstruct_IsRefusedWhenParsed(string query, string construct)
    {
        var error = Assert.Throws<JqSyntaxException>(() => JqQuery.Parse(query));
        Assert.Contains(construct, error.Message);
        Assert.StartsWith($"jq expression {JsonSerializer.Serialize(query)}: ", error.Message);
    }

    [Theory]
    [InlineData("In", new string[0], "for 'in', 'notin' operators, values set can't be empty")]
    [InlineData("Exists", new[] { "x" }, "values set must be empty for exists and does not exist")]
    [InlineData("Equals", new[] { "x" }, "operator \"Equals\" is not supported")]
    public void ARequirementThatCannotMatch_IsRefusedWithKwoksWords(string @operator, string[] values, string message) =>
        Assert.Equal(message, Assert.Throws<JqSyntaxException>(() => JqRequirement.Create(".a", @operator, values)).Message);
}
