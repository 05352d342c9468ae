using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using PodStatus.Api.Tests.Infrastructure;

namespace PodStatus.Api.Tests;

/// <summary>One write route: its method, path and Content-Type, and for a merge or strategic patch its body.</summary>
public sealed record WriteRoute(HttpMethod Method, string Path, string ContentType, string? Patch = null)
{
    /// <summary>Where a PUT's body is read from, when not the route's own path (a finalize, another version).</summary>
    public string? Source { get; init; }
}

/// <summary>
/// Every write route of a resource against damaged bodies: a valid request with an invalid byte at each position
/// (as JSON and as YAML), every truncation, random bytes and deep nesting. Each answer must be a 2xx, or a 4xx
/// carrying a Status in upstream's words; a failed write must leave the stored object byte for byte as it was.
/// A class per resource, so they run side by side.
/// </summary>
public abstract class WriteRobustnessTests() : ServerTest(new PodStatusFactory())
{
    /// <summary>The object the routes write, which every failed write must leave as it was.</summary>
    protected abstract string ObjectPath { get; }

    protected abstract IReadOnlyList<WriteRoute> Routes { get; }

    /// <summary>Creates the object the routes write (the founding document's pod is there already).</summary>
    protected virtual Task CreateAsync() => Task.CompletedTask;

    /// <summary>The at least this many requests the byte-by-byte test must have sent.</summary>
    protected virtual int MinimumRequests => 1_500;

    private static readonly string[] DotNetPhrases =
        ["LineNumber", "BytePosition", "Path: $", "could not be converted", "System.", "is an invalid", "The JSON", "target location"];

    private const string NoObjectsUid = "00000000-0000-0000-0000-000000000000";

    private int _requests;
    private bool _created;

    [Fact]
    public async Task AnInvalidByteAtEachPosition_AsJsonAndAsYaml()
    {
        foreach (var route in Routes)
        {
            var body = await BodyForAsync(route);
            foreach (var type in new[] { route.ContentType, "application/yaml" }.Distinct())
            {
                if (type == "application/yaml" && route.Method == HttpMethod.Patch)
                {
                    continue; // YAML patches are apply patches, which are not served.
                }

                for (var at = 0; at < body.Length; at++)
                {
                    var damaged = (byte[])body.Clone();
                    damaged[at] = (byte)(at % 2 == 0 ? 0xFF : 0xC3);
                    await SendAndCheckAsync(route.Method, route.Path, type, damaged);
                }
            }
        }

        Assert.True(_requests > MinimumRequests, $"only {_requests} requests were sent");
    }

    [Fact]
    public async Task EveryTruncation()
    {
        foreach (var route in Routes)
        {
            var body = await BodyForAsync(route);
            for (var length = 0; length < body.Length; length++)
            {
                await SendAndCheckAsync(route.Method, route.Path, route.ContentType, body[..length]);
            }
        }
    }

    [Fact]
    public async Task RandomBytes()
    {
        await EnsureCreatedAsync();
        var random = new Random(20261201);
        foreach (var route in Routes)
        {
            foreach (var type in new[] { route.ContentType, "application/yaml" })
            {
                for (var i = 0; i < 100; i++)
                {
                    var body = new byte[random.Next(0, 300)];
                    random.NextBytes(body);
                    if (i % 2 == 0 && body.Length > 0)
                    {
                        body[0] = (byte)'{'; // Half of them start like JSON, to get past the first byte.
                    }

                    await SendAndCheckAsync(route.Method, route.Path, type, body);
                }
            }
        }
    }

