using PodStatus.Api.Schema;

namespace PodStatus.Api.Errors;

/// <summary>
/// Builds the Status errors kube-apiserver returns, with its exact reasons and messages (apimachinery
/// <c>pkg/api/errors/errors.go</c>). Errors about an object name its resource as upstream's do: <c>pods "x"</c>,
/// <c>leases.coordination.k8s.io "x"</c>, with the group and plural resource in the details.
/// </summary>
public static class StatusErrors
{
    public static Status NotFound(GroupResource resource, string name) => new()
    {
        Code = 404,
        Reason = "NotFound",
        Message = $"{resource} \"{name}\" not found",
        Details = Details(resource, name),
    };

    /// <summary>An unknown URL: upstream answers with an empty details object.</summary>
    public static Status RouteNotFound() => new()
    {
        Code = 404,
        Reason = "NotFound",
        Message = "the server could not find the requested resource",
        Details = new StatusDetails(),
    };

    public static Status AlreadyExists(GroupResource resource, string name) => new()
    {
        Code = 409,
        Reason = "AlreadyExists",
        Message = $"{resource} \"{name}\" already exists",
        Details = Details(resource, name),
    };

    public static Status Conflict(GroupResource resource, string name, string detail) => new()
    {
        Code = 409,
        Reason = "Conflict",
        Message = $"Operation cannot be fulfilled on {resource} \"{name}\": {detail}",
        Details = Details(resource, name),
    };

    /// <summary>The optimistic-lock failure (<c>OptimisticLockErrorMsg</c>).</summary>
    public static Status ObjectModified(GroupResource resource, string name) =>
        Conflict(resource, name, "the object has been modified; please apply your changes to the latest version and try again");

    /// <summary>A precondition the storage checked, naming the object's storage key (<c>/registry/pods/ns/name</c>).</summary>
    public static Status UidPreconditionFailed(GroupResource resource, string name, string storageKey, string expectedUid, string actualUid) =>
        Conflict(resource, name, $"StorageError: invalid object, Code: 4, Key: {storageKey}, ResourceVersion: 0, " +
            $"AdditionalErrorMsg: Precondition failed: UID in precondition: {expectedUid}, UID in object meta: {actualUid}");

    public static Status ResourceVersionPreconditionFailed(GroupResource resource, string name, string storageKey, string expected, string actual) =>
        Conflict(resource, name, $"StorageError: invalid object, Code: 4, Key: {storageKey}, ResourceVersion: 0, " +
            $"AdditionalErrorMsg: Precondition failed: ResourceVersion in precondition: {expected}, ResourceVersion in object meta: {actual}");

    /// <summary>A revision newer than the newest the server has (<c>NewTooLargeResourceVersionError</c>): clients re-list on it.</summary>
    public static Status TooLargeResourceVersion(long requested, long current) => new()
    {
        Code = 504,
        Reason = "Timeout",
        Message = $"Timeout: Too large resource version: {requested}, current: {current}",
        Details = new StatusDetails
        {
            Causes = [new StatusCause("ResourceVersionTooLarge", "Too large resource version", null)],
            RetryAfterSeconds = 1,
        },
    };

    /// <summary>A list's continue token older than the kept history; <paramref name="remainder"/> lists on inconsistently.</summary>
    public static Status ContinueExpired(string remainder) => new()
    {
        Code = 410,
        Reason = "Expired",
        Message = "The provided continue parameter is too old to display a consistent list result. You can start a new list " +
            "without the continue parameter, or use the continue token in this response to retrieve the remainder of the " +
            "results. Continuing with the provided token results in an inconsistent list - objects that were created, " +
            "modified, or deleted between the time the first chunk was returned and now may show up in the list.",
        Metadata = new StatusMetadata { Continue = remainder },
    };

    /// <summary>An exact list revision older than the kept history (etcd's compaction error, <c>interpretListError</c>).</summary>
    public static Status ListExpired() => new()
    {
        Code = 410,
        Reason = "Expired",
        Message = "The resourceVersion for the provided list is too old.",
    };

    /// <summary>A watch from a revision older than the watch cache keeps (upstream's <c>getAllEventsSinceLocked</c>).</summary>
    public static Status WatchExpired(long requested, long oldest) => new()
    {
        Code = 410,
        Reason = "Expired",
        Message = $"too old resource version: {requested} ({oldest})",
    };

    public static Status BadRequest(string message) => new() { Code = 400, Reason = "BadRequest", Message = message };

