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

    public void Dispose()
    {
        Client.Dispose();
        Factory.Dispose();
        GC.SuppressFinalize(this);
    }
}
