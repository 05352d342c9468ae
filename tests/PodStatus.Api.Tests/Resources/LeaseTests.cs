using System.Net;
using System.Text.Json.Nodes;
using k8s.Models;
using Microsoft.Extensions.DependencyInjection;
using PodStatus.Api.Registry;
using PodStatus.Api.Storage;
using PodStatus.Api.Tests.Infrastructure;

namespace PodStatus.Api.Tests.Resources;

/// <summary>Leases as kube-apiserver serves them: the optimistic lock electors rely on, create on PUT, MicroTime, validation.</summary>
public sealed class LeaseTests : ServerTest
{
    private const string Leases = "/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases";

    private static JsonObject Lease(string name, string renewTime = "2026-11-24T12:00:00.250000Z") => JsonNode.Parse("""
        {"apiVersion":"coordination.k8s.io/v1","kind":"Lease","metadata":{"name":"NAME"},
         "spec":{"holderIdentity":"NAME","leaseDurationSeconds":40,"renewTime":"RENEW"}}
        """.Replace("NAME", name).Replace("RENEW", renewTime))!.AsObject();

    [Fact]
    public async Task ALease_KeepsItsMicroTimes_AndIsServedUnderItsGroup()
    {
        var created = await Client.PostReplyAsync(Leases, Lease("node-1"));

        Assert.Equal(HttpStatusCode.Created, created.Code);
        Assert.Equal("coordination.k8s.io/v1", (string?)created.Json["apiVersion"]);
        Assert.Equal("2026-11-24T12:00:00.250000Z", (string?)created.Json["spec"]!["renewTime"]);
        Assert.Equal($"{Leases}/node-1", (string?)created.Json["metadata"]!["selfLink"]);
    }

    [Fact]
    public async Task AMicroTimeWithoutItsSixDigits_Returns400InGosWords()
    {
        var reply = await Client.PostReplyAsync(Leases, Lease("node-1", renewTime: "2026-11-24T12:00:00Z"));

        Assert.Equal(HttpStatusCode.BadRequest, reply.Code);
        Assert.Equal("Lease in version \"v1\" cannot be handled as a Lease: parsing time \"2026-11-24T12:00:00Z\" as " +
            "\"2006-01-02T15:04:05.000000Z07:00\": cannot parse \"Z\" as \".000000\"", reply.Message);
    }

