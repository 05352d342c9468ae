using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using PodStatus.Api.Tests.Infrastructure;

namespace PodStatus.Api.Tests;

/// <summary>
/// Every query parameter the OpenAPI document publishes, converted as kube-apiserver converts it
/// (apimachinery's <c>Convert_url_Values_To_v1_*</c>, <c>Convert_Slice_string_To_bool</c>, Go's <c>strconv</c>):
/// one table per parameter of the value sent and what upstream makes of it. The server holds the founding
/// document's pod (scheduled, so deletion is graceful) and three pods in namespace <c>paging</c>; no case adds or removes one.
/// </summary>
public sealed class QueryParameterTests(QueryParameterTests.Server server) : IClassFixture<QueryParameterTests.Server>
{
    private const string Pods = "/api/v1/namespaces/paging/pods";
    private const string HelloWorld = "/api/v1/namespaces/default/pods/hello-world";

    private HttpClient Client => server.Client;

    public sealed class Server : IAsyncLifetime
    {
        public PodStatusFactory Factory { get; } = new();

        public HttpClient Client { get; private set; } = null!;

        public async ValueTask InitializeAsync()
        {
            Client = Factory.CreateClient();
            await Client.CreateNamespaceAsync("paging");
            foreach (var name in new[] { "a", "b", "c" })
            {
                await Client.CreatePodAsync(TestPods.Pod(name, "paging"));
            }
        }

        public async ValueTask DisposeAsync()
        {
            Client.Dispose();
            await Factory.DisposeAsync();
        }
    }

    /// <summary>Convert_Slice_string_To_bool: absent, 0 or false in any case (Go's EqualFold, so also "falſe") is false; all else true.</summary>
    [Theory]
    [InlineData("", false)]
    [InlineData("watch=true", true)]
    [InlineData("watch=True", true)]
    [InlineData("watch=TRUE", true)]
    [InlineData("watch=1", true)]
    [InlineData("watch=yes", true)]
    [InlineData("watch=00", true)]
    [InlineData("watch=", true)]
    [InlineData("watch", true)]
    [InlineData("watch=0", false)]
    [InlineData("watch=false", false)]
    [InlineData("watch=False", false)]
    [InlineData("watch=FALSE", false)]
    [InlineData("watch=fAlSe", false)]
    [InlineData("watch=fal%C5%BFe", false)]
    [InlineData("watch=0&watch=1", false)]
    [InlineData("watch=1&watch=0", true)]
    public async Task Watch(string query, bool watches)
    {
        // A negative timeout ends a watch at once, so a watch answers an empty stream and a list a PodList.
        var reply = await Client.GetReplyAsync($"{Pods}?{query}&timeoutSeconds=-1");

        Assert.Equal(HttpStatusCode.OK, reply.Code);
        if (watches)
        {
            Assert.Equal("", reply.Body);
        }
        else
        {
            Assert.Equal("PodList", (string?)reply.Json["kind"]);
        }
    }

    [Theory]
    [InlineData("allowWatchBookmarks=true", true)]
    [InlineData("allowWatchBookmarks=True", true)]
    [InlineData("allowWatchBookmarks=", true)]
    [InlineData("allowWatchBookmarks=0", false)]
    [InlineData("allowWatchBookmarks=FALSE", false)]
    [InlineData("", false)]
    public async Task AllowWatchBookmarks(string query, bool bookmark)
    {
        // A watch that ends sends a last bookmark when bookmarks are allowed.
        var reply = await Client.GetReplyAsync($"{Pods}?watch=1&timeoutSeconds=-1&{query}");

        Assert.Equal(bookmark, reply.Body.Contains("\"type\":\"BOOKMARK\"", StringComparison.Ordinal));
    }

