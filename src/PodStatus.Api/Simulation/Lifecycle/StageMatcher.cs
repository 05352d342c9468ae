using PodStatus.Api.Simulation.Stages;

namespace PodStatus.Api.Simulation.Lifecycle;

/// <summary>What a stage matcher decides for one version of an object: the stage it moves to, and when.</summary>
public sealed record StageChoice(Stage Stage, TimeSpan Delay);

/// <summary>
/// The stages of one kind, matched as KWOK's lifecycle matches them (<c>pkg/utils/lifecycle/lifecycle.go</c>): every
/// stage whose selector matches is a candidate; one of them is picked at random in proportion to its weight (evenly
/// when every weight is 0); its delay is its duration, lengthened by a random part of the jitter beyond it.
/// </summary>
public sealed class StageMatcher(IReadOnlyList<Stage> stages, Random random)
{
    public IReadOnlyList<Stage> Stages => stages;

    /// <param name="data">The object as jq reads it (<see cref="Queries.JqQuery.FromJson"/>).</param>
    /// <param name="now">The time delays from a timestamp are measured from.</param>
    public StageChoice? Match(object? data, DateTimeOffset now)
    {
        var metadata = (data as IReadOnlyDictionary<string, object?>)?.GetValueOrDefault("metadata") as IReadOnlyDictionary<string, object?>;
        var labels = Strings(metadata?.GetValueOrDefault("labels"));
        var annotations = Strings(metadata?.GetValueOrDefault("annotations"));
        List<Stage>? candidates = null;
        foreach (var stage in stages)
        {
            if (stage.Matches(labels, annotations, data))
            {
                (candidates ??= []).Add(stage);
            }
        }

        if (candidates is null)
        {
            return null;
        }

        var chosen = candidates.Count == 1 ? candidates[0] : Pick(candidates, data);
        return new StageChoice(chosen, Delay(chosen, data, now));
    }

    private Stage Pick(List<Stage> candidates, object? data)
    {
        var weights = candidates.Select(stage => stage.Weight is { } weight && weight.TryGet(data, out var value) ? Math.Max(value, 0) : 0).ToArray();
        var total = weights.Sum();
        if (total == 0)
        {
            return candidates[random.Next(candidates.Count)];
        }

        var offset = random.NextInt64(total);
        for (var i = 0; ; i++)
        {
            if (offset < weights[i])
            {
                return candidates[i];
            }

            offset -= weights[i];
        }
    }

    /// <summary>KWOK's Stage.Delay: none without a duration; a jitter shorter than the duration replaces it.</summary>
    private TimeSpan Delay(Stage stage, object? data, DateTimeOffset now)
    {
        if (stage.Delay is not { } delay || !delay.TryGet(data, now, out var duration))
        {
            return TimeSpan.Zero;
        }

        if (stage.Jitter is not { } jitter || !jitter.TryGet(data, now, out var jitterDuration))
        {
            return Positive(duration);
        }

        if (jitterDuration <= duration)
        {
            return Positive(jitterDuration);
        }

        return Positive(duration + TimeSpan.FromTicks(random.NextInt64((jitterDuration - duration).Ticks)));
    }

    private static TimeSpan Positive(TimeSpan duration) => duration > TimeSpan.Zero ? duration : TimeSpan.Zero;

    private static Dictionary<string, string>? Strings(object? map) => map is IReadOnlyDictionary<string, object?> values
        ? values.Where(pair => pair.Value is string).ToDictionary(pair => pair.Key, pair => (string)pair.Value!)
        : null;
}
