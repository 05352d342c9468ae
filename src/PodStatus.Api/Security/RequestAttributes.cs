using Microsoft.Extensions.Primitives;
using PodStatus.Api.Http;

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
    /// <summary>The resource and subresource as RBAC rules and refusals name them: <c>pods/status</c>.</summary>
    public string ResourcePath => Subresource.Length > 0 ? $"{Resource}/{Subresource}" : Resource;

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
        // Split without copying: the segments are ranges of the path, made strings only when kept.
        Span<Range> parts = stackalloc Range[8];
        var trimmed = path.AsSpan().Trim('/');
        var count = trimmed.Split(parts, '/');
        var prefix = trimmed[parts[0]];
        if (count < 3 || !(prefix is "api" || prefix is "apis") || (prefix is "apis" && count < 4))
        {
            return NonResource(method, path);
        }

        var next = prefix is "apis" ? 2 : 1;
        var group = prefix is "apis" ? Known(trimmed[parts[1]]) : "";
        var version = Known(trimmed[parts[next++]]);

        string verb;
        if (trimmed[parts[next]] is "watch")
        {
            if (count - next < 2)
            {
                return NonResource(method, path);
            }

            verb = "watch";
            next++;
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
        if (trimmed[parts[next]] is "namespaces" && count - next > 1)
        {
            @namespace = trimmed[parts[next + 1]].ToString();
            // A namespace's own subresources (status, finalize) belong to the namespace, not to a resource in it.
            if (count - next > 2 && !(trimmed[parts[next + 2]] is "status" or "finalize"))
            {
                next += 2;
            }
        }

        var resource = Known(trimmed[parts[next]]);
        var name = count - next > 1 ? trimmed[parts[next + 1]].ToString() : "";
        var subresource = count - next > 2 ? Known(trimmed[parts[next + 2]]) : "";
        verb = (verb, name) switch
        {
            // Any value but "0" and "false" is true (apimachinery's Convert_Slice_string_To_bool).
            ("get", "") => QueryConversion.Bool(watch) ? "watch" : "list",
            ("delete", "") => "deletecollection",
            _ => verb,
        };
        return new RequestAttributes(verb, path, true, group, version, @namespace, resource, subresource, name);
    }

    private static RequestAttributes NonResource(string method, string path) => new(method.ToLowerInvariant(), path);

    /// <summary>The segments every request names, as the same strings each time.</summary>
    private static string Known(ReadOnlySpan<char> segment) => segment switch
    {
        "v1" => "v1",
        "pods" => "pods",
        "status" => "status",
        "namespaces" => "namespaces",
        _ => segment.ToString(),
    };
}
