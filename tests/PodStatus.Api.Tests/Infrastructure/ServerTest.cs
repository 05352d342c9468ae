namespace PodStatus.Api.Tests.Infrastructure;

/// <summary>A test class with a server of its own: a fresh factory per test, as xunit makes a new instance for each.</summary>
public abstract class ServerTest(PodStatusFactory factory) : IDisposable
{
    protected PodStatusFactory Factory { get; } = factory;

    protected HttpClient Client { get; } = factory.CreateClient();

    /// <summary>An empty server.</summary>
    protected ServerTest()
        : this(new PodStatusFactory { SeedPath = "none" })
    {
    }

    /// <summary>
    /// Waits until the watch cache has reached <paramref name="revision"/> (a list at it waits, as upstream's does):
    /// on etcd the cache learns of a write a moment after it is acknowledged.
    /// </summary>
    protected async Task WaitForCacheAsync(string revision) =>
        Assert.Equal(System.Net.HttpStatusCode.OK, (await Client.GetReplyAsync($"/api/v1/pods?resourceVersion={revision}&limit=1")).Code);

    /// <summary>
    /// Waits (up to 30 s) until /readyz answers 200, as a readiness probe would: readiness may lag start-up, as
    /// upstream's does, and on etcd a watch cache can take a moment to follow its store.
    /// </summary>
    protected async Task WaitUntilReadyAsync()
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while ((await Client.GetReplyAsync("/readyz")).Code != System.Net.HttpStatusCode.OK && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
    }

    /// <summary>
    /// The current revision a Too large resource version message reports, checked against the one the test saw last:
    /// the same in memory; on a shared etcd, other keys' writes may have moved it on since.
    /// </summary>
    protected static string ReportedCurrent(string message, string seen)
    {
        var reported = System.Text.RegularExpressions.Regex.Match(message, "current: ([0-9]+)$").Groups[1].Value;
        Assert.True(PodStatusFactory.OnEtcd ? long.Parse(reported) >= long.Parse(seen) : reported == seen, $"current: {reported}, last seen: {seen}");
        return reported;
    }

    public void Dispose()
    {
        Client.Dispose();
        Factory.Dispose();
        GC.SuppressFinalize(this);
    }
}
