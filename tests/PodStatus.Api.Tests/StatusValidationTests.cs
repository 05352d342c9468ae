using System.Net;
using System.Text.Json.Nodes;
using PodStatus.Api.Tests.Infrastructure;

namespace PodStatus.Api.Tests;

/// <summary>ValidatePodStatusUpdate's rules as 422 Invalid Status bodies, and the opt-in strict rules.</summary>
public sealed class StatusValidationTests(StatusValidationTests.Servers servers) : IClassFixture<StatusValidationTests.Servers>
{
    public sealed class Servers : IDisposable
    {
        public PodStatusFactory Default { get; } = new() { SeedPath = "none" };

        public PodStatusFactory Strict { get; } = new() { SeedPath = "none", StrictValidation = true };

        public void Dispose()
        {
            Default.Dispose();
            Strict.Dispose();
        }
    }

    private readonly HttpClient _client = servers.Default.CreateClient();
    private readonly HttpClient _strictClient = servers.Strict.CreateClient();

    private static async Task<Reply> PutStatusAsync(HttpClient client, JsonObject status, JsonObject? startingStatus = null, Action<JsonObject>? editPod = null)
    {
        var pod = TestPods.Pod(TestPods.UniqueName());
        editPod?.Invoke(pod);
        var created = await client.CreatePodAsync(pod);
        var path = PodClient.StatusPath("default", (string)created["metadata"]!["name"]!);
        if (startingStatus is not null)
        {
            var first = await client.PutReplyAsync(path, TestPods.StatusUpdate(created, startingStatus, keepResourceVersion: false));
            Assert.Equal(HttpStatusCode.OK, first.Code);
        }

        return await client.PutReplyAsync(path, TestPods.StatusUpdate(created, status, keepResourceVersion: false));
    }

    private static void AssertInvalid(Reply reply, string field, string reason, string message)
    {
        Assert.Equal(HttpStatusCode.UnprocessableEntity, reply.Code);
        Assert.Equal("Invalid", reply.Reason);
        var details = reply.Json["details"]!;
        Assert.Equal("Pod", (string?)details["kind"]);
        var cause = details["causes"]!.AsArray().FirstOrDefault(c => (string?)c!["field"] == field);
        Assert.True(cause is not null, $"no cause for {field} in {reply.Body}");
        Assert.Equal(reason, (string?)cause["reason"]);
        Assert.Equal(message, (string?)cause["message"]);
        Assert.Contains($"{field}: {message}", reply.Message);
    }

    [Fact]
    public async Task InvalidPodIp_Returns422WithUpstreamMessage()
    {
        var reply = await PutStatusAsync(_client, new JsonObject { ["podIPs"] = new JsonArray(new JsonObject { ["ip"] = "abc" }) });

        AssertInvalid(reply, "status.podIPs[0]", "FieldValueInvalid", "Invalid value: \"abc\": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)");
        Assert.StartsWith("Pod \"", reply.Message);
        Assert.EndsWith("is invalid: status.podIPs[0]: Invalid value: \"abc\": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)", reply.Message);
    }

    [Fact]
    public async Task TwoPodIpsOfOneFamily_Returns422()
    {
        var reply = await PutStatusAsync(_client, new JsonObject
        {
            ["podIPs"] = new JsonArray(new JsonObject { ["ip"] = "10.0.0.1" }, new JsonObject { ["ip"] = "10.0.0.2" }),
        });

        AssertInvalid(reply, "status.podIPs", "FieldValueInvalid",
            "Invalid value: []core.PodIP{core.PodIP{IP:\"10.0.0.1\"}, core.PodIP{IP:\"10.0.0.2\"}}: may specify no more than one IP for each IP family");
    }

    [Fact]
    public async Task DualStackPodIps_AreAccepted()
    {
        var reply = await PutStatusAsync(_client, new JsonObject
        {
            ["podIPs"] = new JsonArray(new JsonObject { ["ip"] = "10.0.0.1" }, new JsonObject { ["ip"] = "fd00::1" }),
        });

        Assert.Equal(HttpStatusCode.OK, reply.Code);
        Assert.Equal("10.0.0.1", (string?)reply.Json["status"]!["podIP"]);
    }

    [Fact]
    public async Task HostIpsDisagreeingWithHostIp_Returns422()
    {
        var reply = await PutStatusAsync(_client, new JsonObject
        {
            ["hostIP"] = "192.168.1.1",
            ["hostIPs"] = new JsonArray(new JsonObject { ["ip"] = "192.168.1.2" }),
        });

        AssertInvalid(reply, "status.hostIPs[0].ip", "FieldValueInvalid", "Invalid value: \"192.168.1.2\": must be equal to `hostIP`");
    }

