using Microsoft.Extensions.Options;
using PodStatus.Api.Hosting;
using PodStatus.Api.Simulation.Stages;
using PodStatus.Api.Storage;

// The pod's JSON metadata is built on another core while the host is made.
_ = Task.Run(Seeder.WarmUp);

// The app's own folder is its content root wherever it is started from, so its appsettings.json always applies.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.AddPodStatus(args);

var app = builder.Build();
try
{
    // Settings first, so a bad one is one line on stderr rather than the host's failure log.
    app.Services.GetRequiredService<IStartupValidator>().Validate();
    app.LoadStages();
    app.UsePodStatus();
    await app.SeedAsync();
    await app.StartAsync();
}
catch (Exception error) when (error is SeedFileException or StageException or OptionsValidationException or StoreUnavailableException
    or AggregateException { InnerExceptions: [OptionsValidationException, ..] })
{
    // Straight to stderr: the console logger writes in the background and could lose it as the process ends.
    await Console.Error.WriteLineAsync(error switch
    {
        OptionsValidationException invalid => $"Invalid settings: {string.Join("; ", invalid.Failures)}",
        AggregateException all => $"Invalid settings: {string.Join("; ", all.InnerExceptions.OfType<OptionsValidationException>().SelectMany(e => e.Failures))}",
        StageException => $"Cannot simulate: {error.Message}",
        StoreUnavailableException => $"Cannot start: {error.Message} (seeding needs it; start etcd, or check Storage:Etcd:Endpoints)",
        _ => error.Message,
    });
    return 1;
}

await app.WaitForShutdownAsync();
return 0;

/// <summary>The entry point, visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
