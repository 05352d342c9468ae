using System.Text.Json.Nodes;

namespace PodStatus.Api.Tests.Infrastructure;

/// <summary>Pod documents for requests. Each call returns a new object the test may change.</summary>
public static class TestPods
{
    private static int _counter;

    /// <summary>The pod strategy as the server has it, for tests of the parts below the registry.</summary>
    public static readonly PodStatus.Api.Resources.Pods.PodStrategy Strategy = new(
        new PodStatus.Api.Resources.Pods.PodCreateValidator(),
        new PodStatus.Api.Resources.Pods.PodUpdateValidator(),
        new PodStatus.Api.Resources.Pods.PodStatusUpdateValidator(Microsoft.Extensions.Options.Options.Create(new PodStatus.Api.Validation.ValidationOptions())));

    public static string UniqueName(string prefix = "pod") => $"{prefix}-{Interlocked.Increment(ref _counter)}";

    /// <summary>A minimal valid pod; <paramref name="nodeName"/> makes it scheduled (graceful deletion applies).</summary>
    public static JsonObject Pod(string name, string ns = "default", string? nodeName = null)
    {
        var spec = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = "app", ["image"] = "nginx:1.27" }) };
        if (nodeName is not null)
        {
            spec["nodeName"] = nodeName;
        }

        return new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Pod",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns, ["labels"] = new JsonObject { ["app"] = "web" } },
            ["spec"] = spec,
        };
    }

    /// <summary>A status write for <paramref name="pod"/> (a stored pod as returned by the server) with the given status.</summary>
    public static JsonObject StatusUpdate(JsonObject pod, JsonObject status, bool keepResourceVersion = true)
    {
        var update = pod.DeepClone().AsObject();
        if (!keepResourceVersion)
        {
            update["metadata"]!.AsObject().Remove("resourceVersion");
        }

        update["status"] = status;
        return update;
    }

    public static JsonObject Running(string podIp = "10.0.0.5") => new()
    {
        ["phase"] = "Running",
        ["podIP"] = podIp,
        ["conditions"] = new JsonArray(new JsonObject { ["type"] = "Ready", ["status"] = "True" }),
    };

    public static string Sample(string file) =>
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "samples", file));

    /// <summary>
    /// The founding document's status write. It names resourceVersion 3636, the seeded pod's in memory; on etcd the
    /// pod has etcd's revision instead, which is swapped in so the write is the same precondition.
    /// </summary>
    public static async Task<string> FoundingStatusWriteAsync(HttpClient client)
    {
        var text = Sample("hello-world-status.json");
        if (!PodStatusFactory.OnEtcd)
        {
            return text;
        }

        var current = (await client.GetReplyAsync("/api/v1/namespaces/default/pods/hello-world")).ResourceVersion;
        return text.Replace("\"resourceVersion\": \"3636\"", $"\"resourceVersion\": \"{current}\"", StringComparison.Ordinal);
    }
}