    [Fact]
    public async Task CustomConditionTypeThatIsNotAQualifiedName_Returns422UnderUpstreamsPath()
    {
        var reply = await PutStatusAsync(_client, new JsonObject
        {
            ["conditions"] = new JsonArray(new JsonObject { ["type"] = "bad type!", ["status"] = "True" }),
        });

        AssertInvalid(reply, "metadata.conditions[0].Type", "FieldValueInvalid",
            "Invalid value: \"bad type!\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')");
    }

    [Fact]
    public async Task NullConditionIsDecodedAsGoDecodesIt_AnEmptyConditionThatValidationRejects()
    {
        // Go decodes a null list element into the element's zero value: a condition whose type is empty.
        var reply = await PutStatusAsync(_client, new JsonObject
        {
            ["conditions"] = new JsonArray(new JsonObject { ["type"] = "Ready", ["status"] = "True" }, null),
        });

        AssertInvalid(reply, "metadata.conditions[1].Type", "FieldValueInvalid", "Invalid value: \"\": name part must be non-empty");
    }

    [Fact]
    public async Task ChangedQosClass_Returns422Immutable()
    {
        var reply = await PutStatusAsync(_client, new JsonObject { ["qosClass"] = "Guaranteed" });

        AssertInvalid(reply, "status.qosClass", "FieldValueInvalid", "Invalid value: \"Guaranteed\": field is immutable");
    }

