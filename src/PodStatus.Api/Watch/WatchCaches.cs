using Microsoft.Extensions.Options;
using PodStatus.Api.Storage;

namespace PodStatus.Api.Watch;

/// <summary>Every resource's watch cache, each following its store while the server runs.</summary>
public sealed class WatchCaches(IOptions<WatchOptions> options, ILoggerFactory loggers) : BackgroundService
{
    private readonly List<WatchCache> _caches = [];

    public IReadOnlyList<WatchCache> All => _caches;

    /// <summary>A cache for <paramref name="resource"/>'s store; made while the server is built, before it starts.</summary>
    public WatchCache Follow(string resource, IStore store)
    {
        var cache = new WatchCache(resource, store, options.Value.HistorySize, loggers.CreateLogger<WatchCache>());
        _caches.Add(cache);
        return cache;
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(_caches.Select(cache => cache.FollowAsync(stoppingToken)));
}
