using System.Net;
using System.Text.Json.Nodes;
using PodStatus.Api.Tests.Infrastructure;

namespace PodStatus.Api.Tests;

/// <summary>Create, read, replace and list on the pods resource.</summary>
public sealed class PodCrudTests : ServerTest
{
    [Fact]
    public async Task Create_Returns201WithServerSetFieldsAndDefaults()
    {
        var reply = await Client.PostReplyAsync("/api/v1/namespaces/default/pods", TestPods.Pod("web"));

        Assert.Equal(HttpStatusCode.Created, reply.Code);
        var pod = reply.Json;
        Assert.True(Guid.TryParse((string?)pod["metadata"]!["uid"], out _));
        Assert.Equal(Factory.Timestamp(), (string?)pod["metadata"]!["creationTimestamp"]);
        Assert.Equal(1, (int?)pod["metadata"]!["generation"]);
        Assert.True(long.Parse(reply.ResourceVersion) > 0);
        Assert.Equal("/api/v1/namespaces/default/pods/web", (string?)pod["metadata"]!["selfLink"]);
        Assert.Equal("""{"phase":"Pending","qosClass":"BestEffort"}""", pod["status"]!.ToJsonString());
        var spec = pod["spec"]!;
        Assert.Equal("Always", (string?)spec["restartPolicy"]);
        Assert.Equal("ClusterFirst", (string?)spec["dnsPolicy"]);
        Assert.Equal("default-scheduler", (string?)spec["schedulerName"]);
        Assert.Equal(30, (int?)spec["terminationGracePeriodSeconds"]);
        var container = spec["containers"]![0]!;
        Assert.Equal("/dev/termination-log", (string?)container["terminationMessagePath"]);
        Assert.Equal("File", (string?)container["terminationMessagePolicy"]);
        Assert.Equal("IfNotPresent", (string?)container["imagePullPolicy"]);
    }

    [Fact]
    public async Task Create_DecodesANullNumberInAList_AsGoDoes_IntoZero()
    {
        // Go's decoder leaves a null element of an []int64 as the slice's zero: the pod stores 0, not null.
        var pod = TestPods.Pod("null-group");
        pod["spec"]!["securityContext"] = new JsonObject { ["supplementalGroups"] = new JsonArray(1000, null) };

        var reply = await Client.PostReplyAsync("/api/v1/namespaces/default/pods", pod);

        Assert.Equal(HttpStatusCode.Created, reply.Code);
        Assert.Equal("[1000,0]", reply.Json["spec"]!["securityContext"]!["supplementalGroups"]!.ToJsonString());
    }

    [Fact]
    public async Task Create_IgnoresTheSentStatus()
    {
        var pod = TestPods.Pod("sent-status");
        pod["status"] = TestPods.Running();

        var reply = await Client.PostReplyAsync("/api/v1/namespaces/default/pods", pod);

        Assert.Equal("Pending", (string?)reply.Json["status"]!["phase"]);
        Assert.Null(reply.Json["status"]!["podIP"]);
    }

    [Fact]
    public async Task Create_ComputesQosClass()
    {
        var pod = TestPods.Pod("guaranteed");
        pod["spec"]!["containers"]![0]!["resources"] = JsonNode.Parse("""{"limits":{"cpu":"500m","memory":"128Mi"}}""");

        var reply = await Client.PostReplyAsync("/api/v1/namespaces/default/pods", pod);

        Assert.Equal("Guaranteed", (string?)reply.Json["status"]!["qosClass"]);
        Assert.Equal("500m", (string?)reply.Json["spec"]!["containers"]![0]!["resources"]!["requests"]!["cpu"]);
    }

    [Fact]
    public async Task Create_WithGenerateName_AppendsFiveCharacters()
    {
        var pod = TestPods.Pod("ignored");
        pod["metadata"]!.AsObject().Remove("name");
        pod["metadata"]!["generateName"] = "worker-";

        var reply = await Client.PostReplyAsync("/api/v1/namespaces/default/pods", pod);

        Assert.Equal(HttpStatusCode.Created, reply.Code);
        Assert.Matches("^worker-[bcdfghjklmnpqrstvwxz2456789]{5}$", (string?)reply.Json["metadata"]!["name"]);
    }

    [Fact]
    public async Task Create_OfExistingName_Returns409AlreadyExists()
    {
        await Client.CreatePodAsync(TestPods.Pod("twice"));

        var reply = await Client.PostReplyAsync("/api/v1/namespaces/default/pods", TestPods.Pod("twice"));

        Assert.Equal(HttpStatusCode.Conflict, reply.Code);
        Assert.Equal("AlreadyExists", reply.Reason);
        Assert.Equal("pods \"twice\" already exists", reply.Message);
    }

