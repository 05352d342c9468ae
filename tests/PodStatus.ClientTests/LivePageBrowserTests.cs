using System.Diagnostics;
using k8s;
using k8s.Models;
using Microsoft.Playwright;
using PodStatus.Testing;

namespace PodStatus.ClientTests;

/// <summary>
/// The live page at /ui in a real headless Chromium (Debian's, driven by Playwright), against a PodStatus started by
/// PodStatus.Testing: rows follow the watch, filters narrow them, a 410 is followed by a new list, the token prompt
/// and RBAC's refusals work, a pod's page shows its history, and the page is used with the keyboard alone.
/// </summary>
public sealed class LivePageBrowserTests : IAsyncLifetime
{
    private HeadlessChromium? _chromium;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _chromium = await HeadlessChromium.LaunchAsync();

    public async ValueTask DisposeAsync()
    {
        if (_chromium is not null)
        {
            await _chromium.DisposeAsync();
        }
    }

    [Fact]
    public async Task AStatusPutByAnotherClient_ShowsInTheTableWithinASecond_WithoutAReload()
    {
        await using var server = await PodStatusServer.StartAsync(cancellationToken: Token);
        using var client = server.CreateClient();
        await CreatePodsAsync(client, ("web-1", "web"), ("web-2", "web"), ("db-1", "db"));
        var page = await OpenAsync(server.Url);
        var phase = Cell(page, "web-1", "Phase");
        await Assertions.Expect(phase).ToHaveTextAsync("Pending");
        await Assertions.Expect(page.Locator("#sync")).ToContainTextAsync("watching");
        await Assertions.Expect(page.GetByRole(AriaRole.List, new() { Name = "Pods per phase" })).ToContainTextAsync("Pending3");

        var clock = Stopwatch.StartNew();
        await client.CoreV1.ReplaceNamespacedPodStatusAsync(Running(await client.CoreV1.ReadNamespacedPodAsync("web-1", "default", cancellationToken: Token)),
            "web-1", "default", cancellationToken: Token);
        await Assertions.Expect(phase).ToHaveTextAsync("Running", new() { Timeout = 1000 });
        await Assertions.Expect(Cell(page, "web-1", "Pod IP")).ToHaveTextAsync("10.0.0.7");
        await Assertions.Expect(Cell(page, "web-1", "Ready")).ToHaveTextAsync("1/1");
        TestContext.Current.SendDiagnosticMessage($"status PUT shown after {clock.ElapsedMilliseconds} ms");
        await Assertions.Expect(page.GetByRole(AriaRole.List, new() { Name = "Pods per phase" })).ToContainTextAsync("Running1");

        await HeadlessChromium.SaveAsync("live-page-pods.png", await page.ScreenshotAsync());
    }

