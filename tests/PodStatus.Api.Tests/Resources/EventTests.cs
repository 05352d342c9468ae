using System.Net;
using System.Text.Json.Nodes;
using PodStatus.Api.Tests.Infrastructure;

namespace PodStatus.Api.Tests.Resources;

/// <summary>Events as kube-apiserver serves them: one kind stored, served as core/v1 and events.k8s.io/v1, with a time to live.</summary>
public sealed class EventTests() : ServerTest(new PodStatusFactory { SeedPath = "none", Settings = { ["Events:Ttl"] = "00:00:03" } })
{
    private const string CoreEvents = "/api/v1/namespaces/default/events";
    private const string NewEvents = "/apis/events.k8s.io/v1/namespaces/default/events";

    /// <summary>An event as client-go's core/v1 recorder writes one.</summary>
    private static JsonObject CoreEvent(string name, string reason = "Scheduled", string kind = "Pod", string involved = "web") => JsonNode.Parse($$$"""
        {"apiVersion":"v1","kind":"Event","metadata":{"name":"{{{name}}}","namespace":"default"},
         "involvedObject":{"kind":"{{{kind}}}","namespace":"default","name":"{{{involved}}}","uid":"uid-web","apiVersion":"v1"},
         "reason":"{{{reason}}}","message":"Successfully assigned default/web to node-1","type":"Normal",
         "source":{"component":"default-scheduler"},"firstTimestamp":"2026-11-24T11:59:00Z","lastTimestamp":"2026-11-24T11:59:00Z","count":1}
        """)!.AsObject();

    /// <summary>An event as the events.k8s.io/v1 recorder writes one.</summary>
    private static JsonObject NewEvent(string name) => JsonNode.Parse($$$"""
        {"apiVersion":"events.k8s.io/v1","kind":"Event","metadata":{"name":"{{{name}}}","namespace":"default"},
         "eventTime":"2026-11-24T11:59:00.500000Z","reportingController":"example.com/controller","reportingInstance":"controller-0",
         "action":"Reconcile","reason":"Synced","note":"synced web","type":"Normal",
         "regarding":{"kind":"Pod","namespace":"default","name":"web","uid":"uid-web","apiVersion":"v1"}}
        """)!.AsObject();

    [Fact]
    public async Task ACoreEvent_IsServedByBothApis_Converted()
    {
        await Client.PostReplyAsync(CoreEvents, CoreEvent("web.1"));

        var core = await Client.GetReplyAsync($"{CoreEvents}/web.1");
        var converted = await Client.GetReplyAsync($"{NewEvents}/web.1");

        Assert.Equal("Successfully assigned default/web to node-1", (string?)core.Json["message"]);
        Assert.Equal("events.k8s.io/v1", (string?)converted.Json["apiVersion"]);
        Assert.Equal("Successfully assigned default/web to node-1", (string?)converted.Json["note"]);
        Assert.Equal("web", (string?)converted.Json["regarding"]!["name"]);
        Assert.Equal("default-scheduler", (string?)converted.Json["deprecatedSource"]!["component"]);
        Assert.Equal(1, (int?)converted.Json["deprecatedCount"]);
        Assert.Equal($"{NewEvents}/web.1", (string?)converted.Json["metadata"]!["selfLink"]);
        Assert.Equal(core.ResourceVersion, converted.ResourceVersion);
    }

    [Fact]
    public async Task AnEventsV1Event_IsStoredAsTheCoreKind()
    {
        var created = await Client.PostReplyAsync(NewEvents, NewEvent("web.2"));
        var core = await Client.GetReplyAsync($"{CoreEvents}/web.2");

        Assert.Equal(HttpStatusCode.Created, created.Code);
        Assert.Equal("2026-11-24T11:59:00.500000Z", (string?)created.Json["eventTime"]);
        Assert.Equal("synced web", (string?)core.Json["message"]);
        Assert.Equal("example.com/controller", (string?)core.Json["reportingComponent"]);
        Assert.Equal("web", (string?)core.Json["involvedObject"]!["name"]);
    }

    [Fact]
    public async Task TheRecordersPatch_BumpsTheCount()
    {
        await Client.PostReplyAsync(CoreEvents, CoreEvent("web.1"));

        var patched = await Client.SendAsync(HttpMethod.Patch, $"{CoreEvents}/web.1", """{"count":2,"lastTimestamp":"2026-11-24T12:00:00Z"}""",
            "application/strategic-merge-patch+json");

        Assert.Equal(HttpStatusCode.OK, patched.Code);
        Assert.Equal(2, (int?)patched.Json["count"]);
        Assert.Equal("2026-11-24T12:00:00Z", (string?)patched.Json["lastTimestamp"]);
    }

