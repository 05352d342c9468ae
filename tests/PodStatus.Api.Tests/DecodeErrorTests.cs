using System.Net;
using PodStatus.Api.Tests.Infrastructure;

namespace PodStatus.Api.Tests;

/// <summary>
/// Bodies that do not decode get kube-apiserver's 400, in the words of Go's decoder: its scanner for syntax, its
/// type errors for values that do not fit, <c>time.Parse</c> for times, apimachinery for quantities.
/// </summary>
public sealed class DecodeErrorTests() : ServerTest(new PodStatusFactory())
{
    private const string Status = "/api/v1/namespaces/default/pods/hello-world/status";
    private const string Unrecognized = "the object provided is unrecognized (must be of type Pod): couldn't get version/kind; json parse error: ";
    private const string CannotBeHandled = "Pod in version \"v1\" cannot be handled as a Pod: ";

    [Theory]
    [InlineData("""{"a":}""", "invalid character '}' looking for beginning of value ({\"a\":})")]
    [InlineData("{", "unexpected end of JSON input ({)")]
    [InlineData("", "unexpected end of JSON input (<empty>)")]
    [InlineData("xyz", "invalid character 'x' looking for beginning of value (78797a)")]
    [InlineData("tru", "invalid character ' ' in literal true (expecting 'e') (747275)")]
    [InlineData("""{"a" 1}""", "invalid character '1' after object key ({\"a\" 1})")]
    [InlineData("""{"a":1 "b":2}""", "invalid character '\"' after object key:value pair ({\"a\":1 \"b\":2})")]
    [InlineData("""{"a":[1 2]}""", "invalid character '2' after array element ({\"a\":[1 2]})")]
    [InlineData("""{1:2}""", "invalid character '1' looking for beginning of object key string ({1:2})")]
    [InlineData("""{"a":"\q"}""", "invalid character 'q' in string escape code ({\"a\":\"\\q\"})")]
    [InlineData("""{"a":-}""", "invalid character '}' in numeric literal ({\"a\":-})")]
    [InlineData("""{"a":1.}""", "invalid character '}' after decimal point in numeric literal ({\"a\":1.})")]
    [InlineData("""{"a":1e}""", "invalid character '}' in exponent of numeric literal ({\"a\":1e})")]
    [InlineData("""{"metadata":{"name":"hello-world"}} x""", "invalid character 'x' after top-level value ({\"metadata\":{\"name\":\"hello-wor ...)")]
    [InlineData("[1]", "json: cannot unmarshal array into Go value of type struct { APIVersion string \"json:\\\"apiVersion,omitempty\\\"\"; Kind string \"json:\\\"kind,omitempty\\\"\" } (5b315d)")]
    [InlineData("""{"kind":5}""", "json: cannot unmarshal number into Go struct field .kind of type string ({\"kind\":5})")]
    public async Task KindUnreadable_QuotesTheStartOfTheBody(string body, string error)
    {
        var reply = await Client.SendAsync(HttpMethod.Put, Status, body);

        Assert.Equal(HttpStatusCode.BadRequest, reply.Code);
        Assert.Equal(Unrecognized + error, reply.Message);
    }