    /// <summary>Convert_Slice_string_To_Pointer_bool: any value, "false" included, makes sendInitialEvents set, which a list forbids.</summary>
    [Theory]
    [InlineData("sendInitialEvents=true")]
    [InlineData("sendInitialEvents=false")]
    [InlineData("sendInitialEvents=0")]
    [InlineData("sendInitialEvents=")]
    public async Task SendInitialEvents_OnAList(string query)
    {
        var reply = await Client.GetReplyAsync($"{Pods}?{query}");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, reply.Code);
        Assert.Equal("ListOptions.meta.k8s.io \"\" is invalid: sendInitialEvents: Forbidden: sendInitialEvents is forbidden for list", reply.Message);
    }

    /// <summary>On a watch: true sends the pods, then the end bookmark; false, 0 or FALSE starts with the next change.</summary>
    [Theory]
    [InlineData("true", true)]
    [InlineData("True", true)]
    [InlineData("", true)]
    [InlineData("false", false)]
    [InlineData("0", false)]
    [InlineData("FALSE", false)]
    public async Task SendInitialEvents_OnAWatch(string value, bool initialEvents)
    {
        await using var watch = await WatchStream.OpenAsync(Client,
            $"{Pods}?watch=true&allowWatchBookmarks=true&resourceVersionMatch=NotOlderThan&sendInitialEvents={value}");
        if (!initialEvents)
        {
            // Dry-run writes leave no change behind, so a label through the status subresource of one pod it is.
            var pod = (await Client.GetReplyAsync($"{Pods}/a")).Json;
            pod["metadata"]!["labels"]!["touched"] = Guid.NewGuid().ToString("N");
            Assert.Equal(HttpStatusCode.OK, (await Client.PutReplyAsync($"{Pods}/a/status", pod)).Code);
        }

        var first = await watch.NextAsync();

        Assert.Equal(initialEvents ? "ADDED" : "MODIFIED", (string?)first!["type"]);
        if (initialEvents)
        {
            Assert.Equal(["ADDED b", "ADDED c"], await watch.TakeAsync(2));
            var bookmark = await watch.NextAsync();
            Assert.Equal("true", (string?)bookmark!["object"]!["metadata"]!["annotations"]!["k8s.io/initial-events-end"]);
        }
    }

    /// <summary>Go's strconv.ParseBool decides; any other value is false without an error, and no value leaves it to the User-Agent.</summary>
    [Theory]
    [InlineData("pretty=true", true)]
    [InlineData("pretty=1", true)]
    [InlineData("pretty=t", true)]
    [InlineData("pretty=T", true)]
    [InlineData("pretty=TRUE", true)]
    [InlineData("pretty=True", true)]
    [InlineData("pretty=false", false)]
    [InlineData("pretty=0", false)]
    [InlineData("pretty=f", false)]
    [InlineData("pretty=False", false)]
    [InlineData("pretty=tRuE", false)]
    [InlineData("pretty=yes", false)]
    [InlineData("pretty=", true)]
    [InlineData("", true)]
    public async Task Pretty(string query, bool indented)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{HelloWorld}?{query}");
        request.Headers.UserAgent.Add(new ProductInfoHeaderValue("curl", "8.5.0"));
        using var response = await Client.SendAsync(request, TestContext.Current.CancellationToken);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(indented, body.StartsWith("{\n  \"kind\"", StringComparison.Ordinal));
    }

    /// <summary>Convert_Slice_string_To_int64: strconv.ParseInt, base 10; 0 or less lists everything; the first value counts.</summary>
    [Theory]
    [InlineData("limit=1", 1, null)]
    [InlineData("limit=%2B1", 1, null)]
    [InlineData("limit=+1", 0, "strconv.ParseInt: parsing \" 1\": invalid syntax")]
    [InlineData("limit=2&limit=x", 2, null)]
    [InlineData("limit=0", 3, null)]
    [InlineData("limit=-5", 3, null)]
    [InlineData("limit=9223372036854775807", 3, null)]
    [InlineData("limit=9223372036854775808", 0, "strconv.ParseInt: parsing \"9223372036854775808\": value out of range")]
    [InlineData("limit=-9223372036854775809", 0, "strconv.ParseInt: parsing \"-9223372036854775809\": value out of range")]
    [InlineData("limit=99999999999999999999x", 0, "strconv.ParseInt: parsing \"99999999999999999999x\": value out of range")]
    [InlineData("limit=abc", 0, "strconv.ParseInt: parsing \"abc\": invalid syntax")]
    [InlineData("limit=", 0, "strconv.ParseInt: parsing \"\": invalid syntax")]
    [InlineData("limit=%201", 0, "strconv.ParseInt: parsing \" 1\": invalid syntax")]
    [InlineData("limit=1.0", 0, "strconv.ParseInt: parsing \"1.0\": invalid syntax")]
    [InlineData("limit=0x10", 0, "strconv.ParseInt: parsing \"0x10\": invalid syntax")]
    [InlineData("limit=1_000", 0, "strconv.ParseInt: parsing \"1_000\": invalid syntax")]
    [InlineData("limit=%EF%BC%91", 0, "strconv.ParseInt: parsing \"１\": invalid syntax")]
    [InlineData("limit=%07", 0, "strconv.ParseInt: parsing \"\\a\": invalid syntax")]
    public async Task Limit(string query, int items, string? error)
    {
        var reply = await Client.GetReplyAsync($"{Pods}?{query}");

        AssertBadRequestOr(reply, error);
        if (error is null)
        {
            Assert.Equal(items, reply.Json["items"]!.AsArray().Count);
            Assert.Equal(items < 3, reply.Json["metadata"]!["continue"] is not null);
        }
    }

    [Theory]
    [InlineData("timeoutSeconds=abc", "strconv.ParseInt: parsing \"abc\": invalid syntax")]
    [InlineData("timeoutSeconds=", "strconv.ParseInt: parsing \"\": invalid syntax")]
    [InlineData("timeoutSeconds=1e3", "strconv.ParseInt: parsing \"1e3\": invalid syntax")]
    [InlineData("timeoutSeconds=-1", null)]
    [InlineData("timeoutSeconds=-9223372036854775808", null)]
    public async Task TimeoutSeconds(string query, string? error)
    {
        // A negative timeout ends the watch at once, as a Go timer with a negative duration fires at once.
        var reply = await Client.GetReplyAsync($"{Pods}?watch=1&{query}");

        AssertBadRequestOr(reply, error);
        if (error is null)
        {
            Assert.Equal("", reply.Body);
        }
    }

    /// <summary>Read from the query only when the request has no body, as upstream's delete handler does.</summary>
    [Theory]
    [InlineData("gracePeriodSeconds=7", null, 7, null)]
    [InlineData("gracePeriodSeconds=%2B7", null, 7, null)]
    [InlineData("gracePeriodSeconds=7&gracePeriodSeconds=x", null, 7, null)]
    [InlineData("gracePeriodSeconds=x", null, 0, "strconv.ParseInt: parsing \"x\": invalid syntax")]
    [InlineData("gracePeriodSeconds=", null, 0, "strconv.ParseInt: parsing \"\": invalid syntax")]
    [InlineData("gracePeriodSeconds=x", """{"gracePeriodSeconds":5,"dryRun":["All"]}""", 5, null)]
    public async Task GracePeriodSeconds(string query, string? body, int grace, string? error)
    {
        var reply = await Client.DeleteReplyAsync($"{HelloWorld}?dryRun=All&{query}", body is null ? null : JsonNode.Parse(body));

        AssertBadRequestOr(reply, error);
        if (error is null)
        {
            Assert.Equal(grace, (int?)reply.Json["metadata"]!["deletionGracePeriodSeconds"]);
        }
    }

    [Theory]
    [InlineData("orphanDependents=false", null)]
    [InlineData("orphanDependents=true&propagationPolicy=Background",
        "propagationPolicy: Invalid value: \"Background\": orphanDependents and deletionPropagation cannot be both set")]
    [InlineData("orphanDependents=0&propagationPolicy=Orphan",
        "propagationPolicy: Invalid value: \"Orphan\": orphanDependents and deletionPropagation cannot be both set")]
    [InlineData("propagationPolicy=Background", null)]
    [InlineData("propagationPolicy=Foreground&propagationPolicy=x", null)]
    [InlineData("propagationPolicy=",
        "propagationPolicy: Unsupported value: \"\": supported values: \"Foreground\", \"Background\", \"Orphan\", \"nil\"")]
    [InlineData("propagationPolicy=background",
        "propagationPolicy: Unsupported value: \"background\": supported values: \"Foreground\", \"Background\", \"Orphan\", \"nil\"")]
    [InlineData("dryRun=All&dryRun=x", "dryRun: Unsupported value: []string{\"All\", \"x\"}: supported values: \"All\"")]
    public async Task DeleteOptions(string query, string? error)
    {
        // Every case is a dry run, or fails validation: the pod stays.
        var dryRun = query.Contains("dryRun", StringComparison.Ordinal) ? "" : "dryRun=All&";
        var reply = await Client.DeleteReplyAsync($"{HelloWorld}?{dryRun}{query}");

        AssertInvalidOr(reply, "DeleteOptions", error);
    }

    /// <summary>dryRun is a list (every value must be All); fieldValidation and fieldManager take the first value.</summary>
    [Theory]
    [InlineData("dryRun=All", null)]
    [InlineData("dryRun=All&dryRun=All", null)]
    [InlineData("dryRun=", "dryRun: Unsupported value: []string{\"\"}: supported values: \"All\"")]
    [InlineData("dryRun=all", "dryRun: Unsupported value: []string{\"all\"}: supported values: \"All\"")]
    [InlineData("dryRun=All&fieldValidation=Strict", null)]
    [InlineData("dryRun=All&fieldValidation=Ignore", null)]
    [InlineData("dryRun=All&fieldValidation=Warn", null)]
    [InlineData("dryRun=All&fieldValidation=", null)]
    [InlineData("dryRun=All&fieldValidation=Warn&fieldValidation=x", null)]
    [InlineData("dryRun=All&fieldValidation=strict",
        "fieldValidation: Unsupported value: \"strict\": supported values: \"\", \"Ignore\", \"Strict\", \"Warn\"")]
    [InlineData("dryRun=All&fieldManager=kubelet", null)]
    [InlineData("dryRun=All&fieldManager=a%07b", "fieldManager: Invalid value: \"a\\ab\": invalid character U+0007 (at position 1)")]
    [InlineData("dryRun=All&fieldManager=%C3%A9%0A", "fieldManager: Invalid value: \"é\\n\": invalid character U+000A (at position 2)")]
    public async Task WriteOptions(string query, string? error)
    {
        var pod = (await Client.GetReplyAsync(HelloWorld)).Json;

        var reply = await Client.PutReplyAsync($"{HelloWorld}/status?{query}", pod);

        AssertInvalidOr(reply, "UpdateOptions", error);
    }

    [Fact]
    public async Task FieldManager_LongerThan128Bytes_Returns422()
    {
        var pod = (await Client.GetReplyAsync(HelloWorld)).Json;

        var reply = await Client.PutReplyAsync($"{HelloWorld}/status?dryRun=All&fieldManager={new string('m', 129)}", pod);

        AssertInvalidOr(reply, "UpdateOptions", "fieldManager: Too long: must have at most 128 bytes");
    }

    [Theory]
    [InlineData("force=true")]
    [InlineData("force=false")]
    [InlineData("force=")]
    public async Task Force_OnANonApplyPatch_Returns422(string query)
    {
        var reply = await Client.SendAsync(HttpMethod.Patch, $"{HelloWorld}/status?dryRun=All&{query}", "{}", "application/merge-patch+json");

        AssertInvalidOr(reply, "PatchOptions", "force: Forbidden: may not be specified for non-apply patch");
    }

    /// <summary>
    /// APIObjectVersioner.ParseResourceVersion: unset and 0 mean any state; others strconv.ParseUint. Upstream answers
    /// a value that does not parse with a 500; PodStatus with a 400 carrying the same message.
    /// </summary>
    [Theory]
    [InlineData("resourceVersion=", null)]
    [InlineData("resourceVersion=0", null)]
    [InlineData("resourceVersion=1", null)]
    [InlineData("resourceVersion=abc", "resourceVersion: Invalid value: \"abc\": strconv.ParseUint: parsing \"abc\": invalid syntax")]
    [InlineData("resourceVersion=-1", "resourceVersion: Invalid value: \"-1\": strconv.ParseUint: parsing \"-1\": invalid syntax")]
    [InlineData("resourceVersion=%2B5", "resourceVersion: Invalid value: \"+5\": strconv.ParseUint: parsing \"+5\": invalid syntax")]
    [InlineData("resourceVersion=18446744073709551616",
        "resourceVersion: Invalid value: \"18446744073709551616\": strconv.ParseUint: parsing \"18446744073709551616\": value out of range")]
    public async Task ResourceVersion(string query, string? error)
    {
        var reply = await Client.GetReplyAsync($"{Pods}?{query}");

        AssertBadRequestOr(reply, error);
        if (error is null)
        {
            Assert.Equal(3, reply.Json["items"]!.AsArray().Count);
        }
    }

    [Fact]
    public async Task ResourceVersion_PastAnyRevision_Returns504AfterWaiting()
    {
        var reply = await server.Factory.AdvanceClockUntilAsync(
            Client.GetReplyAsync($"{Pods}?resourceVersion=18446744073709551615"), TimeSpan.FromSeconds(3));

        Assert.Equal(HttpStatusCode.GatewayTimeout, reply.Code);
    }

    /// <summary>ValidateListOptions, for lists and for watches: a 422 on ListOptions.meta.k8s.io with upstream's messages.</summary>
    [Theory]
    [InlineData("resourceVersionMatch=NotOlderThan&resourceVersion=1", null)]
    [InlineData("resourceVersionMatch=Exact",
        "resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided")]
    [InlineData("resourceVersionMatch=Exact&resourceVersion=0",
        "resourceVersionMatch: Forbidden: resourceVersionMatch \"exact\" is forbidden for resourceVersion \"0\"")]
    [InlineData("resourceVersionMatch=exact&resourceVersion=5",
        "resourceVersionMatch: Unsupported value: \"exact\": supported values: \"Exact\", \"NotOlderThan\", \"\"")]
    [InlineData("resourceVersionMatch=Exact&resourceVersion=5&continue=abc",
        "resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden when continue is provided")]
    [InlineData("resourceVersionMatch=&resourceVersion=5", null)]
    [InlineData("watch=1&resourceVersionMatch=NotOlderThan",
        "resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided")]
    [InlineData("watch=1&sendInitialEvents=true&allowWatchBookmarks=true&resourceVersionMatch=Exact",
        "[resourceVersionMatch: Forbidden: sendInitialEvents requires setting resourceVersionMatch to NotOlderThan, " +
        "resourceVersionMatch: Unsupported value: \"Exact\": supported values: \"NotOlderThan\"]")]
    [InlineData("watch=1&sendInitialEvents=false",
        "[resourceVersionMatch: Forbidden: sendInitialEvents requires setting resourceVersionMatch to NotOlderThan, " +
        "allowWatchBookmarks: Forbidden: sendInitialEvents requires setting allowWatchBookmarks to true]")]
    public async Task ResourceVersionMatch(string query, string? error)
    {
        var reply = await Client.GetReplyAsync($"{Pods}?timeoutSeconds=-1&{query}");

        AssertInvalidOr(reply, "ListOptions", error);
    }

    [Fact]
    public async Task ResourceVersionMatchExact_AtTheCurrentRevision_ListsIt()
    {
        var current = (await Client.GetReplyAsync(Pods)).ResourceVersion;

        var reply = await Client.GetReplyAsync($"{Pods}?resourceVersionMatch=Exact&resourceVersion={current}&limit=2");

        Assert.Equal(HttpStatusCode.OK, reply.Code);
        Assert.Equal(current, reply.ResourceVersion);
        Assert.Equal(2, reply.Json["items"]!.AsArray().Count);
    }

    [Fact]
    public async Task ResourceVersionMatchExact_OlderThanTheKeptHistory_Returns410()
    {
        Assert.SkipWhen(PodStatusFactory.OnEtcd, "etcd keeps revision 1 until it is compacted; EtcdStoreTests reads at a compacted revision");
        var reply = await Client.GetReplyAsync($"{Pods}?resourceVersionMatch=Exact&resourceVersion=1");

        Assert.Equal(HttpStatusCode.Gone, reply.Code);
        Assert.Equal("Expired", reply.Reason);
        Assert.Equal("The resourceVersion for the provided list is too old.", reply.Message);
    }

    /// <summary>Only a Table reads includeObject (upstream's asTable); there an unknown value is a 400.</summary>
    [Theory]
    [InlineData("includeObject=None", true, null)]
    [InlineData("includeObject=Object", true, null)]
    [InlineData("includeObject=Metadata", true, null)]
    [InlineData("includeObject=", true, null)]
    [InlineData("includeObject=none", true, "unrecognized includeObject value: \"none\"")]
    [InlineData("includeObject=none", false, null)]
    public async Task IncludeObject(string query, bool table, string? error)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{HelloWorld}?{query}");
        if (table)
        {
            request.Headers.Accept.ParseAdd("application/json;as=Table;v=v1;g=meta.k8s.io");
        }

        using var response = await Client.SendAsync(request, TestContext.Current.CancellationToken);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        AssertBadRequestOr(new Reply(response.StatusCode, body, null), error);
    }

    /// <summary>Selectors and tokens are strings: the first value counts.</summary>
    [Theory]
    [InlineData("labelSelector=app%3Dweb&labelSelector=((", 3)]
    [InlineData("labelSelector=app%3Dnone&labelSelector=app%3Dweb", 0)]
    [InlineData("fieldSelector=metadata.name%3Da&fieldSelector=bogus%3Dx", 1)]
    public async Task Selectors_TakeTheFirstValue(string query, int items)
    {
        var reply = await Client.GetReplyAsync($"{Pods}?{query}");

        Assert.Equal(HttpStatusCode.OK, reply.Code);
        Assert.Equal(items, reply.Json["items"]!.AsArray().Count);
    }

    private static void AssertBadRequestOr(Reply reply, string? error)
    {
        Assert.True(error is null ? reply.Code == HttpStatusCode.OK : reply.Code == HttpStatusCode.BadRequest, $"{(int)reply.Code} {reply.Body}");
        if (error is not null)
        {
            Assert.Equal("BadRequest", reply.Reason);
            Assert.Equal(error, reply.Message);
        }
    }

    private static void AssertInvalidOr(Reply reply, string kind, string? error)
    {
        Assert.True(error is null ? reply.Code == HttpStatusCode.OK : reply.Code == HttpStatusCode.UnprocessableEntity, $"{(int)reply.Code} {reply.Body}");
        if (error is not null)
        {
            Assert.Equal($"{kind}.meta.k8s.io \"\" is invalid: {error}", reply.Message);
        }
    }
}