    [Theory]
    [InlineData(100)]
    [InlineData(129)]
    [InlineData(100_000)]
    public async Task DeepNesting(int depth)
    {
        await EnsureCreatedAsync();
        var name = ObjectPath[(ObjectPath.LastIndexOf('/') + 1)..];
        foreach (var route in Routes)
        {
            // With a precondition no object meets, so a DELETE that decodes the body as its options deletes nothing.
            var start = $"{{\"preconditions\":{{\"uid\":\"{NoObjectsUid}\"}},\"metadata\":{{\"name\":\"{name}\"}},\"status\":{{\"x\":";
            var arrays = start + new string('[', depth) + new string(']', depth) + "}}";
            var objects = start +
                string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1" + new string('}', depth) + "}}";
            foreach (var body in new[] { arrays, objects })
            {
                await SendAndCheckAsync(route.Method, route.Path, route.ContentType, Encoding.UTF8.GetBytes(body));
                if (route.Method != HttpMethod.Patch)
                {
                    await SendAndCheckAsync(route.Method, route.Path, "application/yaml", Encoding.UTF8.GetBytes(body));
                }
            }
        }
    }

    /// <summary>
    /// A valid body for the route at the object's current resourceVersion: for a PUT the object as read, for a POST
    /// the same without resourceVersion and uid, for a patch the route's own or one that adds a label.
    /// </summary>
    protected virtual async Task<JsonNode> ValidBodyAsync(WriteRoute route)
    {
        var current = (await Client.GetReplyAsync(route.Source ?? (route.Method == HttpMethod.Post ? ObjectPath : route.Path.Split('?')[0]))).Json;
        if (route.Method == HttpMethod.Post)
        {
            current["metadata"]!.AsObject().Remove("resourceVersion");
            current["metadata"]!.AsObject().Remove("uid");
        }

        return route switch
        {
            { Method.Method: "PUT" or "POST" } => current,
            { Method.Method: "PATCH", ContentType: "application/json-patch+json" } => new JsonArray(
                new JsonObject { ["op"] = "add", ["path"] = "/metadata/labels", ["value"] = new JsonObject { ["zone"] = "a" } }),
            { Method.Method: "PATCH" } => JsonNode.Parse(route.Patch ?? """{"metadata":{"labels":{"zone":"a"}}}""")!,
            // A body's options replace the query's (upstream's DeleteResource), so a damaged dryRun would delete for
            // real; a precondition no object meets keeps the object for the requests after, while one byte is damaged.
            _ => new JsonObject
            {
                ["kind"] = "DeleteOptions", ["apiVersion"] = "v1", ["dryRun"] = new JsonArray("All"), ["gracePeriodSeconds"] = 30,
                ["preconditions"] = new JsonObject { ["uid"] = NoObjectsUid },
            },
        };
    }

    private async Task<byte[]> BodyForAsync(WriteRoute route)
    {
        await EnsureCreatedAsync();
        return Encoding.UTF8.GetBytes((await ValidBodyAsync(route)).ToJsonString());
    }

    private async Task EnsureCreatedAsync()
    {
        if (!_created)
        {
            await CreateAsync();
            _created = true;
        }
    }

    protected async Task SendAndCheckAsync(HttpMethod method, string path, string contentType, byte[] body)
    {
        var before = await Client.GetStringAsync(ObjectPath, TestContext.Current.CancellationToken);
        var (reply, _) = await Client.SendBytesAsync(method, path, body, contentType);
        var text = reply.Body;
        _requests++;

        var code = (int)reply.Code;
        var what = $"{method} {path} ({contentType}) with {Convert.ToHexString(body[..Math.Min(body.Length, 64)])}: {code} {text}";
        Assert.True(code is >= 200 and < 500, what);
        if (code >= 400)
        {
            Assert.True(reply.Code != HttpStatusCode.NotFound || method == HttpMethod.Post, what);
            var status = JsonNode.Parse(text)!;
            Assert.Equal("Status", (string?)status["kind"]);
            // Upstream's words, not the .NET libraries' (System.Text.Json's positions, the JSON patch library's phrasing).
            var said = status.ToJsonString();
            Assert.True(!DotNetPhrases.Any(phrase => said.Contains(phrase, StringComparison.Ordinal)), what);
            Assert.Equal(before, await Client.GetStringAsync(ObjectPath, TestContext.Current.CancellationToken));
        }
    }
}

/// <summary>The pod routes, with the founding document's request as the status body.</summary>
public sealed class PodWriteRobustnessTests : WriteRobustnessTests
{
    private const string HelloWorld = "/api/v1/namespaces/default/pods/hello-world";

    protected override string ObjectPath => HelloWorld;

    protected override int MinimumRequests => 5_000;

    protected override IReadOnlyList<WriteRoute> Routes { get; } =
    [
        new(HttpMethod.Put, HelloWorld + "/status", "application/json"),
        new(HttpMethod.Put, HelloWorld, "application/json"),
        new(HttpMethod.Post, "/api/v1/namespaces/default/pods", "application/json"),
        new(HttpMethod.Patch, HelloWorld + "/status", "application/merge-patch+json"),
        new(HttpMethod.Patch, HelloWorld + "/status", "application/strategic-merge-patch+json"),
        new(HttpMethod.Patch, HelloWorld, "application/json-patch+json"),
        new(HttpMethod.Delete, HelloWorld + "?dryRun=All", "application/json"),
    ];

