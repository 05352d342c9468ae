using PodStatus.Api.Simulation;
using PodStatus.Api.Simulation.Network;

namespace PodStatus.Api.Hosting;

/// <summary>The simulation of pods and nodes by KWOK's stages, off unless <c>Simulation:Enabled</c>.</summary>
internal static class SimulationSetup
{
    public static IServiceCollection AddSimulation(this IServiceCollection services)
    {
        services.AddOptions<SimulationOptions>().BindConfiguration(SimulationOptions.Section)
            .Validate(o => o.Nodes >= 0, "Simulation:Nodes must be 0 or more")
            .Validate(o => SimulatedNetwork.IsCidr(o.Cidr), "Simulation:Cidr must be a CIDR, e.g. 10.0.0.1/24")
            .Validate(o => o.NodeLeaseDurationSeconds >= 0, "Simulation:NodeLeaseDurationSeconds must be 0 (no leases) or more")
            .Validate(o => o.NodePort is >= 0 and <= 65535, "Simulation:NodePort must be a port number, or 0 for none")
            .ValidateOnStart();
        services.AddSingleton<SimulatorAccess>();
        services.AddSingleton<Simulator>();
        services.AddHostedService(provider => provider.GetRequiredService<Simulator>());
        return services;
    }
}
