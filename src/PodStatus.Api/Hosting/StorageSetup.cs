using Microsoft.Extensions.Options;
using PodStatus.Api.Storage;
using PodStatus.Api.Storage.Etcd;

namespace PodStatus.Api.Hosting;

/// <summary>Picks the store the <c>Storage</c> settings name, checking them at start-up.</summary>
internal static class StorageSetup
{
    public static IServiceCollection AddPodStorage(this IServiceCollection services)
    {
        services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<StorageOptions>, Validator>();
        services.AddSingleton<IPodStore>(provider =>
        {
            var options = provider.GetRequiredService<IOptions<StorageOptions>>().Value;
            var clock = provider.GetRequiredService<TimeProvider>();
            return options.OnEtcd
                ? ActivatorUtilities.CreateInstance<EtcdPodStore>(provider, options.Etcd)
                : new InMemoryPodStore(options.HistorySize, clock);
        });
        return services;
    }

    private sealed class Validator : IValidateOptions<StorageOptions>
    {
        public ValidateOptionsResult Validate(string? name, StorageOptions options) =>
            options.Problem() is { } problem ? ValidateOptionsResult.Fail(problem) : ValidateOptionsResult.Success;
    }
}
