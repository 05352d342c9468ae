using Microsoft.Extensions.Primitives;
using PodStatus.Api.Security;

namespace PodStatus.Api.Tests.Security;

/// <summary>Requests read into verb, resource and scope as kube-apiserver's RequestInfoFactory reads them.</summary>
public sealed class RequestAttributesTests
{
    public static TheoryData<string, string, string?, string> Requests => new()
    {
        { "GET", "/api/v1/namespaces/default/pods/web", null, "get  v1 default pods  web" },
        { "GET", "/api/v1/namespaces/default/pods", null, "list  v1 default pods  " },
        { "GET", "/api/v1/namespaces/default/pods", "true", "watch  v1 default pods  " },
        { "GET", "/api/v1/namespaces/default/pods", "1", "watch  v1 default pods  " },
        { "GET", "/api/v1/namespaces/default/pods", "False", "list  v1 default pods  " },
        { "GET", "/api/v1/namespaces/default/pods", "0", "list  v1 default pods  " },
        { "GET", "/api/v1/watch/namespaces/default/pods", null, "watch  v1 default pods  " },
        { "GET", "/api/v1/pods", null, "list  v1  pods  " },
        { "PUT", "/api/v1/namespaces/default/pods/web/status", null, "update  v1 default pods status web" },
        { "PATCH", "/api/v1/namespaces/default/pods/web/status/", null, "patch  v1 default pods status web" },
        { "POST", "/api/v1/namespaces/default/pods", null, "create  v1 default pods  " },
        { "DELETE", "/api/v1/namespaces/default/pods", null, "deletecollection  v1 default pods  " },
        { "DELETE", "/api/v1/namespaces/default/pods/web", null, "delete  v1 default pods  web" },
        { "PUT", "/api/v1/namespaces/default/status", null, "update  v1 default namespaces status default" },
        { "GET", "/api/v1/namespaces/default", null, "get  v1 default namespaces  default" },
        { "POST", "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", null, "create authorization.k8s.io v1  selfsubjectaccessreviews  " },
    };

    [Theory]
    [MemberData(nameof(Requests))]
    public void AResourceRequest_IsReadAsUpstreamReadsIt(string method, string path, string? watch, string expected)
    {
        var read = RequestAttributes.Parse(method, path, watch is null ? StringValues.Empty : new StringValues(watch));

        Assert.True(read.IsResourceRequest);
        Assert.Equal(expected, $"{read.Verb} {read.ApiGroup} {read.ApiVersion} {read.Namespace} {read.Resource} {read.Subresource} {read.Name}");
    }

    [Theory]
    [InlineData("GET", "/api", "get")]
    [InlineData("GET", "/api/v1", "get")]
    [InlineData("GET", "/apis/authorization.k8s.io/v1", "get")]
    [InlineData("GET", "/metrics", "get")]
    [InlineData("POST", "/", "post")]
    public void OtherPaths_AreNonResourceRequests_WithTheMethodAsVerb(string method, string path, string verb)
    {
        var read = RequestAttributes.Parse(method, path, StringValues.Empty);

        Assert.False(read.IsResourceRequest);
        Assert.Equal((verb, path), (read.Verb, read.Path));
    }
}
