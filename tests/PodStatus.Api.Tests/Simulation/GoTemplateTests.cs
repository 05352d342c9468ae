using System.Text.Json;
using PodStatus.Api.Simulation.Templates;

namespace PodStatus.Api.Tests.Simulation;

/// <summary>Go's text/template as KWOK's stages use it, each expectation as Go 1.22's text/template gives it.</summary>
public sealed class GoTemplateTests
{
    private static readonly Dictionary<string, GoFunction> Functions = new()
    {
        // KWOK's Quote: JSON for a string, a quoted JSON text for anything else.
        ["Quote"] = new([GoParameter.Any], false, args => args[0] is string text ? JsonSerializer.Serialize(text) : JsonSerializer.Serialize(args[0] is null ? "null" : args[0]!.ToString())),
        ["Now"] = new([], false, _ => "2026-12-06T00:00:00Z"),
    };

    private static string Render(string template, string json = "{}") =>
        GoTemplate.Parse("t", template, Functions).Execute(GoTemplate.FromJson(JsonDocument.Parse(json).RootElement));

    private static string Failure(string template, string json = "{}") =>
        Assert.Throws<GoTemplateException>(() => Render(template, json)).Message;

    [Theory]
    [InlineData("Hello {{ .name }}!", """{"name":"web"}""", "Hello web!")]
    [InlineData("a  {{- .n -}}  b", """{"n":1}""", "a1b")]
    [InlineData("a {{- /* a comment */ -}} b", "{}", "ab")]
    [InlineData("{{ .missing }}", "{}", "<no value>")]
    [InlineData("{{ .gone }}", """{"gone":null}""", "<no value>")]
    [InlineData("{{ .m }}", """{"m":{"b":1,"a":[1,"x",null,true]}}""", "map[a:[1 x <nil> true] b:1]")]
    [InlineData("{{ .n }} {{ 1.5 }} {{ 1e6 }} {{ 0x1F }} {{ 'a' }}", """{"n":2.50}""", "2.50 1.5 1e+06 31 97")]
    [InlineData("""{{ printf "%q" .s }}""", """{"s":"a<b\n"}""", "\"a<b\\n\"")]
    public void Prints_AsFmtPrintsAValue(string template, string json, string expected) =>
        Assert.Equal(expected, Render(template, json));

    [Theory]
    [InlineData("""{{ if .n }}yes{{ else }}no{{ end }}""", """{"n":0}""", "yes")] // a JSON number is a string to Go: "0" is true
    [InlineData("""{{ if eq .n "0" }}string{{ end }}""", """{"n":0}""", "string")]
    [InlineData("""{{ if .list }}full{{ else }}empty{{ end }}""", """{"list":[]}""", "empty")]
    [InlineData("""{{ if .a }}a{{ else if .b }}b{{ else }}none{{ end }}""", """{"b":"x"}""", "b")]
    [InlineData("""{{ with .s }}[{{ . }}]{{ else }}none{{ end }}""", """{"s":"v"}""", "[v]")]
    [InlineData("""{{ with .s }}[{{ . }}]{{ else with .t }}<{{ . }}>{{ end }}""", """{"t":"v"}""", "<v>")]
    [InlineData("""{{ or .missing "default" }}""", "{}", "default")]
    [InlineData("""{{ and 1 0 2 }} {{ or 0 "" }}""", "{}", "0 ")]
    [InlineData("""{{ if eq .restartPolicy "Always" }}always{{ else }}other{{ end }}""", "{}", "other")]
    [InlineData("""{{ not .missing }} {{ ne 1 2 }} {{ lt 1 2 }} {{ ge "b" "a" }} {{ len .l }}""", """{"l":[1,2]}""", "true true true true 2")]
    public void Decides_AsGoDecides(string template, string json, string expected) =>
        Assert.Equal(expected, Render(template, json));

    [Theory]
    [InlineData("""{{ range .l }}<{{ . }}>{{ end }}""", """{"l":["a","b"]}""", "<a><b>")]
    [InlineData("""{{ range $i, $e := .l }}{{ $i }}={{ $e }} {{ end }}""", """{"l":["a","b"]}""", "0=a 1=b ")]
    [InlineData("""{{ range $k, $v := .m }}{{ $k }}:{{ $v }};{{ end }}""", """{"m":{"z":1,"a":2}}""", "a:2;z:1;")]
    [InlineData("""{{ range .missing }}x{{ else }}none{{ end }}""", "{}", "none")]
    [InlineData("""{{ range .l }}{{ if eq . "b" }}{{ break }}{{ end }}{{ . }}{{ end }}""", """{"l":["a","b","c"]}""", "a")]
    [InlineData("""{{ range .l }}{{ if eq . "b" }}{{ continue }}{{ end }}{{ . }}{{ end }}""", """{"l":["a","b","c"]}""", "ac")]
    [InlineData("""{{ $root := . }}{{ range .l }}{{ $root.name }}{{ end }}""", """{"name":"n","l":[1,2]}""", "nn")]
    [InlineData("""{{ $x := 1 }}{{ if true }}{{ $x = 2 }}{{ end }}{{ $x }}""", "{}", "2")]
    [InlineData("""{{ $n := 0 }}{{ range $i, $e := .l }}{{ $v := $e }}{{ $n = $i }}{{ $v }}{{ end }}{{ $n }}""", """{"l":["a","b","c"]}""", "abc2")]
    [InlineData("""{{ $root := . }}{{ range $index, $item := .spec.containers }}{{ $origin := index $root.status.containerStatuses $index }}{{ $item.name }}={{ $origin.ready }} {{ end }}""",
        """{"spec":{"containers":[{"name":"a"},{"name":"b"}]},"status":{"containerStatuses":[{"ready":true},{"ready":false}]}}""", "a=true b=false ")]
    [InlineData("""{{ index .l 1 }} {{ index .m "k" }} {{ index .m "none" }}""", """{"l":["a","b"],"m":{"k":"v"}}""", "b v <no value>")]
    [InlineData("""{{ (index .l 0).name }} {{ .name | printf "%s-%d" "x" }}""", """{"l":[{"name":"c"}],"name":3}""", "c x-%!d(json.Number=3)")]
    public void Loops_AndBindsVariables_AsGoDoes(string template, string json, string expected) =>
        Assert.Equal(expected, Render(template, json));

