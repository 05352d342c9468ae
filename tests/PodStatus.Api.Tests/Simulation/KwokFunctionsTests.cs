using System.Text;
using System.Text.Json;
using PodStatus.Api.Serialization;
using PodStatus.Api.Simulation.Templates;

namespace PodStatus.Api.Tests.Simulation;

/// <summary>KWOK's template functions (pkg/utils/gotpl/funcs.go), as its stages call them.</summary>
public sealed class KwokFunctionsTests
{
    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }

    private static object? Data(string json) => GoTemplate.FromJson(JsonDocument.Parse(json).RootElement);

    [Theory]
    [InlineData("\"a<b & \\\"c\\\"\"", "\"a\\u003cb \\u0026 \\\"c\\\"\"")] // a string: json.Marshal's own quoting, HTML escaped
    [InlineData("3", "\"3\"")]
    [InlineData("null", "\"null\"")]
    [InlineData("true", "\"true\"")]
    [InlineData("{\"b\":[1,\"x\"],\"a\":1}", "\"{\\\"a\\\":1,\\\"b\\\":[1,\\\"x\\\"]}\"")] // anything else: its JSON, strconv.Quote'd
    public void Quote_GivesJsonStringsAsTheyAre_AndQuotesTheRest(string json, string expected) =>
        Assert.Equal(expected, KwokFunctions.Quote(Data(json)));

    [Theory]
    [InlineData("2026-12-06T05:40:00.1234560+00:00", "2026-12-06T05:40:00.123456Z")]
    [InlineData("2026-12-06T05:40:00+00:00", "2026-12-06T05:40:00Z")]
    [InlineData("2026-12-06T06:40:00.5+01:00", "2026-12-06T05:40:00.5Z")]
    public void Now_IsRfc3339Nano_InUtc(string time, string expected) =>
        Assert.Equal(expected, KwokFunctions.Rfc3339Nano(DateTimeOffset.Parse(time, System.Globalization.CultureInfo.InvariantCulture)));

    [Fact]
    public void NowAndStartTime_ReadTheServersClock()
    {
        var clock = new FixedClock(new DateTimeOffset(2026, 12, 6, 5, 0, 0, TimeSpan.Zero));
        var template = GoTemplate.Parse("t", "{{ StartTime }} {{ Now }} {{ Version }}", KwokFunctions.Create(clock, "v1.2.3"));
        clock.Now = clock.Now.AddSeconds(90);

        Assert.Equal("2026-12-06T05:00:00Z 2026-12-06T05:01:30Z v1.2.3", template.Execute(null));
    }

    [Fact]
    public void Yaml_WritesGoYamlsLayout_AndIndentsForAnInsertion()
    {
        var value = Data("""{"b":[{"y":"yes","x":1},"plain"],"a":"v 1","c":{"d":true,"e":{},"f":"10.0.0.1"}}""");

        Assert.Equal("a: \"v 1\"\nb:\n- x: 1\n  \"y\": \"yes\"\n- plain\nc:\n  d: true\n  e: {}\n  f: \"10.0.0.1\"\n", KwokFunctions.Yaml(value, 0));
        Assert.Equal("\n  a: \"v 1\"\n  b:\n  - x: 1\n    \"y\": \"yes\"\n  - plain\n  c:\n    d: true\n    e: {}\n    f: \"10.0.0.1\"\n  ", KwokFunctions.Yaml(value, 1));
        Assert.Equal(JsonSerializer.Serialize(JsonDocument.Parse("""{"a":"v 1","b":[{"x":1,"y":"yes"},"plain"],"c":{"d":true,"e":{},"f":"10.0.0.1"}}""").RootElement),
            JsonSerializer.Serialize(JsonDocument.Parse(YamlToJson.Convert(Encoding.UTF8.GetBytes(KwokFunctions.Yaml(value, 0)))).RootElement));
    }

    [Fact]
    public void ANodeStatusTemplate_RendersYamlThatReadsBackAsTheStatus()
    {
        const string template = """
            {{ $now := Now }}
            conditions:
            {{ range NodeConditions }}
            - lastHeartbeatTime: {{ $now | Quote }}
              message: {{ .message | Quote }}
              reason: {{ .reason | Quote }}
              status: {{ .status | Quote }}
              type: {{ .type | Quote }}
            {{ end }}
            addresses:
            {{ with .status.addresses }}
            {{ YAML . 1 }}
            {{ else }}
            - address: "10.0.0.1"
              type: InternalIP
            {{ end }}
            nodeInfo:
              kubeletVersion: "kwok-{{ Version }}"
            """;
        var functions = KwokFunctions.Create(new FixedClock(new DateTimeOffset(2026, 12, 6, 5, 0, 0, TimeSpan.Zero)), "v0.7.0");
        var node = Data("""{"status":{"addresses":[{"type":"InternalIP","address":"192.168.0.7"},{"type":"Hostname","address":"n<1>"}]}}""");

        var yaml = GoTemplate.Parse("node-initialize", template, functions).Execute(node);
        var status = JsonDocument.Parse(YamlToJson.Convert(Encoding.UTF8.GetBytes(yaml))).RootElement;

        Assert.Equal(["Ready", "MemoryPressure", "DiskPressure", "PIDPressure", "NetworkUnavailable"],
            status.GetProperty("conditions").EnumerateArray().Select(condition => condition.GetProperty("type").GetString()));
        Assert.Equal("2026-12-06T05:00:00Z", status.GetProperty("conditions")[0].GetProperty("lastHeartbeatTime").GetString());
        Assert.Equal("""[{"address":"192.168.0.7","type":"InternalIP"},{"address":"n<1>","type":"Hostname"}]""", status.GetProperty("addresses").GetRawText());
        Assert.Equal("kwok-v0.7.0", status.GetProperty("nodeInfo").GetProperty("kubeletVersion").GetString());
    }
}
