using Microsoft.Extensions.Options;
using PodStatus.Api.Storage;
using PodStatus.Api.Storage.Etcd;

namespace PodStatus.Api.Hosting;

/// <summary>Picks the stores the <c>Storage</c> settings name, checking them at start-up.</summary>
internal static class StorageSetup
{
    public static IServiceCollection AddStorage(this IServiceCollection services)
    {
        services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<StorageOptions>, Validator>();
        services.AddSingleton<IStoreFactory>(provider =>
        {
            var options = provider.GetRequiredService<IOptions<StorageOptions>>().Value;
            return options.OnEtcd
                ? new EtcdStores(options.Etcd, provider.GetRequiredService<ILoggerFactory>())
                : new InMemoryStores(options.HistorySize, provider.GetRequiredService<TimeProvider>());
        });
        return services;
    }

    private sealed class Validator : IValidateOptions<StorageOptions>
    {
        public ValidateOptionsResult Validate(string? name, StorageOptions options) =>
            options.Problem() is { } problem ? ValidateOptionsResult.Fail(problem) : ValidateOptionsResult.Success;
    }
}