    /// <summary>The 422 of a validation failure; <paramref name="kind"/> is qualified by its group unless core (<c>Pod</c>, <c>DeleteOptions.meta.k8s.io</c>).</summary>
    public static Status Invalid(string kind, string name, IReadOnlyList<StatusCause> causes)
    {
        var dot = kind.IndexOf('.');
        var lines = causes.Select(c => $"{c.Field}: {c.Message}").Distinct().ToList();
        var aggregate = lines.Count switch
        {
            0 => "",
            1 => ": " + lines[0],
            _ => ": [" + string.Join(", ", lines) + "]",
        };
        return new Status
        {
            Code = 422,
            Reason = "Invalid",
            Message = $"{kind} \"{name}\" is invalid{aggregate}",
            Details = new StatusDetails
            {
                Name = name is "" ? null : name,
                Group = dot < 0 ? null : kind[(dot + 1)..],
                Kind = dot < 0 ? kind : kind[..dot],
                Causes = causes,
            },
        };
    }

    /// <summary>
    /// Upstream's generic 422 (<c>NewGenericServerResponse</c>), as for a JSON patch that cannot be applied: a fixed
    /// message, with the reason in the one cause.
    /// </summary>
    public static Status UnprocessableEntity(string cause) => new()
    {
        Code = 422,
        Reason = "Invalid",
        Message = "the server rejected our request due to an error in our request",
        Details = new StatusDetails { Causes = [new StatusCause("UnexpectedServerResponse", cause, null)] },
    };

    public static Status UnsupportedMediaType(IEnumerable<string> accepted) => new()
    {
        Code = 415,
        Reason = "UnsupportedMediaType",
        Message = "the body of the request was in an unknown format - accepted media types include: " + string.Join(", ", accepted),
    };

    public static Status RequestEntityTooLarge(long limit) => RequestEntityTooLarge($"limit is {limit}");

    public static Status RequestEntityTooLarge(string detail) => new()
    {
        Code = 413,
        Reason = "RequestEntityTooLarge",
        Message = $"Request entity too large: {detail}",
    };

    public static Status MethodNotAllowed() => new()
    {
        Code = 405,
        Reason = "MethodNotAllowed",
        Message = "the server does not allow this method on the requested resource",
        Details = new StatusDetails(),
    };

    /// <summary>Beyond the in-flight limit: the client waits and retries (upstream's max-in-flight words).</summary>
    public static Status TooManyRequests(int retryAfterSeconds) => new()
    {
        Code = 429,
        Reason = "TooManyRequests",
        Message = "Too many requests, please try again later.",
        Details = new StatusDetails { RetryAfterSeconds = retryAfterSeconds },
    };

    /// <summary>No valid credentials (apimachinery's NewUnauthorized, as the authentication filter words it).</summary>
    public static Status Unauthorized() => new() { Code = 401, Reason = "Unauthorized", Message = "Unauthorized" };

    /// <summary>
    /// Not allowed (NewForbidden): <c>pods "x" is forbidden: ...</c>, <c>pods is forbidden: ...</c> without a name,
    /// <c>forbidden: ...</c> for a path that names no resource.
    /// </summary>
    public static Status Forbidden(string resource, string group, string name, string detail, IReadOnlyList<StatusCause>? causes = null) => new()
    {
        Code = 403,
        Reason = "Forbidden",
        Message = resource.Length == 0 ? $"forbidden: {detail}"
            : $"{(group.Length > 0 ? $"{resource}.{group}" : resource)}{(name.Length > 0 ? $" \"{name}\"" : "")} is forbidden: {detail}",
        Details = new StatusDetails
        {
            Name = name.Length > 0 ? name : null,
            Group = group.Length > 0 ? group : null,
            Kind = resource.Length > 0 ? resource : null,
            Causes = causes,
        },
    };

    /// <summary>The storage cannot be reached; clients retry (apimachinery's NewServiceUnavailable).</summary>
    public static Status ServiceUnavailable(string message) => new()
    {
        Code = 503,
        Reason = "ServiceUnavailable",
        Message = message,
    };

    public static Status InternalError(string message) => new()
    {
        Code = 500,
        Reason = "InternalError",
        Message = $"Internal error occurred: {message}",
        Details = new StatusDetails { Causes = [new StatusCause(null, message, null)] },
    };

    public static StatusException AsException(this Status status) => new(status);

    private static StatusDetails Details(GroupResource resource, string name) =>
        new() { Name = name, Group = resource.Group.Length > 0 ? resource.Group : null, Kind = resource.Resource };
}
