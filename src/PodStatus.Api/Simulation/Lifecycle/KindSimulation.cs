using System.Text.Json;
using System.Threading.Channels;
using k8s;
using k8s.Models;
using PodStatus.Api.Errors;
using PodStatus.Api.Registry;
using PodStatus.Api.Simulation.Queries;
using PodStatus.Api.Simulation.Stages;
using PodStatus.Api.Storage;

namespace PodStatus.Api.Simulation.Lifecycle;

/// <summary>A stage chosen for one version of an object, waiting for its delay to end.</summary>
public sealed record DueStage(Stage Stage, StoredObject Target);

/// <summary>
/// One kind the simulator moves, as one of KWOK's controllers moves it: every change of an object it manages is
/// matched against the kind's stages (in a lane of its own per object, so an object's versions are matched in
/// order), the stage chosen for the newest version waits out its delay in a <see cref="DueQueue{TKey,TItem}"/>, and is
/// then played. A version superseded before its stage is played is not played (its stage was replaced, or the write
/// finds the object changed and is refused); the new version is matched in its turn.
/// </summary>
public sealed partial class KindSimulation<T> : IFeedReader, IDisposable
    where T : class, IKubernetesObject<V1ObjectMeta>, new()
{
    private const int Players = 16;

    private readonly Registry<T> _registry;
    private readonly StageMatcher _matcher;
    private readonly StagePlayer<T> _player;
    private readonly Func<StoredObject, bool> _manages;
    private readonly Action<StoredObject, bool> _observe;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;
    private readonly DueQueue<ObjectKey, DueStage> _due;
    private readonly Channel<StoredObject>[] _lanes;
    private long _played;
    private long _refused;
    private long _offered;
    private long _matched;
    private long _playing;

    /// <summary><paramref name="manages"/> says whether an object is one the simulation moves (a pod on a simulated node);
    /// <paramref name="observe"/> sees every change, managed or not, before it is matched (true: the object is gone).</summary>
    public KindSimulation(Registry<T> registry, StageMatcher matcher, StagePlayer<T> player, Func<StoredObject, bool> manages,
        Action<StoredObject, bool> observe, TimeProvider clock, ILogger logger)
    {
        (_registry, _matcher, _player, _manages, _observe, _clock, _logger) = (registry, matcher, player, manages, observe, clock, logger);
        _due = new DueQueue<ObjectKey, DueStage>(clock);
        _lanes = [.. Enumerable.Range(0, Math.Max(1, Environment.ProcessorCount)).Select(_ => Channel.CreateUnbounded<StoredObject>(new UnboundedChannelOptions { SingleReader = true }))];
    }

    public Registry<T> Registry => _registry;

    /// <summary>How many stages have been played, and how many writes were refused (the object had changed, or RBAC).</summary>
    public (long Played, long Refused, int Waiting) Progress => (Interlocked.Read(ref _played), Interlocked.Read(ref _refused), _due.Waiting);

    public void Listed(StoredObject value, bool changed)
    {
        _observe(value, false);
        if (changed)
        {
            Offer(value);
        }
    }

    public void Changed(StoredObject value, bool deleted)
    {
        _observe(value, deleted);
        if (deleted)
        {
            _due.Cancel(value.Key);
        }
        else
        {
            Offer(value);
        }
    }

    /// <summary>Matches <paramref name="value"/> if the simulation manages it.</summary>
    public void Offer(StoredObject value)
    {
        if (_manages(value))
        {
            Interlocked.Increment(ref _offered);
            _lanes[(int)((uint)value.Key.GetHashCode() % (uint)_lanes.Length)].Writer.TryWrite(value);
        }
        else
        {
            _due.Cancel(value.Key);
        }
    }

    /// <summary>Matches and plays until <paramref name="cancellationToken"/> ends.</summary>
    public Task RunAsync(CancellationToken cancellationToken) =>
        Task.WhenAll([.. _lanes.Select(lane => MatchAsync(lane.Reader, cancellationToken)), .. Enumerable.Range(0, Players).Select(_ => PlayAsync(cancellationToken))]);

    /// <summary>Whether everything offered has been matched and every stage due has been played: only delays remain.</summary>
    public bool IsIdle => Interlocked.Read(ref _matched) == Interlocked.Read(ref _offered) && Interlocked.Read(ref _playing) == 0 && _due.Ready.Count == 0;

    /// <summary>Forgets what waits (another replica simulates now).</summary>
    public void Clear() => _due.Clear();

    private async Task MatchAsync(ChannelReader<StoredObject> lane, CancellationToken cancellationToken)
    {
        await foreach (var value in lane.ReadAllAsync(cancellationToken))
        {
            try
            {
                using var document = JsonDocument.Parse(value.Object.Utf8Memory);
                if (_matcher.Match(JqQuery.FromJson(document.RootElement), _clock.GetUtcNow()) is { } choice)
                {
                    _due.Schedule(value.Key, new DueStage(choice.Stage, value), choice.Delay);
                }
                else
                {
                    _due.Cancel(value.Key);
                }
            }
            catch (Exception error) when (error is JsonException or InvalidOperationException)
            {
                LogMessages.Unmatched(_logger, _registry.Resource.Kind, value.Key.ToString(), error.Message);
            }
            finally
            {
                Interlocked.Increment(ref _matched);
            }
        }
    }

    private async Task PlayAsync(CancellationToken cancellationToken)
    {
        await foreach (var due in _due.Ready.ReadAllAsync(cancellationToken))
        {
            Interlocked.Increment(ref _playing);
            try
            {
                var result = await _player.PlayAsync(due.Stage, due.Target, cancellationToken);
                Interlocked.Increment(ref _played);
                if (due.Stage.ImmediateNextStage && result is not null)
                {
                    Offer(result);
                }
            }
            catch (StatusException error) when (error.Status.Code is 404 or 409)
            {
                // Changed or gone since the stage was chosen: its newer version is matched on its own.
                Interlocked.Increment(ref _refused);
            }
            catch (StatusException error)
            {
                Interlocked.Increment(ref _refused);
                LogMessages.Failed(_logger, due.Stage.Name, _registry.Resource.Kind, due.Target.Key.ToString(), error.Status.Message ?? "");
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception error) when (error is StoreUnavailableException or Templates.GoTemplateException or InvalidDataException or YamlDotNet.Core.YamlException or JsonException)
            {
                Interlocked.Increment(ref _refused);
                LogMessages.Failed(_logger, due.Stage.Name, _registry.Resource.Kind, due.Target.Key.ToString(), error.Message);
            }
            finally
            {
                Interlocked.Decrement(ref _playing);
            }
        }
    }

    public void Dispose() => _due.Dispose();

    private static partial class LogMessages
    {
        [LoggerMessage(Level = LogLevel.Warning, Message = "Stage {Stage} was not applied to {Kind} {Key}: {Reason}")]
        public static partial void Failed(ILogger logger, string stage, string kind, string key, string reason);

        [LoggerMessage(Level = LogLevel.Warning, Message = "{Kind} {Key} could not be matched against the stages: {Reason}")]
        public static partial void Unmatched(ILogger logger, string kind, string key, string reason);
    }
}
