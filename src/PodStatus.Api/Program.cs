using Microsoft.Extensions.Options;
using PodStatus.Api.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddPodStatus(args);

var app = builder.Build();
app.UsePodStatus();

try
{
    await app.SeedPodsAsync();
    await app.StartAsync();
}
catch (Exception error) when (error is SeedFileException or OptionsValidationException)
{
    // Straight to stderr: the console logger writes in the background and could lose it as the process ends.
    await Console.Error.WriteLineAsync(error is OptionsValidationException invalid ? $"Invalid settings: {string.Join("; ", invalid.Failures)}" : error.Message);
    return 1;
}

await app.WaitForShutdownAsync();
return 0;

/// <summary>The entry point, visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
