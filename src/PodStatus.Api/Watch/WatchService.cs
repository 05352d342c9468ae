using Microsoft.Extensions.Options;
using PodStatus.Api.Storage;

namespace PodStatus.Api.Watch;

/// <summary>What every watch needs, gathered once: the watch cache, the store for initial events, time and shutdown.</summary>
public sealed class WatchService(WatchCache cache, IPodStore store, TimeProvider clock, IHostApplicationLifetime lifetime, IOptions<WatchOptions> options)
{
    public WatchCache Cache { get; } = cache;

    public ChangeLog Log => Cache.Log;

    public IPodStore Store { get; } = store;

    public TimeProvider Clock { get; } = clock;

    public IHostApplicationLifetime Lifetime { get; } = lifetime;

    public WatchOptions Options { get; } = options.Value;

    public IResult Start(WatchRequest request) => new WatchResult(request, this);
}
