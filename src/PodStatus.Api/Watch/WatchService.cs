using Microsoft.Extensions.Options;
using PodStatus.Api.Storage;

namespace PodStatus.Api.Watch;

/// <summary>What every watch needs, gathered once: the change log, the store for initial events, time and shutdown.</summary>
public sealed class WatchService(ChangeLog log, IPodStore store, TimeProvider clock, IHostApplicationLifetime lifetime, IOptions<WatchOptions> options)
{
    public ChangeLog Log { get; } = log;

    public IPodStore Store { get; } = store;

    public TimeProvider Clock { get; } = clock;

    public IHostApplicationLifetime Lifetime { get; } = lifetime;

    public WatchOptions Options { get; } = options.Value;

    public IResult Start(WatchRequest request) => new WatchResult(request, this);
}