    protected override async Task<JsonNode> ValidBodyAsync(WriteRoute route)
    {
        var request = JsonNode.Parse(TestPods.Sample("hello-world-status.json"))!;
        request["metadata"]!["resourceVersion"] = (string?)(await Client.GetReplyAsync(HelloWorld)).Json["metadata"]!["resourceVersion"];
        return route switch
        {
            { Method.Method: "PUT", Path: HelloWorld + "/status" } => request,
            { Method.Method: "PATCH", ContentType: "application/json-patch+json" } => new JsonArray(
                new JsonObject { ["op"] = "replace", ["path"] = "/status/phase", ["value"] = "Running" },
                new JsonObject { ["op"] = "add", ["path"] = "/metadata/labels", ["value"] = new JsonObject { ["zone"] = "a" } }),
            { Method.Method: "PATCH" } => new JsonObject { ["status"] = request["status"]!.DeepClone(), ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["zone"] = "a" } } },
            _ => await base.ValidBodyAsync(route),
        };
    }
}

/// <summary>A namespace: its update, status, finalize, create and delete, and kubectl's protobuf create.</summary>
public sealed class NamespaceWriteRobustnessTests : WriteRobustnessTests
{
    private const string TeamA = "/api/v1/namespaces/team-a";

    protected override string ObjectPath => TeamA;

    protected override IReadOnlyList<WriteRoute> Routes { get; } =
    [
        new(HttpMethod.Put, TeamA, "application/json"),
        new(HttpMethod.Put, TeamA + "/status", "application/json"),
        new(HttpMethod.Put, TeamA + "/finalize", "application/json") { Source = TeamA },
        new(HttpMethod.Post, "/api/v1/namespaces", "application/json"),
        new(HttpMethod.Patch, TeamA, "application/strategic-merge-patch+json"),
        new(HttpMethod.Patch, TeamA + "/status", "application/merge-patch+json", """{"status":{"conditions":[{"type":"NamespaceDeletionDiscoveryFailure","status":"False"}]}}"""),
        new(HttpMethod.Patch, TeamA, "application/json-patch+json"),
        new(HttpMethod.Delete, TeamA + "?dryRun=All", "application/json"),
    ];

    protected override Task CreateAsync() => Client.CreateNamespaceAsync("team-a");

    [Fact]
    public async Task AProtobufCreate_WithAnInvalidByteAtEachPosition_AndEveryTruncation()
    {
        await Client.CreateNamespaceAsync("team-a");
        var body = KubeProtobufBodies.Namespace("team-b", ("team", "b"));
        for (var at = 0; at < body.Length; at++)
        {
            var damaged = (byte[])body.Clone();
            damaged[at] = (byte)(at % 2 == 0 ? 0xFF : 0xC3);
            await SendAndCheckAsync(HttpMethod.Post, "/api/v1/namespaces", "application/vnd.kubernetes.protobuf", damaged);
        }

        for (var length = 0; length < body.Length; length++)
        {
            await SendAndCheckAsync(HttpMethod.Post, "/api/v1/namespaces", "application/vnd.kubernetes.protobuf", body[..length]);
        }
    }
}

/// <summary>A node: a kubelet's registration, its status by PUT and patch, cordoning by patch.</summary>
public sealed class NodeWriteRobustnessTests : WriteRobustnessTests
{
    private const string Node = "/api/v1/nodes/node-1";

    protected override string ObjectPath => Node;

    protected override IReadOnlyList<WriteRoute> Routes { get; } =
    [
        new(HttpMethod.Put, Node, "application/json"),
        new(HttpMethod.Put, Node + "/status", "application/json"),
        new(HttpMethod.Post, "/api/v1/nodes", "application/json"),
        new(HttpMethod.Patch, Node + "/status", "application/strategic-merge-patch+json",
            """{"status":{"conditions":[{"type":"Ready","status":"True","reason":"KubeletReady"}],"addresses":[{"type":"InternalIP","address":"10.0.0.1"}]}}"""),
        new(HttpMethod.Patch, Node, "application/merge-patch+json", """{"spec":{"unschedulable":true,"taints":[{"key":"k","effect":"NoSchedule"}]}}"""),
        new(HttpMethod.Patch, Node + "/status", "application/json-patch+json"),
        new(HttpMethod.Delete, Node + "?dryRun=All", "application/json"),
    ];

