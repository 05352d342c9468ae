using PodStatus.Api.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddPodStatus(args);

var app = builder.Build();
app.UsePodStatus();

try
{
    await app.SeedPodsAsync();
}
catch (SeedFileException error)
{
    app.Logger.LogCritical("{Problem}", error.Message);
    return 1;
}

await app.RunAsync();
return 0;

/// <summary>The entry point, visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
