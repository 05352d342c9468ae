namespace PodStatus.Api.Storage;

/// <summary>The <c>Storage</c> settings: where objects are kept.</summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";

    /// <summary><c>Memory</c> (the default: one process, gone when it stops) or <c>Etcd</c> (durable, shared by replicas).</summary>
    public string Backend { get; set; } = "Memory";

    public bool OnEtcd => string.Equals(Backend, "Etcd", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// In memory: how many recent changes are kept for reads at an older revision and for the watch cache to
    /// follow, as etcd keeps revisions until it compacts them.
    /// </summary>
    public int HistorySize { get; set; } = 1000;

    public EtcdOptions Etcd { get; set; } = new();

    /// <summary>Null when the settings are usable, else what is wrong with them.</summary>
    public string? Problem() =>
        !OnEtcd && !string.Equals(Backend, "Memory", StringComparison.OrdinalIgnoreCase) ? $"Storage:Backend must be Memory or Etcd, not \"{Backend}\""
        : HistorySize <= 0 ? "Storage:HistorySize must be a positive number of changes"
        : OnEtcd ? Etcd.Problem()
        : null;
}

/// <summary>The <c>Storage:Etcd</c> settings.</summary>
public sealed class EtcdOptions
{
    /// <summary>The etcd members' client URLs, comma-separated (<c>http://127.0.0.1:2379</c>).</summary>
    public string Endpoints { get; set; } = "";

    /// <summary>Where objects live in etcd's key space, as kube-apiserver's <c>--etcd-prefix</c>: a pod is
    /// <c>{Prefix}/pods/{namespace}/{name}</c>.</summary>
    public string Prefix { get; set; } = "/registry";

    /// <summary>How long a request waits for etcd before it is answered 503.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Each URL in <see cref="Endpoints"/>.</summary>
    public IReadOnlyList<Uri> EndpointUris() =>
        [.. Endpoints.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(url => new Uri(url))];

    /// <summary>Null when the settings are usable, else what is wrong with them.</summary>
    public string? Problem()
    {
        var urls = Endpoints.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (urls.Length == 0)
        {
            return "Storage:Etcd:Endpoints must name at least one etcd client URL, e.g. http://127.0.0.1:2379";
        }

        foreach (var url in urls)
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.AbsolutePath != "/")
            {
                return $"Storage:Etcd:Endpoints: \"{url}\" is not an etcd client URL such as http://127.0.0.1:2379";
            }
        }

        if (!Prefix.StartsWith('/') || Prefix.EndsWith('/'))
        {
            return $"Storage:Etcd:Prefix: \"{Prefix}\" must start with / and not end with one, as /registry";
        }

        return RequestTimeout > TimeSpan.Zero ? null : "Storage:Etcd:RequestTimeout must be positive, e.g. 00:00:05";
    }
}
