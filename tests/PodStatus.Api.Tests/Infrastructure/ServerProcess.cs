namespace PodStatus.Api.Tests.Infrastructure;

/// <summary>The real server process, for what only a process shows: its exit code and what it writes.</summary>
public static class ServerProcess
{
    /// <summary>Runs the real server process, as <c>dotnet run</c> would, on a port of its own choosing.</summary>
    public static async Task<(int ExitCode, string Output)> RunToExitAsync(params string[] args)
    {
        var (code, output, error) = await Processes.RunAsync("dotnet",
            [typeof(Program).Assembly.Location, "--urls", "http://127.0.0.1:0", .. args], AppContext.BaseDirectory);
        return (code, output + error);
    }
}
