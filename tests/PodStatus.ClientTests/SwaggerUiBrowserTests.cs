using Microsoft.Playwright;

namespace PodStatus.ClientTests;

/// <summary>
/// The Swagger UI in a real headless Chromium (Debian's, driven by Playwright): the founding document's example,
/// tried out on the seeded pod, answers 200 and then 409, as the page shows it.
/// </summary>
public sealed class SwaggerUiBrowserTests : IAsyncLifetime
{
    private readonly RealPortServer _server = new(seed: "");
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public async ValueTask InitializeAsync()
    {
        var chromium = External.Require("chromium");
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = chromium,
            Headless = true,
            // This machine has no network beyond loopback: keep Chromium from reaching for it.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
    }

    public async ValueTask DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
        _server.Dispose();
    }

    [Fact]
    public async Task TryItOut_OnTheSeededPod_Shows200ThenTheConflict()
    {
        var page = await _browser!.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 2000 } });
        await page.GotoAsync(_server.Url + "/swagger");
        var operation = page.Locator("#operations-core_v1-replaceCoreV1NamespacedPodStatus");
        await operation.Locator(".opblock-summary").ClickAsync();
        await operation.Locator(".try-out__btn").ClickAsync();

        var body = await operation.Locator("textarea.body-param__text").InputValueAsync();
        Assert.Contains("\"resourceVersion\": \"3636\"", body);

        await operation.Locator("button.execute").ClickAsync();
        var status = operation.Locator(".live-responses-table .response .response-col_status");
        await Assertions.Expect(status).ToHaveTextAsync("200");
        var shown = await operation.Locator(".live-responses-table .response-col_description pre").First.InnerTextAsync();
        Assert.Contains("\"phase\": \"Running\"", shown);
        Assert.Contains("\"selfLink\": \"/api/v1/namespaces/default/pods/hello-world/status\"", shown);

        await operation.Locator("button.execute").ClickAsync();
        await Assertions.Expect(status).ToHaveTextAsync("409");
        var conflict = await operation.Locator(".live-responses-table .response-col_description pre").First.InnerTextAsync();
        Assert.Contains("the object has been modified; please apply your changes to the latest version and try again", conflict);

        var screenshot = await operation.ScreenshotAsync();
        var artifacts = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "artifacts"));
        await File.WriteAllBytesAsync(Path.Combine(artifacts.FullName, "swagger-try-it-out.png"), screenshot, TestContext.Current.CancellationToken);
        TestContext.Current.AddAttachment("swagger-try-it-out.png", screenshot, "image/png");
    }

    [Fact]
    public async Task WithAuthenticationOn_TryItOutIs401_UntilATokenIsGivenToAuthorize()
    {
        using var secured = new RealPortServer(seed: "", new Dictionary<string, string>
        {
            ["Authentication:TokenFile"] = Path.Combine(AppContext.BaseDirectory, "samples", "tokens.csv"),
            ["Authorization:PolicyFile"] = Path.Combine(AppContext.BaseDirectory, "samples", "policy.yaml"),
        });
        var page = await _browser!.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 2000 } });
        await page.GotoAsync(secured.Url + "/swagger");
        var operation = page.Locator("#operations-core_v1-readCoreV1NamespacedPodStatus");
        await operation.Locator(".opblock-summary").ClickAsync();
        await operation.Locator(".try-out__btn").ClickAsync();
        await operation.Locator("input[placeholder='name']").FillAsync("hello-world");
        await operation.Locator("input[placeholder='namespace']").FillAsync("default");
        var status = operation.Locator(".live-responses-table .response .response-col_status");

        await operation.Locator("button.execute").ClickAsync();
        await Assertions.Expect(status).ToHaveTextAsync("401");

        await page.Locator(".auth-wrapper .authorize").ClickAsync();
        await page.Locator(".modal-ux input[type=text], .modal-ux input[type=password]").First.FillAsync("example-node-agent-token");
        await page.Locator(".modal-ux button.authorize").ClickAsync();
        await page.Locator(".modal-ux button.btn-done").ClickAsync();
        await operation.Locator("button.execute").ClickAsync();
        await Assertions.Expect(status).ToHaveTextAsync("200");
        var shown = await operation.Locator(".live-responses-table .response-col_description pre").First.InnerTextAsync();
        Assert.Contains("\"name\": \"hello-world\"", shown);
    }
}