    [Fact]
    public async Task AnUpdateWithoutAResourceVersion_Returns422_AndAStaleOne409()
    {
        var created = (await Client.PostReplyAsync(Leases, Lease("node-1"))).Json;
        var renewed = Lease("node-1", renewTime: "2026-11-24T12:00:10.000000Z");
        renewed["metadata"]!["resourceVersion"] = (string?)created["metadata"]!["resourceVersion"];

        var unconditional = await Client.PutReplyAsync($"{Leases}/node-1", Lease("node-1"));
        var first = await Client.PutReplyAsync($"{Leases}/node-1", renewed);
        var second = await Client.PutReplyAsync($"{Leases}/node-1", renewed);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, unconditional.Code);
        Assert.Equal("leases.coordination.k8s.io \"node-1\" is invalid: metadata.resourceVersion: Invalid value: 0: must be specified for an update", unconditional.Message);
        Assert.Equal("""{"name":"node-1","group":"coordination.k8s.io","kind":"leases","causes":[{"reason":"FieldValueInvalid","message":"Invalid value: 0: must be specified for an update","field":"metadata.resourceVersion"}]}""",
            unconditional.Json["details"]!.ToJsonString());
        Assert.Equal(HttpStatusCode.OK, first.Code);
        Assert.Equal(HttpStatusCode.Conflict, second.Code);
        Assert.Equal("Operation cannot be fulfilled on leases.coordination.k8s.io \"node-1\": the object has been modified; please apply your changes to the latest version and try again",
            second.Message);
    }

    [Fact]
    public async Task APutOfALeaseThatDoesNotExist_CreatesIt()
    {
        var reply = await Client.PutReplyAsync($"{Leases}/node-2", Lease("node-2"));

        Assert.Equal(HttpStatusCode.Created, reply.Code);
        Assert.Equal(HttpStatusCode.OK, (await Client.GetReplyAsync($"{Leases}/node-2")).Code);
    }

    [Fact]
    public async Task ALeaseInANamespaceThatDoesNotExist_Returns404ForTheNamespace()
    {
        var reply = await Client.PostReplyAsync("/apis/coordination.k8s.io/v1/namespaces/nowhere/leases", Lease("x"));

        Assert.Equal(HttpStatusCode.NotFound, reply.Code);
        Assert.Equal("namespaces \"nowhere\" not found", reply.Message);
    }

    [Theory]
    [InlineData("leaseDurationSeconds", "0", "spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0")]
    [InlineData("leaseTransitions", "-1", "spec.leaseTransitions: Invalid value: -1: must be greater than or equal to 0")]
    public async Task BadDurationsAndTransitions_Return422(string field, string value, string error)
    {
        var lease = Lease("node-1");
        lease["spec"]![field] = JsonNode.Parse(value);

        var reply = await Client.PostReplyAsync(Leases, lease);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, reply.Code);
        Assert.Equal($"Lease.coordination.k8s.io \"node-1\" is invalid: {error}", reply.Message);
    }

    [Fact]
    public async Task TheCoordinatedLeaderElectionFields_AreDropped_AsWithItsFeatureGateOff()
    {
        var lease = Lease("node-1");
        lease["spec"]!["strategy"] = "OldestEmulationVersion";
        lease["spec"]!["preferredHolder"] = "someone";

        var created = await Client.PostReplyAsync(Leases, lease);

        Assert.Equal(HttpStatusCode.Created, created.Code);
        Assert.Null(created.Json["spec"]!["strategy"]);
        Assert.Null(created.Json["spec"]!["preferredHolder"]);
    }

    [Fact]
    public async Task AWatch_SeesEachRenewal()
    {
        var created = (await Client.PostReplyAsync(Leases, Lease("node-1"))).Json;
        await using var watch = await WatchStream.OpenAsync(Client, $"{Leases}?watch=true&resourceVersion={created["metadata"]!["resourceVersion"]}");
        var renewed = Lease("node-1", renewTime: "2026-11-24T12:00:10.000000Z");
        renewed["metadata"]!["resourceVersion"] = (string?)created["metadata"]!["resourceVersion"];

        await Client.PutReplyAsync($"{Leases}/node-1", renewed);

        var change = await watch.NextAsync();
        Assert.Equal("MODIFIED", (string?)change!["type"]);
        Assert.Equal("2026-11-24T12:00:10.000000Z", (string?)change["object"]!["spec"]!["renewTime"]);
    }

    [Fact]
    public async Task ARenewal_KeepsOnlyItsNewBytes_SharingTheKeyAndFieldsOfTheVersionItReplaces()
    {
        Assert.SkipWhen(PodStatusFactory.OnEtcd, "on etcd the stored versions are read back from etcd");
        var leases = Factory.Services.GetRequiredService<Registries>().Of<V1Lease>().Store;
        var key = new ObjectKey("kube-node-lease", "node-1");
        var lease = Lease("node-1");
        lease["metadata"]!["labels"] = new JsonObject { ["zone"] = "a" };
        var created = (await Client.PostReplyAsync(Leases, lease)).Json;
        var first = (await leases.GetAsync(key, cancellationToken: TestContext.Current.CancellationToken))!.Object;

        lease["metadata"]!["resourceVersion"] = (string?)created["metadata"]!["resourceVersion"];
        lease["spec"]!["renewTime"] = "2026-11-24T12:00:10.000000Z";
        var renewed = (await Client.PutReplyAsync($"{Leases}/node-1", lease)).Json;
        var second = (await leases.GetAsync(key, cancellationToken: TestContext.Current.CancellationToken))!.Object;

        lease["metadata"]!["resourceVersion"] = (string?)renewed["metadata"]!["resourceVersion"];
        lease["metadata"]!["labels"]!["zone"] = "b";
        Assert.Equal(HttpStatusCode.OK, (await Client.PutReplyAsync($"{Leases}/node-1", lease)).Code);
        var third = (await leases.GetAsync(key, cancellationToken: TestContext.Current.CancellationToken))!.Object;

        Assert.NotSame(first, second);
        Assert.Same(first.Key.Name, second.Key.Name);
        Assert.Same(first.Key.Namespace, second.Key.Namespace);
        Assert.Equal("a", second.Fields.Label("zone"));
        Assert.Equal("b", third.Fields.Label("zone"));
        Assert.Equal(["node-1"], await NamesAsync("zone=b"));
    }

    private async Task<string[]> NamesAsync(string labelSelector)
    {
        var list = (await Client.GetReplyAsync($"{Leases}?labelSelector={labelSelector}")).Json;
        return [.. list["items"]!.AsArray().Select(item => (string)item!["metadata"]!["name"]!)];
    }
}
