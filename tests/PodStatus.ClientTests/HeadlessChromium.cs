using Microsoft.Playwright;

namespace PodStatus.ClientTests;

/// <summary>Debian's Chromium, headless, driven by Playwright (which cannot download a browser here).</summary>
public sealed class HeadlessChromium : IAsyncDisposable
{
    private readonly IPlaywright _playwright;

    private HeadlessChromium(IPlaywright playwright, IBrowser browser) => (_playwright, Browser) = (playwright, browser);

    public IBrowser Browser { get; }

    /// <summary>Where the tests' screenshots are written (beside the test assembly).</summary>
    public static string Artifacts => Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "artifacts")).FullName;

    public static async Task<HeadlessChromium> LaunchAsync()
    {
        var chromium = External.Require("chromium");
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = chromium,
            Headless = true,
            // This machine has no network beyond loopback: keep Chromium from reaching for it.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        return new HeadlessChromium(playwright, browser);
    }

    /// <summary>Saves a screenshot among the artifacts and attaches it to the test's result.</summary>
    public static async Task SaveAsync(string name, byte[] png)
    {
        await File.WriteAllBytesAsync(Path.Combine(Artifacts, name), png, TestContext.Current.CancellationToken);
        TestContext.Current.AddAttachment(name, png, "image/png");
    }

    public async ValueTask DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright.Dispose();
    }
}
