using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace PodStatus.Api.Tests;

/// <summary>The built server started as a user would, from a folder that is not its own.</summary>
public sealed class StartUpTests
{
    [Fact]
    public async Task StartedFromAnotherFolder_ReadsItsOwnSettings_AndDoesNotLogEachRequest()
    {
        var elsewhere = Directory.CreateTempSubdirectory("podstatus-cwd-").FullName;
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = elsewhere };
        foreach (var argument in new[] { typeof(Program).Assembly.Location, "--urls", $"http://127.0.0.1:{port}" })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = new System.Collections.Concurrent.ConcurrentQueue<string?>();
        process.OutputDataReceived += (_, line) => output.Enqueue(line.Data);
        process.ErrorDataReceived += (_, line) => output.Enqueue(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            var waiting = Stopwatch.StartNew();
            HttpStatusCode? code = null;
            while (code is null && waiting.Elapsed < TimeSpan.FromSeconds(30))
            {
                try
                {
                    code = (await client.GetAsync("/api/v1/namespaces/default/pods/hello-world", TestContext.Current.CancellationToken)).StatusCode;
                }
                catch (HttpRequestException)
                {
                    await Task.Delay(100, TestContext.Current.CancellationToken);
                }
            }

            Assert.Equal(HttpStatusCode.OK, code);
            await client.GetAsync("/api/v1/pods", TestContext.Current.CancellationToken);
        }
        finally
        {
            process.Kill();
            await process.WaitForExitAsync(TestContext.Current.CancellationToken);
            Directory.Delete(elsewhere, recursive: true);
        }

        var log = string.Join('\n', output);
        Assert.Contains($"Content root path: {AppContext.BaseDirectory}", log);
        Assert.DoesNotContain("Request starting", log);
        Assert.DoesNotContain("Executing endpoint", log);
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
