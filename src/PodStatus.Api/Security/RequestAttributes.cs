using Microsoft.Extensions.Primitives;
using PodStatus.Api.Serialization;

namespace PodStatus.Api.Security;

/// <summary>
/// What a request asks to do, read from its method, path and <c>watch</c> parameter as kube-apiserver's
/// RequestInfoFactory reads it (apiserver <c>pkg/endpoints/request/requestinfo.go</c>): authorization, metrics and
/// the audit log all speak of requests in these terms. Paths outside <c>/api</c> and <c>/apis</c> are non-resource
/// requests whose verb is the lower-case HTTP method.
/// </summary>
public sealed record RequestAttributes(
    string Verb,
    string Path,
    bool IsResourceRequest = false,
    string ApiGroup = "",
    string ApiVersion = "",
    string Namespace = "",
    string Resource = "",
    string Subresource = "",
    string Name = "")
{
    /// <summary>The verbs that change something, which the audit log records.</summary>
    public bool IsWrite => Verb is "create" or "update" or "patch" or "delete" or "deletecollection";

    /// <summary>The attributes of <paramref name="context"/>'s request, read once and kept with it.</summary>
    public static RequestAttributes Of(HttpContext context)
    {
        if (context.Features.Get<RequestAttributes>() is { } known)
        {
            return known;
        }

        var attributes = Parse(context.Request.Method, context.Request.Path.Value ?? "/", context.Request.Query["watch"]);
        context.Features.Set(attributes);
        return attributes;
    }

    public static RequestAttributes Parse(string method, string path, StringValues watch)
    {
        var nonResource = new RequestAttributes(method.ToLowerInvariant(), path);
        var parts = path.Trim('/').Split('/');
        if (parts.Length < 3 || parts[0] is not ("api" or "apis") || (parts[0] == "apis" && parts.Length < 4))
        {
            return nonResource;
        }

        var group = parts[0] == "apis" ? parts[1] : "";
        var rest = parts.AsSpan(parts[0] == "apis" ? 2 : 1);
        var version = rest[0];
        rest = rest[1..];

        string verb;
        if (rest[0] == "watch")
        {
            if (rest.Length < 2)
            {
                return nonResource;
            }

            verb = "watch";
            rest = rest[1..];
        }
        else
        {
            verb = method switch
            {
                "POST" => "create",
                "GET" or "HEAD" => "get",
                "PUT" => "update",
                "PATCH" => "patch",
                "DELETE" => "delete",
                _ => "",
            };
        }

        var @namespace = "";
        if (rest[0] == "namespaces" && rest.Length > 1)
        {
            @namespace = rest[1];
            // A namespace's own subresources (status, finalize) belong to the namespace, not to a resource in it.
            if (rest.Length > 2 && rest[2] is not ("status" or "finalize"))
            {
                rest = rest[2..];
            }
        }

        var resource = rest[0];
        var name = rest.Length > 1 ? rest[1] : "";
        var subresource = rest.Length > 2 ? rest[2] : "";
        verb = (verb, name) switch
        {
            // Any value but "0" and "false" is true (apimachinery's Convert_Slice_string_To_bool).
            ("get", "") => QueryConversion.Bool(watch) ? "watch" : "list",
            ("delete", "") => "deletecollection",
            _ => verb,
        };
        return new RequestAttributes(verb, path, true, group, version, @namespace, resource, subresource, name);
    }
}