    protected override async Task CreateAsync() => Assert.Equal(HttpStatusCode.Created, (await Client.PostReplyAsync("/api/v1/nodes", JsonNode.Parse("""
        {"metadata":{"name":"node-1","labels":{"kubernetes.io/hostname":"node-1"}},"spec":{"podCIDR":"10.244.0.0/24"},
         "status":{"capacity":{"cpu":"4","memory":"8Gi"},"conditions":[{"type":"Ready","status":"False"}]}}
        """)!.AsObject())).Code);
}

/// <summary>A lease, whose every update names the resourceVersion it replaces.</summary>
public sealed class LeaseWriteRobustnessTests : WriteRobustnessTests
{
    private const string Lease = "/apis/coordination.k8s.io/v1/namespaces/default/leases/lease-1";

    protected override string ObjectPath => Lease;

    protected override IReadOnlyList<WriteRoute> Routes { get; } =
    [
        new(HttpMethod.Put, Lease, "application/json"),
        new(HttpMethod.Post, "/apis/coordination.k8s.io/v1/namespaces/default/leases", "application/json"),
        new(HttpMethod.Patch, Lease, "application/merge-patch+json", """{"spec":{"holderIdentity":"b","renewTime":"2026-01-02T03:04:05.123456Z","leaseTransitions":1}}"""),
        new(HttpMethod.Patch, Lease, "application/json-patch+json"),
        new(HttpMethod.Delete, Lease + "?dryRun=All", "application/json"),
    ];

    protected override async Task CreateAsync() => Assert.Equal(HttpStatusCode.Created, (await Client.PostReplyAsync(
        "/apis/coordination.k8s.io/v1/namespaces/default/leases", JsonNode.Parse("""
        {"apiVersion":"coordination.k8s.io/v1","kind":"Lease","metadata":{"name":"lease-1"},
         "spec":{"holderIdentity":"a","leaseDurationSeconds":15,"acquireTime":"2026-01-02T03:04:05.000000Z","renewTime":"2026-01-02T03:04:05.000000Z"}}
        """)!.AsObject())).Code);
}

/// <summary>An event, written as core/v1 and as events.k8s.io/v1.</summary>
public sealed class EventWriteRobustnessTests : WriteRobustnessTests
{
    private const string Event = "/api/v1/namespaces/default/events/web.1";
    private const string EventsV1 = "/apis/events.k8s.io/v1/namespaces/default/events/web.1";

    protected override string ObjectPath => Event;

    protected override IReadOnlyList<WriteRoute> Routes { get; } =
    [
        new(HttpMethod.Put, Event, "application/json"),
        new(HttpMethod.Post, "/api/v1/namespaces/default/events", "application/json"),
        new(HttpMethod.Patch, Event, "application/strategic-merge-patch+json", """{"count":2,"lastTimestamp":"2026-01-02T03:05:05Z","message":"again"}"""),
        new(HttpMethod.Delete, Event + "?dryRun=All", "application/json"),
        new(HttpMethod.Put, EventsV1, "application/json"),
        new(HttpMethod.Post, "/apis/events.k8s.io/v1/namespaces/default/events", "application/json") { Source = EventsV1 },
        new(HttpMethod.Patch, EventsV1, "application/merge-patch+json", """{"series":{"count":2,"lastObservedTime":"2026-01-02T03:05:05.000000Z"}}"""),
        new(HttpMethod.Patch, EventsV1, "application/json-patch+json"),
    ];

    protected override async Task CreateAsync() => Assert.Equal(HttpStatusCode.Created, (await Client.PostReplyAsync(
        "/api/v1/namespaces/default/events", JsonNode.Parse("""
        {"metadata":{"name":"web.1"},"involvedObject":{"apiVersion":"v1","kind":"Pod","name":"web","namespace":"default"},
         "reason":"Pulled","message":"Container image pulled","type":"Normal","action":"Pulling",
         "eventTime":"2026-01-02T03:04:05.000000Z","reportingComponent":"kubelet","reportingInstance":"node-1",
         "source":{"component":"kubelet","host":"node-1"},"firstTimestamp":"2026-01-02T03:04:05Z","lastTimestamp":"2026-01-02T03:04:05Z","count":1}
        """)!.AsObject())).Code);
}
