using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using k8s;
using k8s.Models;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using PodStatus.Api.Hosting;
using PodStatus.Api.Registry;
using PodStatus.Api.Storage;

namespace PodStatus.Testing;

/// <summary>
/// A real Kubernetes pod API (PodStatus: kube-apiserver's semantics, status codes and messages) in this process,
/// on a loopback port of its own. Start one per test or per test class; many may run at once.
/// <code>
/// await using var server = await PodStatusServer.StartAsync();
/// IKubernetes client = server.CreateClient();
/// </code>
/// </summary>
public sealed class PodStatusServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string _directory;
    private readonly ChangeRecorder _changes;

    private PodStatusServer(WebApplication app, string directory)
    {
        _app = app;
        _directory = directory;
        _changes = (ChangeRecorder)app.Services.GetRequiredService<IStoreFactory>();
        Faults = app.Services.GetRequiredService<FaultInjector>();
        Url = new Uri(app.Urls.First());
        KubeconfigPath = Path.Combine(directory, "kubeconfig");
        File.WriteAllText(KubeconfigPath, $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: podstatus
              cluster:
                server: {Url.ToString().TrimEnd('/')}
            contexts:
            - name: podstatus
              context:
                cluster: podstatus
                namespace: default
            current-context: podstatus
            users: []
            """);
    }

    /// <summary>Where the server listens, for example <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri Url { get; }

    /// <summary>A kubeconfig file for this server (namespace <c>default</c>), for kubectl (<c>--kubeconfig</c>) and other tools.</summary>
    public string KubeconfigPath { get; }

    /// <summary>Faults to inject into the next requests: failed or delayed writes, cut or expired watches.</summary>
    public FaultInjector Faults { get; }

    /// <summary>Starts a server and returns once it answers. Dispose it to stop it.</summary>
    public static async Task<PodStatusServer> StartAsync(PodStatusServerOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new PodStatusServerOptions();
        var directory = Directory.CreateTempSubdirectory("podstatus-testing-").FullName;
        WebApplication? app = null;
        try
        {
            app = Build(options, directory);
            // The server's own start-up: settings checked, pipeline, seed pods, then listening.
            app.Services.GetRequiredService<IStartupValidator>().Validate();
            app.LoadStages();
            app.UsePodStatus();
            await app.SeedAsync();
            await app.StartAsync(cancellationToken);
            return new PodStatusServer(app, directory);
        }
        catch
        {
            // A server that could not start (bad settings, etcd away) leaves nothing behind either.
            if (app is not null)
            {
                await app.DisposeAsync();
            }

            Directory.Delete(directory, recursive: true);
            throw;
        }
    }

    /// <summary>
    /// With <see cref="PodStatusServerOptions.Simulate"/>: completes once the simulation has caught up with every
    /// change so far, so only stages waiting for their delay remain. Move the clock on after it, and those fall due.
    /// </summary>
    public Task WaitForSimulationAsync(CancellationToken cancellationToken = default) =>
        _app.Services.GetRequiredService<PodStatus.Api.Simulation.Simulator>().WaitUntilIdleAsync(cancellationToken);

    /// <summary>The official C# client (KubernetesClient), pointed at this server. Dispose it when done.</summary>
    public IKubernetes CreateClient() => new Kubernetes(new KubernetesClientConfiguration { Host = Url.ToString(), Namespace = "default" });

    /// <summary>A plain HTTP client with this server as its base address, for requests the official client does not make.</summary>
    public HttpClient CreateHttpClient() => new() { BaseAddress = Url };

    /// <summary>
    /// Every change the server stored for the pod <paramref name="namespace"/>/<paramref name="name"/>, oldest first,
    /// with its resourceVersion, the pod as stored, and who wrote it. Pods given at start are not changes.
    /// </summary>
    public IReadOnlyList<Change<V1Pod>> History(string @namespace, string name) => History<V1Pod>(@namespace, name);

    /// <summary>
    /// The same for an object of any kind the server serves (<c>V1Node</c>, <c>V1Lease</c>, <c>Corev1Event</c>, ...);
    /// <paramref name="namespace"/> is null for a cluster-scoped kind.
    /// </summary>
    public IReadOnlyList<Change<T>> History<T>(string? @namespace, string name)
        where T : class, IKubernetesObject<V1ObjectMeta>, new()
    {
        var strategy = _app.Services.GetRequiredService<Registries>().Of<T>().Strategy;
        return [.. _changes.Of(strategy.StorageName, new ObjectKey(@namespace ?? "", name)).Select(change =>
        {
            var value = strategy.Decode(change.Stored.Object);
            value.Metadata.ResourceVersion = change.Stored.ResourceVersion.ToString(CultureInfo.InvariantCulture);
            return new Change<T>(change.Stored.ResourceVersion, change.Type, value, change.Writer);
        })];
    }

    /// <summary>
    /// Waits, through a watch, until the pod exists and <paramref name="condition"/> holds for it, and returns it. After
    /// <paramref name="timeout"/> (5 s by default, real time) throws a <see cref="TimeoutException"/> saying what the pod
    /// was last seen as.
    /// </summary>
    public async Task<V1Pod> WaitForPodAsync(string @namespace, string name, Func<V1Pod, bool> condition, TimeSpan? timeout = null,
        CancellationToken cancellationToken = default, [CallerArgumentExpression(nameof(condition))] string? conditionText = null)
    {
        var limit = timeout ?? TimeSpan.FromSeconds(5);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(limit);
        using var http = CreateHttpClient();
        V1Pod? last = null;
        try
        {
            while (true)
            {
                // List the one pod (a list has a resourceVersion even when the pod is absent), then watch from there.
                var selector = Uri.EscapeDataString($"metadata.name={name}");
                var list = KubernetesJson.Deserialize<V1PodList>(
                    await http.GetStringAsync($"/api/v1/namespaces/{@namespace}/pods?fieldSelector={selector}", deadline.Token));
                last = list.Items.FirstOrDefault();
                if (last is not null && condition(last))
                {
                    return last;
                }

                using var stream = await http.GetStreamAsync(
                    $"/api/v1/namespaces/{@namespace}/pods?watch=true&fieldSelector={selector}&resourceVersion={list.Metadata.ResourceVersion}", deadline.Token);
                using var reader = new StreamReader(stream);
                while (await reader.ReadLineAsync(deadline.Token) is { } line)
                {
                    using var change = JsonDocument.Parse(line);
                    var type = change.RootElement.GetProperty("type").GetString();
                    if (type == "ERROR")
                    {
                        break;
                    }

                    last = type == "DELETED" ? null : KubernetesJson.Deserialize<V1Pod>(change.RootElement.GetProperty("object").GetRawText());
                    if (last is not null && condition(last))
                    {
                        return last;
                    }
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"pod {@namespace}/{name} did not meet {conditionText} within {limit.TotalSeconds:0.###} s; {Describe(last)}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    private static WebApplication Build(PodStatusServerOptions options, string directory)
    {
        // An empty builder: only the options given here (no appsettings, environment variables or command line of the
        // test process), no file watchers, and no signal handlers (the test process's Ctrl+C is not this server's).
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ContentRootPath = directory });
        builder.Configuration.AddInMemoryCollection(Settings(options, directory));
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Services.AddRouting();
        builder.Services.AddLogging();
        builder.AddPodStatus([]);

        var services = builder.Services;
        if (options.TimeProvider is { } clock)
        {
            services.Replace(ServiceDescriptor.Singleton(clock));
        }

        services.AddHttpContextAccessor();
        services.AddSingleton<FaultInjector>();
        // The stores the settings choose, recording every write they take.
        var chosen = services.Last(service => service.ServiceType == typeof(IStoreFactory));
        services.Remove(chosen);
        services.AddSingleton<IStoreFactory>(provider => new ChangeRecorder(
            (IStoreFactory)chosen.ImplementationFactory!(provider), provider.GetRequiredService<IHttpContextAccessor>()));

        var app = builder.Build();
        // First, so a fault answers before anything else runs.
        var faults = app.Services.GetRequiredService<FaultInjector>();
        app.Use((context, next) => faults.InvokeAsync(context, next));
        return app;
    }

    private static Dictionary<string, string?> Settings(PodStatusServerOptions options, string directory)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Seed:Path"] = "none",
            ["Validation:Strict"] = options.StrictValidation ? "true" : "false",
        };
        if (options.Pods.Count > 0)
        {
            var seed = Path.Combine(directory, "seed.json");
            File.WriteAllText(seed, KubernetesJson.Serialize(new V1PodList { ApiVersion = "v1", Kind = "List", Items = options.Pods }));
            settings["Seed:Path"] = seed;
        }

        if (options.EtcdEndpoints is { } endpoints)
        {
            settings["Storage:Backend"] = "Etcd";
            settings["Storage:Etcd:Endpoints"] = endpoints;
            settings["Storage:Etcd:Prefix"] = options.EtcdPrefix ?? $"/podstatus-testing/{Guid.NewGuid():N}";
        }

        if (options.Simulate)
        {
            settings["Simulation:Enabled"] = "true";
            settings["Simulation:Nodes"] = options.SimulatedNodes.ToString(System.Globalization.CultureInfo.InvariantCulture);
            settings["Simulation:Schedule"] = options.Schedule ? "true" : "false";
            settings["Simulation:Stages"] = options.Stages.Count > 0 ? string.Join(',', options.Stages.Select(Path.GetFullPath)) : null;
        }

        foreach (var (key, value) in options.Settings)
        {
            settings[key] = value;
        }

        return settings;
    }

    private static string Describe(V1Pod? pod)
    {
        if (pod is null)
        {
            return "the pod does not exist";
        }

        var conditions = string.Join(", ", (pod.Status?.Conditions ?? []).Select(c => $"{c.Type}={c.Status}"));
        return string.Create(CultureInfo.InvariantCulture,
            $"last seen at resourceVersion {pod.Metadata.ResourceVersion}: phase {pod.Status?.Phase ?? "(none)"}, conditions [{conditions}]");
    }
}
