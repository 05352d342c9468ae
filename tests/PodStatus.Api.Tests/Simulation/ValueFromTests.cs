using System.Text.Json;
using PodStatus.Api.Serialization;
using PodStatus.Api.Simulation.Queries;

namespace PodStatus.Api.Tests.Simulation;

/// <summary>Go's time.ParseDuration, and a stage's delays and weights read from the object as KWOK reads them.</summary>
public sealed class ValueFromTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 5, 0, 0, TimeSpan.Zero);

    private static object? Pod(string annotations) =>
        JqQuery.FromJson(JsonDocument.Parse("{\"metadata\":{\"name\":\"p\",\"annotations\":{" + annotations + "}}}").RootElement);

    [Theory]
    [InlineData("300ms", 300)]
    [InlineData("1h30m", 5_400_000)]
    [InlineData("-1.5s", -1_500)]
    [InlineData(".5s", 500)]
    [InlineData("1.s", 1_000)]
    [InlineData("2m0.25s", 120_250)]
    [InlineData("1500us", 1.5)]
    [InlineData("1500µs", 1.5)]
    [InlineData("0", 0)]
    [InlineData("+0s", 0)]
    public void ParseDuration_ReadsWhatGoReads(string text, double milliseconds)
    {
        Assert.True(GoDuration.TryParse(text, out var duration, out var error), error);
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), duration);
    }

    [Theory]
    [InlineData("5", "time: missing unit in duration \"5\"")]
    [InlineData("5d", "time: unknown unit \"d\" in duration \"5d\"")]
    [InlineData("", "time: invalid duration \"\"")]
    [InlineData(".s", "time: invalid duration \".s\"")]
    [InlineData("-", "time: invalid duration \"-\"")]
    [InlineData("9999999999h", "time: invalid duration \"9999999999h\"")]
    public void ParseDuration_RefusesWhatGoRefuses_InItsWords(string text, string message)
    {
        Assert.False(GoDuration.TryParse(text, out _, out var error));
        Assert.Equal(message, error);
    }

    [Theory]
    [InlineData("\"delay\":\"2s\"", 2_000)] // a Go duration
    [InlineData("\"delay\":\"2026-12-06T05:00:10Z\"", 10_000)] // a time: the delay lasts until then
    public void ADelayFromTheObject_IsItsDurationOrTheTimeUntilIt(string annotations, double milliseconds)
    {
        var delay = DurationFrom.Create(1_000, ".metadata.annotations.delay")!;

        Assert.True(delay.TryGet(Pod(annotations), Now, out var duration));
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), duration);
    }

    [Theory]
    [InlineData("\"delay\":\"soon\"")]
    [InlineData("\"delay\":5")]
    [InlineData("\"other\":\"x\"")] // a missing key is a null result
    public void ADelayThatIsNeitherATimeNorADuration_IsTheFixedDelay(string annotations)
    {
        Assert.True(DurationFrom.Create(1_000, ".metadata.annotations.delay")!.TryGet(Pod(annotations), Now, out var duration));
        Assert.Equal(TimeSpan.FromSeconds(1), duration);
    }

    [Fact]
    public void AnEmptyDelay_OrAnExpressionThatFails_IsNoDelay()
    {
        Assert.False(DurationFrom.Create(1_000, ".metadata.annotations.delay")!.TryGet(Pod("\"delay\":\"\""), Now, out _));
        Assert.False(DurationFrom.Create(1_000, ".metadata.name.x")!.TryGet(Pod("\"x\":\"y\""), Now, out _));
    }

    [Fact]
    public void AnExpressionGivingNoResult_FallsBackToTheFixedDelay()
    {
        Assert.True(DurationFrom.Create(1_000, ".metadata.annotations.delay[]?")!.TryGet(Pod("\"x\":\"y\""), Now, out var duration));
        Assert.Equal(TimeSpan.FromSeconds(1), duration);
    }

    [Fact]
    public void NoDelayGiven_IsNone_AndOnlyAnExpression_WithNothingThere_IsNoDelay()
    {
        Assert.Null(DurationFrom.Create(null, null));
        Assert.False(DurationFrom.Create(null, ".metadata.annotations.delay")!.TryGet(Pod("\"x\":\"y\""), Now, out _));
    }

    [Theory]
    [InlineData("\"weight\":\"0x10\"", true, 16)]
    [InlineData("\"weight\":\"-7\"", true, -7)]
    [InlineData("\"weight\":\"1_0\"", false, 0)] // underscores only after a base prefix
    [InlineData("\"weight\":3.9", true, 3)]
    [InlineData("\"other\":\"1\"", true, 5)] // null: not a number or a string, so the fixed weight
    [InlineData("\"weight\":true", true, 5)]
    public void AWeightFromTheObject_IsReadAsStrconvParseIntReadsIt(string annotations, bool found, long expected)
    {
        var weight = IntFrom.Create(5, ".metadata.annotations.weight")!;

        Assert.Equal(found, weight.TryGet(Pod(annotations), out var value));
        Assert.Equal(expected, value);
    }
}
