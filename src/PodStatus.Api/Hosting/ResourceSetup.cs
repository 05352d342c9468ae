using FluentValidation;
using k8s;
using k8s.Models;
using PodStatus.Api.Endpoints;
using PodStatus.Api.Registry;
using PodStatus.Api.Selection;
using PodStatus.Api.Resources.Events;
using PodStatus.Api.Resources.Leases;
using PodStatus.Api.Resources.Namespaces;
using PodStatus.Api.Resources.Nodes;
using PodStatus.Api.Resources.Pods;
using PodStatus.Api.Storage;
using PodStatus.Api.Validation;
using PodStatus.Api.Watch;

namespace PodStatus.Api.Hosting;

/// <summary>
/// The resources the server serves, each put together the same way: its strategy, a store the settings choose, a
/// watch cache following that store, the generic registry over both, and handlers for each version it is served in.
/// </summary>
internal static class ResourceSetup
{
    public static IServiceCollection AddResources(this IServiceCollection services)
    {
        services.AddSingleton<IValidator<V1Pod>, PodCreateValidator>();
        services.AddSingleton<IValidator<ObjectUpdate<V1Pod>>, PodUpdateValidator>();
        services.AddSingleton<IValidator<PodStatusUpdate>, PodStatusUpdateValidator>();
        services.AddSingleton<PodStrategy>();
        services.AddSingleton<IValidator<V1Namespace>, NamespaceCreateValidator>();
        services.AddSingleton<IValidator<ObjectUpdate<V1Namespace>>, NamespaceUpdateValidator>();
        services.AddSingleton<NamespaceStrategy>();
        services.AddHostedService<NamespaceController>();
        services.AddSingleton<IValidator<V1Node>, NodeCreateValidator>();
        services.AddSingleton<IValidator<ObjectUpdate<V1Node>>, NodeUpdateValidator>();
        services.AddSingleton<NodeStrategy>();
        services.AddSingleton<IValidator<V1Lease>, LeaseValidator>();
        services.AddSingleton<LeaseStrategy>();
        services.AddOptions<EventOptions>().BindConfiguration(EventOptions.Section)
            .Validate(o => o.Ttl > TimeSpan.Zero, "Events:Ttl must be positive, e.g. 01:00:00").ValidateOnStart();
        services.AddSingleton<IValidator<EventWrite>, EventValidator>();
        services.AddSingleton<EventStrategy>();

        services.AddSingleton<GracefulDeletion>();
        services.AddSingleton<WatchCaches>();
        services.AddHostedService(provider => provider.GetRequiredService<WatchCaches>());
        services.AddSingleton<WatchService>();
        services.AddSingleton(provider =>
        {
            var parts = new Parts(provider);
            // Namespaces first: every namespaced resource's creates are admitted against them.
            var namespaceStrategy = provider.GetRequiredService<NamespaceStrategy>();
            var namespaces = parts.Registry(namespaceStrategy, (store, cache) => new NamespaceRegistry(namespaceStrategy, store, cache,
                provider.GetRequiredService<TimeProvider>(), provider.GetRequiredService<GracefulDeletion>()));
            var lifecycle = new NamespaceLifecycle(namespaces);
            return new Registries(
            [
                namespaces,
                parts.Registry(provider.GetRequiredService<PodStrategy>(), lifecycle),
                parts.Registry(provider.GetRequiredService<NodeStrategy>(), admission: null),
                parts.Registry(provider.GetRequiredService<LeaseStrategy>(), lifecycle),
                parts.Registry(provider.GetRequiredService<EventStrategy>(), lifecycle),
            ]);
        });
        services.AddSingleton(provider =>
        {
            var registries = provider.GetRequiredService<Registries>();
            var parts = new Parts(provider);
            return new ServedResources(
            [
                parts.Served<V1Pod, V1PodList>(registries.Of<V1Pod>()),
                parts.Served<V1Namespace, V1NamespaceList>(registries.Of<V1Namespace>()),
                parts.Served<V1Node, V1NodeList>(registries.Of<V1Node>()),
                parts.Served<V1Lease, V1LeaseList>(registries.Of<V1Lease>()),
                parts.Served<Corev1Event, Corev1EventList>(registries.Of<Corev1Event>()),
                // events.k8s.io/v1: the same events, converted as they are read and written.
                parts.Served<Corev1Event, Eventsv1Event, Eventsv1EventList>(registries.Of<Corev1Event>(), new ServedVersion(EventConversion.EventsV1, index: 1,
                    stored => EventConversion.Serve(stored, provider.GetRequiredService<EventStrategy>())), EventFields.EventsV1, EventConversion.ToCore),
            ]);
        });
        return services;
    }

    /// <summary>What every resource is made of, from the server's services.</summary>
    private sealed class Parts(IServiceProvider provider)
    {
        private readonly IStoreFactory _stores = provider.GetRequiredService<IStoreFactory>();
        private readonly WatchCaches _caches = provider.GetRequiredService<WatchCaches>();

        public Registry<T> Registry<T>(Strategy<T> strategy, INamespaceAdmission? admission)
            where T : class, IKubernetesObject<V1ObjectMeta>, new() =>
            Registry(strategy, (store, cache) => new Registry<T>(strategy, store, cache, provider.GetRequiredService<TimeProvider>(),
                provider.GetRequiredService<GracefulDeletion>(), admission));

        /// <summary>A resource whose registry is its own (namespaces delete as no other resource does).</summary>
        public TRegistry Registry<T, TRegistry>(Strategy<T> strategy, Func<IStore, WatchCache, TRegistry> create)
            where T : class, IKubernetesObject<V1ObjectMeta>, new()
        {
            var store = _stores.Create(strategy.StorageName, strategy.Read, strategy.TimeToLive);
            return create(store, _caches.Follow(strategy.Resource.Plural, store));
        }

        /// <summary>The resource in the version it is stored in.</summary>
        public IResourceHandlers Served<T, TList>(Registry<T> registry)
            where T : class, IKubernetesObject<V1ObjectMeta>, new()
            where TList : IKubernetesObject<V1ListMeta>, IItems<T> =>
            Served<T, T, TList>(registry, new ServedVersion(registry.Resource), registry.Strategy.Fields, value => value);

        /// <summary>The resource in another version, converted from and to the stored one.</summary>
        public IResourceHandlers Served<T, TServed, TServedList>(Registry<T> registry, ServedVersion version, FieldSet fields, Func<TServed, T> toStored)
            where T : class, IKubernetesObject<V1ObjectMeta>, new()
            where TServed : class, IKubernetesObject<V1ObjectMeta>, new()
            where TServedList : IKubernetesObject<V1ListMeta>, IItems<TServed> =>
            new ResourceHandlers<T, TServed, TServedList>(registry, version, fields, registry.Strategy.PatchSchema, toStored, provider.GetRequiredService<WatchService>());
    }
}
