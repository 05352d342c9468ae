using System.Net;
using PodStatus.Api.Tests.Infrastructure;

namespace PodStatus.Api.Tests;

/// <summary>The built server started and stopped as a user or an orchestrator would.</summary>
public sealed class StartUpTests
{
    [Fact]
    public async Task Sigterm_FinishesAWriteInFlight_EndsWatchesCleanly_AndExitsZero()
    {
        var port = LoopbackPorts.Free()[0];
        await using var server = ServerProcess.Start(AppContext.BaseDirectory, "--urls", $"http://127.0.0.1:{port}");
        var process = server.Process;
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        await server.WaitUntilServingAsync(client);
        using var watchResponse = await client.GetAsync(
            "/api/v1/namespaces/default/pods?watch=true&resourceVersion=3636", HttpCompletionOption.ResponseHeadersRead, TestContext.Current.CancellationToken);
        using var watch = new StreamReader(await watchResponse.Content.ReadAsStreamAsync(TestContext.Current.CancellationToken));

        var body = TestPods.StatusUpdate(TestPods.Pod("hello-world"), TestPods.Running("10.9.8.6"), keepResourceVersion: false);
        body["metadata"]!.AsObject().Remove("uid");
        await client.PutAsync("/api/v1/namespaces/default/pods/hello-world/status", new StringContent(body.ToJsonString(), null, "application/json"), TestContext.Current.CancellationToken);
        Assert.Contains("10.9.8.6", await watch.ReadLineAsync(TestContext.Current.CancellationToken));

        // A status write whose body is half sent when the server is told to stop: it is in flight.
        body["status"]!["podIP"] = "10.9.8.7";
        var content = new HalfThenRest(System.Text.Encoding.UTF8.GetBytes(body.ToJsonString()));
        var write = client.PutAsync("/api/v1/namespaces/default/pods/hello-world/status", content, TestContext.Current.CancellationToken);
        await content.HalfSent.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        await Task.Delay(300, TestContext.Current.CancellationToken);

        server.Terminate();
        await Task.Delay(500, TestContext.Current.CancellationToken);
        content.SendRest();
        var written = await write;
        await process.WaitForExitAsync(TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, written.StatusCode);
        Assert.Contains("10.9.8.7", await written.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal(0, process.ExitCode);
        // The watch was ended as a stream ends (no broken connection): its client resumes from its last revision.
        while (await watch.ReadLineAsync(TestContext.Current.CancellationToken) is { } line)
        {
            Assert.Contains("\"type\":\"MODIFIED\"", line);
        }
    }

    [Fact]
    public async Task DotnetRun_ReadsRelativePathsFromWhereItIsTyped()
    {
        // As the README does from the repository's root: `dotnet run --project src/PodStatus.Api -- --Authentication:TokenFile=samples/tokens.csv`.
        var here = Directory.CreateTempSubdirectory("podstatus-run-").FullName;
        try
        {
            var (code, output, error) = await Processes.RunAsync("dotnet",
                ["run", "--no-build", "--project", ProjectDirectory(), "--", "--urls", "http://127.0.0.1:0", "--Authentication:TokenFile=missing.csv"], here);

            Assert.Equal(1, code);
            Assert.Contains($"Could not find file '{Path.Combine(here, "missing.csv")}'", output + error);
        }
        finally
        {
            Directory.Delete(here, recursive: true);
        }
    }

    private static string ProjectDirectory([System.Runtime.CompilerServices.CallerFilePath] string here = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(here)!, "..", "..", "src", "PodStatus.Api"));

    [Fact]
    public async Task StartedFromAnotherFolder_ReadsItsOwnSettings_AndDoesNotLogEachRequest()
    {
        var elsewhere = Directory.CreateTempSubdirectory("podstatus-cwd-").FullName;
        var port = LoopbackPorts.Free()[0];
        var server = ServerProcess.Start(elsewhere, "--urls", $"http://127.0.0.1:{port}");
        await using (server)
        {
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            await server.WaitUntilServingAsync(client);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/namespaces/default/pods/hello-world", TestContext.Current.CancellationToken)).StatusCode);
            await client.GetAsync("/api/v1/pods", TestContext.Current.CancellationToken);
        }

        Directory.Delete(elsewhere, recursive: true);
        var log = server.Output;
        Assert.Contains($"Content root path: {AppContext.BaseDirectory}", log);
        Assert.DoesNotContain("Request starting", log);
        Assert.DoesNotContain("Executing endpoint", log);
    }

    [Fact]
    public async Task RelativeCertificatePaths_MeanTheWorkingDirectory_AndAMissingOneIsOneLine()
    {
        // Kestrel alone would look for them in the content root, the app's own folder.
        using var certificates = new TestCertificates();
        var port = LoopbackPorts.Free()[0];
        string[] https = [$"--Kestrel:Endpoints:Https:Url=https://127.0.0.1:{port}", "--Kestrel:Endpoints:Https:Certificate:KeyPath=" + Path.GetFileName(certificates.ServerKeyFile)];
        await using (var server = ServerProcess.Start(certificates.Directory, [.. https, "--Kestrel:Endpoints:Https:Certificate:Path=" + Path.GetFileName(certificates.ServerCertificateFile)]))
        {
            using var client = certificates.HttpClient(new Uri($"https://127.0.0.1:{port}"));
            await server.WaitUntilServingAsync(client);
        }

        var (code, output, error) = await Processes.RunAsync("dotnet",
            [typeof(Program).Assembly.Location, .. https, "--Kestrel:Endpoints:Https:Certificate:Path=missing.crt"], certificates.Directory);

        Assert.Equal(1, code);
        Assert.Equal($"Invalid settings: Kestrel:Endpoints:Https:Certificate:Path: no file at '{Path.Combine(certificates.Directory, "missing.crt")}'", (output + error).Trim());
    }
}