    [Theory]
    [InlineData("""{"metadata":{"name":5}}""", "json: cannot unmarshal number into Go struct field ObjectMeta.metadata.name of type string")]
    [InlineData("""{"status":{"phase":5}}""", "json: cannot unmarshal number into Go struct field PodStatus.status.phase of type v1.PodPhase")]
    [InlineData("""{"status":"Running"}""", "json: cannot unmarshal string into Go struct field Pod.status of type v1.PodStatus")]
    [InlineData("""{"status":{"conditions":[{"type":"Ready","status":true}]}}""",
        "json: cannot unmarshal bool into Go struct field PodCondition.status.conditions.status of type v1.ConditionStatus")]
    [InlineData("""{"status":{"containerStatuses":[{"name":"a","restartCount":1.5}]}}""",
        "json: cannot unmarshal number 1.5 into Go struct field ContainerStatus.status.containerStatuses.restartCount of type int32")]
    [InlineData("""{"metadata":{"labels":{"a":5}}}""", "json: cannot unmarshal number into Go struct field ObjectMeta.metadata.labels of type string")]
    [InlineData("""{"status":{"podIPs":[5]}}""", "json: cannot unmarshal number into Go struct field PodStatus.status.podIPs of type v1.PodIP")]
    [InlineData("""{"status":{"startTime":5}}""", "json: cannot unmarshal number into Go struct field PodStatus.status.startTime of type string")]
    [InlineData("""{"metadata":{"creationTimestamp":"bad"}}""",
        "parsing time \"bad\" as \"2006-01-02T15:04:05Z07:00\": cannot parse \"bad\" as \"2006\"")]
    [InlineData("""{"metadata":{"creationTimestamp":"2016-08-08"}}""",
        "parsing time \"2016-08-08\" as \"2006-01-02T15:04:05Z07:00\": cannot parse \"\" as \"T\"")]
    [InlineData("""{"metadata":{"creationTimestamp":"2021-13-01T00:00:00Z"}}""", "parsing time \"2021-13-01T00:00:00Z\": month out of range")]
    [InlineData("""{"metadata":{"creationTimestamp":"2021-02-30T00:00:00Z"}}""", "parsing time \"2021-02-30T00:00:00Z\": day out of range")]
    [InlineData("""{"metadata":{"creationTimestamp":"2021-02-03T00:00:00Zx"}}""", "parsing time \"2021-02-03T00:00:00Zx\": extra text: \"x\"")]
    [InlineData("""{"status":{"containerStatuses":[{"name":"a","allocatedResources":{"cpu":"zz"}}]}}""",
        "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'")]
    public async Task ValueThatDoesNotFit_NamesItAsGoDoes(string body, string error)
    {
        var reply = await Client.SendAsync(HttpMethod.Put, Status, body);

        Assert.Equal(HttpStatusCode.BadRequest, reply.Code);
        Assert.Equal(CannotBeHandled + error, reply.Message);
    }

    /// <summary>Go's time.Parse takes what the RFC 3339 layout allows it: a one-digit hour, a comma before the fraction.</summary>
    [Theory]
    [InlineData("2024-05-06T7:08:09Z", "2024-05-06T07:08:09Z")]
    [InlineData("2024-05-06T07:08:09,5+02:00", "2024-05-06T05:08:09Z")]
    public async Task TimesGoAccepts_AreAccepted(string sent, string stored)
    {
        var pod = (await Client.GetReplyAsync("/api/v1/namespaces/default/pods/hello-world")).Json;
        pod["status"]!["startTime"] = sent;

        var reply = await Client.PutReplyAsync(Status, pod);

        Assert.Equal(HttpStatusCode.OK, reply.Code);
        Assert.Equal(stored, (string?)reply.Json["status"]!["startTime"]);
    }

    [Theory]
    [InlineData("application/merge-patch+json", """{"status":""", "Invalid JSON Patch")]
    [InlineData("application/merge-patch+json", "null", "Invalid JSON Patch")]
    [InlineData("application/strategic-merge-patch+json", """{"status":""", "unexpected end of JSON input")]
    [InlineData("application/strategic-merge-patch+json", "[1]", "json: cannot unmarshal array into Go value of type map[string]interface {}")]
    [InlineData("application/json-patch+json", """[{"op":""", "unexpected end of JSON input")]
    [InlineData("application/json-patch+json", "{}", "json: cannot unmarshal object into Go value of type jsonpatch.Patch")]
    [InlineData("application/json-patch+json", "[5]", "json: cannot unmarshal number into Go value of type jsonpatch.Operation")]
    public async Task PatchThatDoesNotDecode_Returns400AsUpstream(string contentType, string patch, string error)
    {
        var reply = await Client.SendAsync(HttpMethod.Patch, Status, patch, contentType);

        Assert.Equal(HttpStatusCode.BadRequest, reply.Code);
        Assert.Equal(error, reply.Message);
    }

    [Theory]
    [InlineData("{", "couldn't get version/kind; json parse error: unexpected end of JSON input")]
    [InlineData("""{"gracePeriodSeconds":"x"}""", "json: cannot unmarshal string into Go struct field DeleteOptions.gracePeriodSeconds of type int64")]
    [InlineData("{} {}", "couldn't get version/kind; json parse error: invalid character '{' after top-level value")]
    public async Task DeleteOptionsThatDoNotDecode_Return400WithUpstreamsWords_AndDeleteNothing(string body, string error)
    {
        var reply = await Client.SendAsync(HttpMethod.Delete, "/api/v1/namespaces/default/pods/hello-world", body);

        Assert.Equal(HttpStatusCode.BadRequest, reply.Code);
        Assert.Equal(error, reply.Message);
        Assert.Null((await Client.GetReplyAsync("/api/v1/namespaces/default/pods/hello-world")).Json["metadata"]!["deletionTimestamp"]);
    }
}