    [Fact]
    public void PipedValues_AreTheLastArgument()
    {
        Assert.Equal("\"web\" \"null\" \"2\"", Render("""{{ .name | Quote }} {{ .gone | Quote }} {{ Quote .n }}""", """{"name":"web","gone":null,"n":2}"""));
    }

    [Theory]
    [InlineData("{{ nope }}", "template: t:1: function \"nope\" not defined")]
    [InlineData("a\n{{ if .x }}", "template: t:2: unexpected EOF")]
    [InlineData("{{ $y }}", "template: t:1: undefined variable \"$y\"")]
    [InlineData("{{ template \"x\" }}", "template: t:1: no such template \"x\"")]
    [InlineData("{{ $v := 1 }}{{ define \"d\" }}{{ $v }}{{ end }}", "template: t:1: undefined variable \"$v\"")]
    [InlineData("{{ define \"d\" }}a{{ end }}{{ define \"d\" }}b{{ end }}", "template: t:1: template: multiple definition of template \"d\"")]
    [InlineData("{{ break }}", "template: t:1: {{break}} outside {{range}}")]
    [InlineData("{{ .a \"x\" }}", null)]
    public void AnUnsupportedOrBrokenTemplate_FailsWhenParsed(string template, string? message)
    {
        if (message is null)
        {
            // Parsed (Go parses it too), refused when run.
            Assert.Equal("template: t:1: executing \"t\" at <.a>: a is not a method but has arguments", Failure(template));
            return;
        }

        var error = Assert.Throws<GoTemplateException>(() => GoTemplate.Parse("t", template, Functions));
        Assert.Equal(message, error.Message);
    }

    [Theory]
    [InlineData("{{ .a.b }}", """{"a":null}""", "nil pointer evaluating interface {}.b")]
    [InlineData("{{ .a.b }}", """{"a":"text"}""", "can't evaluate field b in type interface {}")]
    [InlineData("{{ eq 1 \"1\" }}", "{}", "error calling eq: incompatible types for comparison")]
    [InlineData("{{ index .missing 0 }}", "{}", "error calling index: index of untyped nil")]
    [InlineData("{{ index .l 5 }}", """{"l":[1]}""", "error calling index: index out of range: 5")]
    public void AnExecutionError_SaysWhatGoSays(string template, string json, string expected) =>
        Assert.EndsWith(expected, Failure(template, json));

    [Fact]
    public void AStatusTemplate_RendersTheYamlAStageApplies()
    {
        const string template = """
            {{ $now := Now }}
            conditions:
            - lastTransitionTime: {{ $now | Quote }}
              status: "True"
              type: Ready
            containerStatuses:
            {{ range .spec.containers }}
            - image: {{ .image | Quote }}
              name: {{ .name | Quote }}
              ready: true
              {{ if eq .restartPolicy "Always" }}
              started: true
              {{ end }}
            {{ end }}
            phase: Running
            """;
        var pod = """{"spec":{"containers":[{"name":"app","image":"nginx"},{"name":"side","image":"envoy","restartPolicy":"Always"}]}}""";

        var yaml = Render(template, pod);
        var json = JsonDocument.Parse(PodStatus.Api.Serialization.YamlToJson.Convert(System.Text.Encoding.UTF8.GetBytes(yaml))).RootElement;

        Assert.Equal("2026-12-06T00:00:00Z", json.GetProperty("conditions")[0].GetProperty("lastTransitionTime").GetString());
        Assert.Equal(["app", "side"], json.GetProperty("containerStatuses").EnumerateArray().Select(status => status.GetProperty("name").GetString()));
        Assert.False(json.GetProperty("containerStatuses")[0].TryGetProperty("started", out _));
        Assert.True(json.GetProperty("containerStatuses")[1].GetProperty("started").GetBoolean());
        Assert.Equal("Running", json.GetProperty("phase").GetString());
    }

    [Theory]
    [InlineData("""{{ define "item" }}[{{ .name }} of {{ $.root.kind }}]{{ end }}{{ range .items }}{{ template "item" dict "name" . "root" $ }}{{ end }}""",
        """{"kind":"Pod","items":["a","b"]}""", "[a of Pod][b of Pod]")]
    [InlineData("""{{ template "later" .n }}{{ define "later" }}n={{ . }}{{ end }}""", """{"n":3}""", "n=3")]
    [InlineData("""{{ template "none" }}{{ define "none" }}{{ . }}{{ end }}""", "{}", "<no value>")]
    [InlineData("""{{ block "b" .s }}<{{ . }}>{{ end }}""", """{"s":"x"}""", "<x>")]
    public void DefinedTemplates_RunWithThePipelinesValueAsDotAndDollar(string template, string json, string expected)
    {
        var functions = new Dictionary<string, GoFunction>(Functions);
        foreach (var (name, function) in SprigFunctions.Create())
        {
            functions[name] = function;
        }

        Assert.Equal(expected, GoTemplate.Parse("t", template, functions).Execute(GoTemplate.FromJson(JsonDocument.Parse(json).RootElement)));
    }
}