    [Fact]
    public async Task Filters_NarrowTheRows_OnTheServerAndInThePage()
    {
        await using var server = await PodStatusServer.StartAsync(cancellationToken: Token);
        using var client = server.CreateClient();
        await CreatePodsAsync(client, ("web-1", "web"), ("web-2", "web"), ("db-1", "db"));
        await client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = "team-a" } }, cancellationToken: Token);
        await client.CoreV1.CreateNamespacedPodAsync(Pod("other", "web", "team-a"), "team-a", cancellationToken: Token);
        await client.CoreV1.ReplaceNamespacedPodStatusAsync(Running(await client.CoreV1.ReadNamespacedPodAsync("web-2", "default", cancellationToken: Token)),
            "web-2", "default", cancellationToken: Token);
        var page = await OpenAsync(server.Url);
        var rows = page.Locator(".grid-row");
        await Assertions.Expect(rows).ToHaveCountAsync(4);

        // A label selector is the server's to apply: a new list and watch.
        await page.GetByLabel("Label selector").FillAsync("app=web");
        await Assertions.Expect(rows).ToHaveCountAsync(3);
        await Assertions.Expect(page.Locator("#sync")).ToContainTextAsync("watching");
        // So is the namespace.
        await page.GetByLabel("Namespace", new() { Exact = true }).FillAsync("default");
        await Assertions.Expect(rows).ToHaveCountAsync(2);
        // The phase and the name are applied in the page, to what it holds.
        await page.GetByLabel("Phase", new() { Exact = true }).SelectOptionAsync("Running");
        await Assertions.Expect(rows).ToHaveCountAsync(1);
        await Assertions.Expect(Cell(page, "web-2", "Phase")).ToHaveTextAsync("Running");
        await Assertions.Expect(page.Locator("#row-count")).ToHaveTextAsync("1 of 2 pods match");
        await page.GetByLabel("Phase", new() { Exact = true }).SelectOptionAsync("");
        await page.GetByLabel("Name contains").FillAsync("-1");
        await Assertions.Expect(rows).ToHaveCountAsync(1);
        await Assertions.Expect(Cell(page, "web-1", "Name")).ToBeVisibleAsync();

        // A pod that starts to match later comes in through the watch.
        await client.CoreV1.CreateNamespacedPodAsync(Pod("web-10", "web"), "default", cancellationToken: Token);
        await Assertions.Expect(rows).ToHaveCountAsync(2);
    }

    [Fact]
    public async Task AWatchThatExpires_IsFollowedByANewList_AndTheRowsCatchUp()
    {
        await using var server = await PodStatusServer.StartAsync(cancellationToken: Token);
        using var client = server.CreateClient();
        await CreatePodsAsync(client, ("web-1", "web"));
        var page = await OpenAsync(server.Url);
        await Assertions.Expect(page.Locator("#sync")).ToHaveTextAsync("pods: watching");

        // The next watch answers 410 Expired, as one from a revision the server no longer keeps; then the
        // connection drops, so the page watches again, gets the 410, and must list again.
        server.Faults.ExpireNextWatches();
        Assert.Equal(1, server.Faults.CutWatches());
        await client.CoreV1.CreateNamespacedPodAsync(Pod("while-away", "web"), "default", cancellationToken: Token);
        await client.CoreV1.DeleteNamespacedPodAsync("web-1", "default", new V1DeleteOptions { GracePeriodSeconds = 0 }, cancellationToken: Token);

        await Assertions.Expect(page.Locator("#sync")).ToHaveTextAsync("pods: watching · listed again 1× after 410");
        Assert.Equal(0, server.Faults.Pending);
        await Assertions.Expect(Cell(page, "while-away", "Name")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator(".grid-row")).ToHaveCountAsync(1);

        // And it watches again from the new list: a later change shows.
        await client.CoreV1.ReplaceNamespacedPodStatusAsync(Running(await client.CoreV1.ReadNamespacedPodAsync("while-away", "default", cancellationToken: Token)),
            "while-away", "default", cancellationToken: Token);
        await Assertions.Expect(Cell(page, "while-away", "Phase")).ToHaveTextAsync("Running");
    }

    [Fact]
    public async Task WhenTheServerRestarts_ThePageReconnects_AndFollowsTheNewOne()
    {
        var settings = new Dictionary<string, string> { ["Kestrel:Endpoints:Http:Url"] = $"http://127.0.0.1:{LoopbackPorts.Free()[0]}" };
        var first = new RealPortServer(seed: "", settings);
        var page = await OpenAsync(new Uri(first.Url));
        await Assertions.Expect(Cell(page, "hello-world", "Name")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#sync")).ToHaveTextAsync("pods: watching");

        first.Dispose();
        await Assertions.Expect(page.Locator("#sync")).ToContainTextAsync("disconnected: retrying");

        using var second = new RealPortServer(seed: "", settings);
        using var http = new HttpClient { BaseAddress = new Uri(second.Url) };
        var created = await http.PostAsync("/api/v1/namespaces/default/pods", new StringContent(
            """{"metadata":{"name":"after-restart"},"spec":{"containers":[{"name":"app","image":"nginx"}]}}""",
            System.Text.Encoding.UTF8, "application/json"), Token);
        Assert.Equal(System.Net.HttpStatusCode.Created, created.StatusCode);
        await Assertions.Expect(Cell(page, "after-restart", "Name")).ToBeVisibleAsync(new() { Timeout = 10_000 });
        await Assertions.Expect(page.Locator("#sync")).ToContainTextAsync("watching");
    }

    [Fact]
    public async Task WithATokenFile_ThePageAsksForAToken_ShowsUpstreamsForbidden_AndListsWithOneThatMay()
    {
        var options = new PodStatusServerOptions { Pods = { Pod("hello-world", "hello") } };
        options.Settings["Authentication:TokenFile"] = Path.Combine(AppContext.BaseDirectory, "samples", "tokens.csv");
        options.Settings["Authorization:PolicyFile"] = Path.Combine(AppContext.BaseDirectory, "samples", "policy.yaml");
        await using var server = await PodStatusServer.StartAsync(options, Token);
        var page = await OpenAsync(server.Url);

        var dialog = page.GetByRole(AriaRole.Dialog, new() { Name = "Sign in" });
        await Assertions.Expect(dialog).ToBeVisibleAsync();
        // carol may manage pods in team-a only: listing every namespace's pods is refused with upstream's message.
        await dialog.GetByLabel("Bearer token").FillAsync("example-team-a-token");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync(
            "pods is forbidden: User \"carol\" cannot list resource \"pods\" in API group \"\" at the cluster scope");
        await HeadlessChromium.SaveAsync("live-page-forbidden.png", await page.ScreenshotAsync());

        // bob (group dashboard) may view everything.
        await page.GetByRole(AriaRole.Button, new() { Name = "Token…" }).ClickAsync();
        await dialog.GetByLabel("Bearer token").FillAsync("example-dashboard-token");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(Cell(page, "hello-world", "Name")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToBeHiddenAsync();

        // Kept for the tab: a reload asks for nothing.
        await page.ReloadAsync();
        await Assertions.Expect(Cell(page, "hello-world", "Name")).ToBeVisibleAsync();
        await Assertions.Expect(dialog).ToBeHiddenAsync();
    }

    [Fact]
    public async Task APodsPage_IsReachedWithTheKeyboard_AndShowsItsHistoryConditionsEventsAndYaml()
    {
        await using var server = await PodStatusServer.StartAsync(cancellationToken: Token);
        using var client = server.CreateClient();
        await CreatePodsAsync(client, ("web-1", "web"), ("web-2", "web"));
        var page = await OpenAsync(server.Url);
        await Assertions.Expect(page.Locator(".grid-row")).ToHaveCountAsync(2);

        // Every control has a label, and Tab goes from the filters to the table; arrows choose a row, Enter opens it.
        foreach (var label in new[] { "Namespace", "Label selector", "Phase", "Name contains" })
        {
            await Assertions.Expect(page.GetByLabel(label, new() { Exact = true })).ToBeVisibleAsync();
        }

        await page.GetByLabel("Name contains").FocusAsync();
        await page.Keyboard.PressAsync("Tab");
        await Assertions.Expect(page.GetByRole(AriaRole.Grid, new() { Name = "Pods" })).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("ArrowDown");
        await page.Keyboard.PressAsync("ArrowDown");
        await Assertions.Expect(page.Locator(".grid-row[aria-selected=true]")).ToContainTextAsync("web-2");
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("#/pods/default/web-2$"));
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Pod default/web-2" })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#pod-yaml")).ToContainTextAsync("name: web-2");

        await client.CoreV1.ReplaceNamespacedPodStatusAsync(Running(await client.CoreV1.ReadNamespacedPodAsync("web-2", "default", cancellationToken: Token)),
            "web-2", "default", cancellationToken: Token);
        await client.CoreV1.CreateNamespacedEventAsync(new Corev1Event
        {
            Metadata = new V1ObjectMeta { Name = "web-2.started" },
            InvolvedObject = new V1ObjectReference { Kind = "Pod", Name = "web-2", NamespaceProperty = "default", ApiVersion = "v1" },
            Reason = "Started",
            Message = "Started container app",
            Type = "Normal",
            Source = new V1EventSource { Component = "kubelet" },
            LastTimestamp = DateTime.UtcNow,
        }, "default", cancellationToken: Token);

        var history = page.Locator("#pod-history tbody tr");
        await Assertions.Expect(history.First).ToContainTextAsync("modified");
        await Assertions.Expect(history.First).ToContainTextAsync("status.phase: \"Pending\" → \"Running\"");
        await Assertions.Expect(history.First).ToContainTextAsync("status.podIP: ∅ → \"10.0.0.7\"");
        await Assertions.Expect(history.Last).ToContainTextAsync("listed");
        await Assertions.Expect(page.Locator("#pod-conditions tbody tr")).ToContainTextAsync("Ready");
        await Assertions.Expect(page.Locator("#pod-events tbody tr")).ToContainTextAsync("Started container app");
        await Assertions.Expect(page.Locator("#pod-yaml")).ToContainTextAsync("phase: Running");
        await HeadlessChromium.SaveAsync("live-page-pod.png", await page.ScreenshotAsync(new() { FullPage = true }));

        // Back to the list with the browser's Back.
        await page.GoBackAsync();
        await Assertions.Expect(Cell(page, "web-2", "Phase")).ToHaveTextAsync("Running");
    }

    [Fact]
    public async Task SimulatedPods_MoveInThePage_AndItsNodesAndEventsTabsFollowToo()
    {
        await using var server = await PodStatusServer.StartAsync(new PodStatusServerOptions { Simulate = true, Schedule = true, SimulatedNodes = 3 }, Token);
        using var client = server.CreateClient();
        var page = await OpenAsync(server.Url);
        await Assertions.Expect(page.Locator("#sync")).ToHaveTextAsync("pods: watching");

        // Waves of pods, as a user's workloads would come: plain ones go Running, a Job's complete, a chaos-labelled
        // one fails a second after it runs (KWOK's stages, run by the server).
        for (var wave = 0; wave < 6; wave++)
        {
            for (var i = 0; i < 4; i++)
            {
                var pod = Pod($"web-{wave}-{i}", "web");
                if (i == 3)
                {
                    pod.Metadata.Name = $"batch-{wave}";
                    pod.Metadata.OwnerReferences = [new V1OwnerReference { ApiVersion = "batch/v1", Kind = "Job", Name = "batch", Uid = "4a4a6e2a-8c1d-4a1e-9c55-2f6a8f0b7d11" }];
                }

                if (wave == 4 && i == 0)
                {
                    pod.Metadata.Name = "flaky";
                    pod.Metadata.Labels["pod-container-running-failed.stage.kwok.x-k8s.io"] = "true";
                }

                await client.CoreV1.CreateNamespacedPodAsync(pod, "default", cancellationToken: Token);
            }

            await Task.Delay(1000, Token);
        }

        var counts = page.GetByRole(AriaRole.List, new() { Name = "Pods per phase" });
        await Assertions.Expect(counts).ToContainTextAsync("Running17");
        await Assertions.Expect(counts).ToContainTextAsync("Succeeded6");
        await Assertions.Expect(counts).ToContainTextAsync("Failed1");
        await Assertions.Expect(Cell(page, "flaky", "Phase")).ToHaveTextAsync("Failed");
        await Assertions.Expect(Cell(page, "web-0-0", "Node")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^node-"));
        await Assertions.Expect(Cell(page, "web-0-0", "Pod IP")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^10\."));
        await Task.Delay(1500, Token); // one more sample on the chart after the last change
        await HeadlessChromium.SaveAsync("live-page.png", await page.ScreenshotAsync());

        await page.GetByRole(AriaRole.Tab, new() { Name = "Nodes" }).ClickAsync();
        await Assertions.Expect(page.Locator(".grid-row")).ToHaveCountAsync(3);
        await Assertions.Expect(page.Locator(".grid-row").First).ToContainTextAsync("Ready");
        await page.GetByRole(AriaRole.Tab, new() { Name = "Events" }).ClickAsync();
        await Assertions.Expect(page.Locator(".grid-row", new() { HasText = "pod/flaky" }).First).ToContainTextAsync("Back-off restarting failed container");
        await HeadlessChromium.SaveAsync("live-page-events.png", await page.ScreenshotAsync());
    }

    [Fact]
    public async Task ABrowserOpeningTheRoot_IsSentToThePage_AndClientsGetThePaths()
    {
        await using var server = await PodStatusServer.StartAsync(cancellationToken: Token);
        var page = await _chromium!.Browser.NewPageAsync();
        await page.GotoAsync(server.Url.ToString());
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/ui/$"));
        await Assertions.Expect(page).ToHaveTitleAsync("PodStatus: live pods");

        using var http = server.CreateHttpClient();
        var root = await http.GetStringAsync("/", Token);
        Assert.Contains("\"/api/v1\"", root);
        Assert.Contains("\"/ui\"", root);
    }

    private async Task<IPage> OpenAsync(Uri server)
    {
        var page = await _chromium!.Browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        await page.GotoAsync(new Uri(server, "/ui/").ToString());
        return page;
    }

    /// <summary>The cell of one column in the row of the pod named <paramref name="name"/>.</summary>
    private static ILocator Cell(IPage page, string name, string column) =>
        page.Locator($".grid-row[data-key$='/{name}'] > div:nth-child({ColumnIndex(column)})");

    private static int ColumnIndex(string column) =>
        Array.IndexOf(["Namespace", "Name", "Phase", "Ready", "Restarts", "Node", "Pod IP", "Age"], column) + 1;

    private static async Task CreatePodsAsync(IKubernetes client, params (string Name, string App)[] pods)
    {
        foreach (var (name, app) in pods)
        {
            await client.CoreV1.CreateNamespacedPodAsync(Pod(name, app), "default", cancellationToken: Token);
        }
    }

    private static V1Pod Pod(string name, string app, string @namespace = "default") => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = @namespace, Labels = new Dictionary<string, string> { ["app"] = app } },
        Spec = new V1PodSpec { Containers = [new V1Container { Name = "app", Image = "nginx" }] },
    };

    private static V1Pod Running(V1Pod pod)
    {
        pod.Status = new V1PodStatus
        {
            Phase = "Running",
            PodIP = "10.0.0.7",
            Conditions = [new V1PodCondition { Type = "Ready", Status = "True", LastTransitionTime = DateTime.UtcNow }],
            ContainerStatuses = [new V1ContainerStatus { Name = "app", Ready = true, RestartCount = 0, Image = "nginx", ImageID = "", State = new V1ContainerState { Running = new V1ContainerStateRunning { StartedAt = DateTime.UtcNow } } }],
        };
        return pod;
    }
}
