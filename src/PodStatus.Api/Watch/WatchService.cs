using Microsoft.Extensions.Options;
using PodStatus.Api.Storage;
using PodStatus.Api.Tables;

namespace PodStatus.Api.Watch;

/// <summary>One served version of one resource, as its watches see it: its changes, its store, how it is written.</summary>
public sealed record WatchedResource(WatchCache Cache, IStore Store, ServedVersion Version, ITablePrinter Printer);

/// <summary>What every watch needs besides its resource, gathered once: time, shutdown and the watch settings.</summary>
public sealed class WatchService(TimeProvider clock, IHostApplicationLifetime lifetime, IOptions<WatchOptions> options)
{
    public TimeProvider Clock { get; } = clock;

    public IHostApplicationLifetime Lifetime { get; } = lifetime;

    public WatchOptions Options { get; } = options.Value;

    public IResult Start(WatchedResource resource, WatchRequest request) => new WatchResult(resource, request, this);
}