    [Fact]
    public async Task Create_WithoutName_Returns422()
    {
        var pod = TestPods.Pod("x");
        pod["metadata"]!.AsObject().Remove("name");

        var reply = await Client.PostReplyAsync("/api/v1/namespaces/default/pods", pod);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, reply.Code);
        Assert.Equal("Pod \"\" is invalid: metadata.name: Required value: name or generateName is required", reply.Message);
    }

    [Fact]
    public async Task Create_WithInvalidName_Returns422()
    {
        var reply = await Client.PostReplyAsync("/api/v1/namespaces/default/pods", TestPods.Pod("Bad_Name"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, reply.Code);
        Assert.StartsWith("Pod \"Bad_Name\" is invalid: metadata.name: Invalid value: \"Bad_Name\": a lowercase RFC 1123 subdomain", reply.Message);
    }

    [Fact]
    public async Task Create_WithoutContainers_Returns422()
    {
        var pod = TestPods.Pod("empty");
        pod["spec"] = new JsonObject();

        var reply = await Client.PostReplyAsync("/api/v1/namespaces/default/pods", pod);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, reply.Code);
        Assert.Equal("Pod \"empty\" is invalid: spec.containers: Required value", reply.Message);
    }

    [Fact]
    public async Task Create_WithDuplicateContainerNames_Returns422()
    {
        var pod = TestPods.Pod("dupes");
        pod["spec"]!["containers"]!.AsArray().Add(new JsonObject { ["name"] = "app", ["image"] = "busybox" });

        var reply = await Client.PostReplyAsync("/api/v1/namespaces/default/pods", pod);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, reply.Code);
        Assert.Contains("spec.containers[1].name: Duplicate value: \"app\"", reply.Message);
    }

    [Fact]
    public async Task Create_WithUnparsableQuantity_Returns400()
    {
        var pod = TestPods.Pod("bad-quantity");
        pod["spec"]!["containers"]![0]!["resources"] = JsonNode.Parse("""{"limits":{"cpu":"lots"}}""");

        var reply = await Client.PostReplyAsync("/api/v1/namespaces/default/pods", pod);

        Assert.Equal(HttpStatusCode.BadRequest, reply.Code);
        Assert.StartsWith("Pod in version \"v1\" cannot be handled as a Pod: ", reply.Message);
    }

    [Fact]
    public async Task Create_WithNullContainer_TreatsItAsEmpty_AsGoDecodingDoes()
    {
        var pod = TestPods.Pod("null-container");
        pod["spec"]!["containers"] = new JsonArray((JsonNode?)null);

        var reply = await Client.PostReplyAsync("/api/v1/namespaces/default/pods", pod);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, reply.Code);
        Assert.Contains("spec.containers[0].name: Required value", reply.Message);
        Assert.Contains("spec.containers[0].image: Required value", reply.Message);
    }

    [Fact]
    public async Task Create_WritesLabelsSortedByKey()
    {
        var pod = TestPods.Pod("sorted");
        pod["metadata"]!["labels"] = new JsonObject { ["zone"] = "b", ["app"] = "web", ["tier"] = "front" };

        var reply = await Client.PostReplyAsync("/api/v1/namespaces/default/pods", pod);

        Assert.Equal("""{"app":"web","tier":"front","zone":"b"}""", reply.Json["metadata"]!["labels"]!.ToJsonString());
    }

    [Fact]
    public async Task Create_WithResourceVersion_Returns400()
    {
        var pod = TestPods.Pod("versioned");
        pod["metadata"]!["resourceVersion"] = "5";

        var reply = await Client.PostReplyAsync("/api/v1/namespaces/default/pods", pod);

        Assert.Equal(HttpStatusCode.BadRequest, reply.Code);
        Assert.Equal("resourceVersion should not be set on objects to be created", reply.Message);
    }

    [Fact]
    public async Task Create_InOtherNamespaceThanTheUrl_Returns400()
    {
        var reply = await Client.PostReplyAsync("/api/v1/namespaces/default/pods", TestPods.Pod("misplaced", ns: "other"));

        Assert.Equal(HttpStatusCode.BadRequest, reply.Code);
        Assert.Equal("the namespace of the provided object does not match the namespace sent on the request", reply.Message);
    }

    [Fact]
    public async Task Get_OfMissingPod_Returns404()
    {
        var reply = await Client.GetReplyAsync(PodClient.PodPath("default", "missing"));

        Assert.Equal(HttpStatusCode.NotFound, reply.Code);
        Assert.Equal("pods \"missing\" not found", reply.Message);
    }

    [Fact]
    public async Task Replace_KeepsStatusAndAllowsImageChange()
    {
        var pod = await Client.CreatePodAsync(TestPods.Pod("replace-me"));
        var running = await Client.PutReplyAsync(PodClient.StatusPath("default", "replace-me"), TestPods.StatusUpdate(pod, TestPods.Running()));
        var update = running.Json.DeepClone().AsObject();
        update["spec"]!["containers"]![0]!["image"] = "nginx:1.28";
        update["status"] = new JsonObject { ["phase"] = "Failed" };

        var reply = await Client.PutReplyAsync(PodClient.PodPath("default", "replace-me"), update);

        Assert.Equal(HttpStatusCode.OK, reply.Code);
        Assert.Equal("nginx:1.28", (string?)reply.Json["spec"]!["containers"]![0]!["image"]);
        Assert.Equal("Running", (string?)reply.Json["status"]!["phase"]);
        Assert.Equal(2, (int?)reply.Json["metadata"]!["generation"]);
    }

    [Fact]
    public async Task Replace_ChangingOtherSpecFields_Returns422()
    {
        var pod = await Client.CreatePodAsync(TestPods.Pod("fixed"));
        var update = pod.DeepClone().AsObject();
        update["spec"]!["restartPolicy"] = "Never";

        var reply = await Client.PutReplyAsync(PodClient.PodPath("default", "fixed"), update);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, reply.Code);
        Assert.StartsWith("Pod \"fixed\" is invalid: spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`", reply.Message);
        Assert.Contains("spec.restartPolicy", reply.Message);
    }

    [Fact]
    public async Task Replace_WithStaleResourceVersion_Returns409()
    {
        var pod = await Client.CreatePodAsync(TestPods.Pod("stale"));
        await Client.PutReplyAsync(PodClient.StatusPath("default", "stale"), TestPods.StatusUpdate(pod, TestPods.Running()));

        var reply = await Client.PutReplyAsync(PodClient.PodPath("default", "stale"), pod);

        Assert.Equal(HttpStatusCode.Conflict, reply.Code);
    }

    [Fact]
    public async Task Replace_ThatChangesNothing_KeepsResourceVersionAndGeneration()
    {
        var pod = await Client.CreatePodAsync(TestPods.Pod("same"));

        var reply = await Client.PutReplyAsync(PodClient.PodPath("default", "same"), pod);

        Assert.Equal(HttpStatusCode.OK, reply.Code);
        Assert.Equal((string?)pod["metadata"]!["resourceVersion"], reply.ResourceVersion);
        Assert.Equal(1, (int?)reply.Json["metadata"]!["generation"]);
    }

    [Fact]
    public async Task List_ReturnsPodListOrderedByNamespaceThenName()
    {
        await Client.CreateNamespaceAsync("alpha");
        await Client.CreateNamespaceAsync("beta");
        foreach (var (ns, name) in new[] { ("beta", "b"), ("alpha", "z"), ("beta", "a"), ("alpha", "a") })
        {
            await Client.CreatePodAsync(TestPods.Pod(name, ns));
        }

        var all = await Client.GetReplyAsync("/api/v1/pods");
        var beta = await Client.GetReplyAsync("/api/v1/namespaces/beta/pods");

        Assert.Equal(HttpStatusCode.OK, all.Code);
        Assert.Equal("PodList", (string?)all.Json["kind"]);
        Assert.Equal("v1", (string?)all.Json["apiVersion"]);
        var keys = all.Json["items"]!.AsArray().Select(i => $"{i!["metadata"]!["namespace"]}/{i["metadata"]!["name"]}");
        Assert.Equal(["alpha/a", "alpha/z", "beta/a", "beta/b"], keys);
        Assert.Equal(["a", "b"], beta.Json["items"]!.AsArray().Select(i => (string?)i!["metadata"]!["name"]));
    }

    [Fact]
    public async Task List_ItemsOmitKindAndApiVersion_AndListCarriesTheCurrentResourceVersion()
    {
        await Client.CreatePodAsync(TestPods.Pod("one"));
        var last = await Client.CreatePodAsync(TestPods.Pod("two"));

        var list = await Client.GetReplyAsync("/api/v1/namespaces/default/pods");

        // On a shared etcd the revision is every key's: other tests' writes (leases renewed meanwhile) may move it on.
        var written = long.Parse((string)last["metadata"]!["resourceVersion"]!);
        var listed = long.Parse(list.ResourceVersion);
        Assert.True(PodStatusFactory.OnEtcd ? listed >= written : listed == written, $"listed at {listed}, last write {written}");
        Assert.All(list.Json["items"]!.AsArray(), item =>
        {
            Assert.Null(item!["kind"]);
            Assert.Null(item["apiVersion"]);
        });
    }

    [Fact]
    public async Task List_OfEmptyNamespace_HasEmptyItems()
    {
        var list = await Client.GetReplyAsync("/api/v1/namespaces/nothing-here/pods");

        Assert.Equal("[]", list.Json["items"]!.ToJsonString());
    }

    [Fact]
    public async Task ResourceVersion_IsOneGlobalCounterAcrossPods()
    {
        var a = await Client.CreatePodAsync(TestPods.Pod("counter-a"));
        var b = await Client.CreatePodAsync(TestPods.Pod("counter-b"));
        var c = await Client.PutReplyAsync(PodClient.StatusPath("default", "counter-a"), TestPods.StatusUpdate(a, TestPods.Running()));

        var versions = new[] { a, b, c.Json }.Select(p => long.Parse((string)p["metadata"]!["resourceVersion"]!)).ToList();

        Assert.Equal(versions.Order(), versions);
        Assert.Equal(versions.Count, versions.Distinct().Count());
    }
}
