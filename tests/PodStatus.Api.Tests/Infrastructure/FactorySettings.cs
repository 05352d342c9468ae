namespace PodStatus.Api.Tests.Infrastructure;

/// <summary>The settings a <see cref="PodStatusFactory"/> gives its server, in process or as a process.</summary>
internal static class FactorySettings
{
    /// <summary>Keys and values as <c>--Key=Value</c> would give them; later ones win, as later settings do.</summary>
    public static Dictionary<string, string> Of(
        string? seedPath,
        bool strictValidation,
        IReadOnlyDictionary<string, string> settings,
        int? historySize,
        (string Endpoints, string Prefix)? etcd)
    {
        var all = new Dictionary<string, string> { ["Seed:Path"] = seedPath ?? "" };
        foreach (var (key, value) in settings)
        {
            all[key] = value;
        }

        all["Validation:Strict"] = strictValidation ? "true" : "false";
        if (historySize is { } size)
        {
            all["Watch:HistorySize"] = all["Storage:HistorySize"] = size.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        if (etcd is var (endpoints, prefix))
        {
            all["Storage:Backend"] = "Etcd";
            all["Storage:Etcd:Endpoints"] = endpoints;
            all["Storage:Etcd:Prefix"] = prefix;
        }

        return all;
    }
}