    [Fact]
    public async Task AnEventsV1Event_MeetsTheStrictRules()
    {
        var bad = NewEvent("web.3");
        bad["type"] = "Odd";
        bad["deprecatedCount"] = 3;
        bad["series"] = JsonNode.Parse("""{"count":1,"lastObservedTime":"2026-11-24T11:59:00.500000Z"}""");

        var reply = await Client.PostReplyAsync(NewEvents, bad);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, reply.Code);
        Assert.Equal("Event \"web.3\" is invalid: [series.count: Invalid value: \"\": should be at least 2, " +
            "type: Invalid value: \"\": has invalid value: Odd, count: Invalid value: \"\": needs to be unset]", reply.Message);
    }

    [Fact]
    public async Task ACoreEvent_WithoutAnEventTime_NeedsOnlyItsNamespaceToAgree()
    {
        var other = CoreEvent("web.4");
        other["involvedObject"]!["namespace"] = "kube-system";

        var reply = await Client.PostReplyAsync(CoreEvents, other);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, reply.Code);
        Assert.Equal("Event \"web.4\" is invalid: involvedObject.namespace: Invalid value: \"kube-system\": does not match event.namespace", reply.Message);
    }

    [Fact]
    public async Task FieldSelectors_ReadTheInvolvedObject_AndEventsV1SpellsItRegarding()
    {
        await Client.PostReplyAsync(CoreEvents, CoreEvent("web.1"));
        await Client.PostReplyAsync(CoreEvents, CoreEvent("db.1", reason: "Pulled", involved: "db"));
        await Client.PostReplyAsync(CoreEvents, CoreEvent("node.1", kind: "Node", involved: "node-1"));

        async Task<IEnumerable<string?>> NamesAsync(string path) =>
            (await Client.GetReplyAsync(path)).Json["items"]!.AsArray().Select(item => (string?)item!["metadata"]!["name"]);

        Assert.Equal(["web.1"], await NamesAsync($"{CoreEvents}?fieldSelector=" + Uri.EscapeDataString("involvedObject.kind=Pod,involvedObject.name=web")));
        Assert.Equal(["db.1"], await NamesAsync($"{CoreEvents}?fieldSelector=reason%3DPulled"));
        Assert.Equal(["db.1", "web.1"], await NamesAsync($"{CoreEvents}?fieldSelector=source%3Ddefault-scheduler,involvedObject.kind%3DPod"));
        Assert.Equal(["node.1"], await NamesAsync($"{NewEvents}?fieldSelector=regarding.kind%3DNode"));
        var refused = await Client.GetReplyAsync($"{CoreEvents}?fieldSelector=regarding.kind%3DNode");
        Assert.Equal("field label not supported: regarding.kind", refused.Message);
    }

    [Fact]
    public async Task AWatch_OfEventsV1_SeesEventsWrittenThroughCoreV1_Converted()
    {
        var from = (await Client.GetReplyAsync(NewEvents)).ResourceVersion;
        await using var watch = await WatchStream.OpenAsync(Client, $"/apis/events.k8s.io/v1/watch/namespaces/default/events?resourceVersion={from}");

        await Client.PostReplyAsync(CoreEvents, CoreEvent("web.1"));

        var change = await watch.NextAsync();
        Assert.Equal("ADDED", (string?)change!["type"]);
        Assert.Equal("events.k8s.io/v1", (string?)change["object"]!["apiVersion"]);
        Assert.Equal("Successfully assigned default/web to node-1", (string?)change["object"]!["note"]);
    }

    [Fact]
    public async Task AnEvent_ExpiresItsTimeToLiveAfterItsLastWrite()
    {
        await Client.PostReplyAsync(CoreEvents, CoreEvent("web.1"));
        if (PodStatusFactory.OnEtcd)
        {
            // etcd's lease counts in real time: the event is gone a little after its 3 s.
            Assert.Equal(HttpStatusCode.NotFound, (await EventuallyGoneAsync("web.1")).Code);
            return;
        }

        await Client.PostReplyAsync(CoreEvents, CoreEvent("web.2"));
        Factory.Clock.Advance(TimeSpan.FromSeconds(2));
        await Client.SendAsync(HttpMethod.Patch, $"{CoreEvents}/web.2", """{"count":2}""", "application/merge-patch+json");

        // web.1 lives 3 s from its write; web.2 3 s from its patch.
        Factory.Clock.Advance(TimeSpan.FromSeconds(1.5));
        Assert.Equal(HttpStatusCode.NotFound, (await EventuallyGoneAsync("web.1")).Code);
        Assert.Equal(HttpStatusCode.OK, (await Client.GetReplyAsync($"{CoreEvents}/web.2")).Code);
        Factory.Clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(HttpStatusCode.NotFound, (await EventuallyGoneAsync("web.2")).Code);
    }

    private async Task<Reply> EventuallyGoneAsync(string name)
    {
        var reply = await Client.GetReplyAsync($"{CoreEvents}/{name}");
        for (var attempt = 0; attempt < 400 && reply.Code != HttpStatusCode.NotFound; attempt++)
        {
            await Task.Delay(50, TestContext.Current.CancellationToken);
            reply = await Client.GetReplyAsync($"{CoreEvents}/{name}");
        }

        return reply;
    }
}
