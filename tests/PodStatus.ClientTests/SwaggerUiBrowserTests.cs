using Microsoft.Playwright;

namespace PodStatus.ClientTests;

/// <summary>
/// The Swagger UI in a real headless Chromium (Debian's, driven by Playwright): the founding document's example,
/// tried out on the seeded pod, answers 200 and then 409, as the page shows it.
/// </summary>
public sealed class SwaggerUiBrowserTests : IAsyncLifetime
{
    private readonly RealPortServer _server = new(seed: "");
    private HeadlessChromium? _chromium;

    private IBrowser Browser => _chromium!.Browser;

    public async ValueTask InitializeAsync() => _chromium = await HeadlessChromium.LaunchAsync();

    public async ValueTask DisposeAsync()
    {
        if (_chromium is not null)
        {
            await _chromium.DisposeAsync();
        }

        _server.Dispose();
    }

    [Fact]
    public async Task TryItOut_OnTheSeededPod_Shows200ThenTheConflict()
    {
        var page = await Browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 2000 } });
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

        await HeadlessChromium.SaveAsync("swagger-try-it-out.png", await operation.ScreenshotAsync());
    }

    [Fact]
    public async Task WithAuthenticationOn_TryItOutIs401_UntilATokenIsGivenToAuthorize()
    {
        using var secured = new RealPortServer(seed: "", new Dictionary<string, string>
        {
            ["Authentication:TokenFile"] = Path.Combine(AppContext.BaseDirectory, "samples", "tokens.csv"),
            ["Authorization:PolicyFile"] = Path.Combine(AppContext.BaseDirectory, "samples", "policy.yaml"),
        });
        var page = await Browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 2000 } });
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
