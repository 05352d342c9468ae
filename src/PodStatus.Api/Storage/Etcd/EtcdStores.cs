using dotnet_etcd;

namespace PodStatus.Api.Storage.Etcd;

/// <summary>Stores on etcd, every resource's under its own range of keys, over one connection.</summary>
public sealed class EtcdStores(EtcdOptions options, ILoggerFactory loggers) : IStoreFactory, IDisposable
{
    private readonly EtcdClient _client = EtcdStore.Connect(options);

    public IStore Create(string resource, Func<ReadOnlyMemory<byte>, EncodedObject> decode, TimeSpan? timeToLive) =>
        new EtcdStore(_client, options, resource, decode, timeToLive, loggers.CreateLogger<EtcdStore>());

    public void Dispose() => _client.Dispose();
}