    [Fact]
    public async Task InvalidNominatedNodeName_Returns422()
    {
        var reply = await PutStatusAsync(_client, new JsonObject { ["nominatedNodeName"] = "Node_1" });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, reply.Code);
        Assert.Contains("status.nominatedNodeName: Invalid value: \"Node_1\": a lowercase RFC 1123 subdomain", reply.Message);
    }

    [Fact]
    public async Task TerminatedContainerRestarting_WithRestartPolicyNever_Returns422()
    {
        var terminated = new JsonObject
        {
            ["phase"] = "Failed",
            ["containerStatuses"] = new JsonArray(ContainerStatus("app", new JsonObject { ["terminated"] = new JsonObject { ["exitCode"] = 1 } })),
        };
        var running = new JsonObject
        {
            ["phase"] = "Running",
            ["containerStatuses"] = new JsonArray(ContainerStatus("app", new JsonObject { ["running"] = new JsonObject() })),
        };

        var reply = await PutStatusAsync(_client, running, terminated, pod => pod["spec"]!["restartPolicy"] = "Never");

        AssertInvalid(reply, "status.containerStatuses[0].state", "FieldValueForbidden", "Forbidden: may not be transitioned to non-terminated state");
    }

    [Fact]
    public async Task TerminatedContainerRestarting_WithRestartPolicyAlways_IsAccepted()
    {
        var terminated = new JsonObject
        {
            ["containerStatuses"] = new JsonArray(ContainerStatus("app", new JsonObject { ["terminated"] = new JsonObject { ["exitCode"] = 0 } })),
        };
        var running = new JsonObject
        {
            ["containerStatuses"] = new JsonArray(ContainerStatus("app", new JsonObject { ["running"] = new JsonObject() })),
        };

        var reply = await PutStatusAsync(_client, running, terminated);

        Assert.Equal(HttpStatusCode.OK, reply.Code);
    }

    [Fact]
    public async Task InvalidLabel_Returns422()
    {
        var pod = await _client.CreatePodAsync(TestPods.Pod(TestPods.UniqueName()));
        var update = TestPods.StatusUpdate(pod, TestPods.Running());
        update["metadata"]!["labels"] = new JsonObject { ["app"] = "-bad-" };

        var reply = await _client.PutReplyAsync(PodClient.StatusPath("default", (string)pod["metadata"]!["name"]!), update);

        AssertInvalid(reply, "metadata.labels", "FieldValueInvalid",
            "Invalid value: \"-bad-\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')");
    }

    [Fact]
    public async Task AddingTheMirrorPodAnnotation_Returns422Forbidden()
    {
        var pod = await _client.CreatePodAsync(TestPods.Pod(TestPods.UniqueName()));
        var update = TestPods.StatusUpdate(pod, TestPods.Running());
        update["metadata"]!["annotations"] = new JsonObject { ["kubernetes.io/config.mirror"] = "abc", ["note"] = "kept" };

        var reply = await _client.PutReplyAsync(PodClient.StatusPath("default", (string)pod["metadata"]!["name"]!), update);

        AssertInvalid(reply, "metadata.annotations[kubernetes.io/config.mirror]", "FieldValueForbidden", "Forbidden: may not add mirror pod annotation");
        Assert.Single(reply.Json["details"]!["causes"]!.AsArray());
    }

    [Fact]
    public async Task AnnotationsFixedAtCreation_AreReported_UpdatedKeysFirst()
    {
        // ValidatePodSpecificAnnotationUpdates walks the new annotations, then the old ones the new lack.
        var reply = await PutStatusAsync(_client, TestPods.Running(), editPod: pod =>
            pod["metadata"]!["annotations"] = new JsonObject { ["kubernetes.io/config.mirror"] = "abc" });
        Assert.Equal(HttpStatusCode.OK, reply.Code);
        var update = TestPods.StatusUpdate(reply.Json.AsObject(), TestPods.Running(), keepResourceVersion: false);
        update["metadata"]!["annotations"] = new JsonObject { ["container.apparmor.security.beta.kubernetes.io/app"] = "runtime/default" };

        var refused = await _client.PutReplyAsync(PodClient.StatusPath("default", (string)reply.Json["metadata"]!["name"]!), update);

        AssertInvalid(refused, "metadata.annotations[container.apparmor.security.beta.kubernetes.io/app]", "FieldValueForbidden", "Forbidden: may not add AppArmor annotations");
        AssertInvalid(refused, "metadata.annotations[kubernetes.io/config.mirror]", "FieldValueForbidden", "Forbidden: may not remove or update mirror pod annotation");
        Assert.Equal(
            ["metadata.annotations[container.apparmor.security.beta.kubernetes.io/app]", "metadata.annotations[kubernetes.io/config.mirror]"],
            refused.Json["details"]!["causes"]!.AsArray().Select(c => (string?)c!["field"]));
    }

    [Fact]
    public async Task SeveralErrors_AreAggregatedInTheMessage()
    {
        var reply = await PutStatusAsync(_client, new JsonObject
        {
            ["qosClass"] = "Guaranteed",
            ["podIPs"] = new JsonArray(new JsonObject { ["ip"] = "abc" }),
        });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, reply.Code);
        Assert.Equal(2, reply.Json["details"]!["causes"]!.AsArray().Count);
        Assert.Matches("is invalid: \\[status.qosClass: .*, status.podIPs\\[0\\]: .*\\]$", reply.Message);
    }

    [Fact]
    public async Task InvalidStatus_IsNotWritten()
    {
        var pod = await _client.CreatePodAsync(TestPods.Pod(TestPods.UniqueName()));
        var path = PodClient.StatusPath("default", (string)pod["metadata"]!["name"]!);

        await _client.PutReplyAsync(path, TestPods.StatusUpdate(pod, TestPods.Running("abc")));
        var stored = await _client.GetReplyAsync(path);

        Assert.Equal((string?)pod["metadata"]!["resourceVersion"], stored.ResourceVersion);
        Assert.Equal("Pending", (string?)stored.Json["status"]!["phase"]);
    }

    [Theory]
    [InlineData("Exploded")]
    public async Task UnknownPhase_IsAcceptedByDefault_AndRejectedWhenStrict(string phase)
    {
        var lenient = await PutStatusAsync(_client, new JsonObject { ["phase"] = phase });
        var strict = await PutStatusAsync(_strictClient, new JsonObject { ["phase"] = phase });

        Assert.Equal(HttpStatusCode.OK, lenient.Code);
        AssertInvalid(strict, "status.phase", "FieldValueNotSupported",
            $"Unsupported value: \"{phase}\": supported values: \"Failed\", \"Pending\", \"Running\", \"Succeeded\", \"Unknown\"");
    }

    [Fact]
    public async Task UnknownConditionStatus_IsAcceptedByDefault_AndRejectedWhenStrict()
    {
        var status = new JsonObject { ["conditions"] = new JsonArray(new JsonObject { ["type"] = "Ready", ["status"] = "Maybe" }) };

        var lenient = await PutStatusAsync(_client, status);
        var strict = await PutStatusAsync(_strictClient, status.DeepClone().AsObject());

        Assert.Equal(HttpStatusCode.OK, lenient.Code);
        AssertInvalid(strict, "status.conditions[0].status", "FieldValueNotSupported",
            "Unsupported value: \"Maybe\": supported values: \"False\", \"True\", \"Unknown\"");
    }

    [Fact]
    public async Task LeavingATerminalPhase_IsAcceptedByDefault_AndForbiddenWhenStrict()
    {
        var succeeded = new JsonObject { ["phase"] = "Succeeded" };

        var lenient = await PutStatusAsync(_client, new JsonObject { ["phase"] = "Running" }, succeeded);
        var strict = await PutStatusAsync(_strictClient, new JsonObject { ["phase"] = "Running" }, succeeded.DeepClone().AsObject());

        Assert.Equal(HttpStatusCode.OK, lenient.Code);
        AssertInvalid(strict, "status.phase", "FieldValueForbidden", "Forbidden: may not transition from terminal phase \"Succeeded\" to \"Running\"");
    }

    private static JsonObject ContainerStatus(string name, JsonObject state) => new()
    {
        ["name"] = name,
        ["image"] = "nginx:1.27",
        ["imageID"] = "",
        ["ready"] = false,
        ["restartCount"] = 0,
        ["state"] = state,
    };
}
