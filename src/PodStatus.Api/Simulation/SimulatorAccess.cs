using Microsoft.Extensions.Options;
using PodStatus.Api.Audit;
using PodStatus.Api.Errors;
using PodStatus.Api.Schema;
using PodStatus.Api.Security;
using PodStatus.Api.Storage;

namespace PodStatus.Api.Simulation;

/// <summary>
/// The simulator's writes, seen as any client's are: each is authorized for the user
/// <c>system:podstatus:simulator</c> by the same RBAC policy as requests (a denial is upstream's 403, and nothing is
/// written), and each is recorded in the audit log with that user, as a request would be.
/// </summary>
public sealed class SimulatorAccess(RequestAuthorizer authorizer, AuditLog audit, IOptions<AuditOptions> auditOptions, TimeProvider clock)
{
    public static readonly KubeUser User = new("system:podstatus:simulator", "", [KubeUser.Authenticated]);

    public const string UserAgent = "podstatus-simulator";

    private static readonly AsyncLocal<RequestAttributes?> CurrentWrite = new();

    /// <summary>The simulator's write under way in this flow, if any (what a store sees of who writes, where there is
    /// no HTTP request to ask).</summary>
    public static RequestAttributes? Current => CurrentWrite.Value;

    private readonly bool _audited = auditOptions.Value.Enabled;

    /// <summary>The same, for a write that answers nothing but success.</summary>
    public Task WriteAsync(string verb, ApiResource resource, ObjectKey key, string subresource, Func<Task> write) =>
        WriteAsync(verb, resource, key, subresource, async () =>
        {
            await write();
            return true;
        });

    /// <summary>Runs <paramref name="write"/> as <paramref name="verb"/> on the object <paramref name="key"/> (or its
    /// <paramref name="subresource"/>) if the policy allows it; a refusal or failure is thrown as its Status.</summary>
    public async Task<TResult> WriteAsync<TResult>(string verb, ApiResource resource, ObjectKey key, string subresource, Func<Task<TResult>> write)
    {
        // A create names its collection (or, for a subresource such as a binding, the object's subresource).
        var path = verb == "create" && subresource.Length == 0
            ? resource.CollectionPath(key.Namespace)
            : resource.ObjectPath(key.Namespace, key.Name, subresource);

        var request = new RequestAttributes(verb, path, true, resource.Group, resource.Version, key.Namespace, resource.Plural, subresource, verb == "create" && subresource.Length == 0 ? "" : key.Name);
        var received = clock.GetUtcNow();
        var decision = authorizer.Authorize(User, request);
        var code = verb == "create" ? StatusCodes.Status201Created : StatusCodes.Status200OK;
        Status? failure = null;
        try
        {
            if (!decision.Allowed)
            {
                throw RequestAuthorizer.Forbidden(User, request).AsException();
            }

            CurrentWrite.Value = request;
            return await write();
        }
        catch (StatusException error)
        {
            failure = error.Status;
            code = error.Status.Code;
            throw;
        }
        finally
        {
            CurrentWrite.Value = null;
            if (_audited)
            {
                await audit.RecordAsync(new AuditEvent(
                    Guid.NewGuid().ToString(),
                    path,
                    verb,
                    new AuditUser(User.Name, null, User.Groups),
                    ["127.0.0.1"],
                    UserAgent,
                    new AuditObjectReference(resource.Plural, Text(key.Namespace), Text(request.Name), Text(resource.Group), resource.Version, Text(subresource)),
                    failure is not null ? new AuditResponseStatus(code, "Failure", failure.Message, failure.Reason) : new AuditResponseStatus(code),
                    AuditLog.MicroTime(received),
                    AuditLog.MicroTime(clock.GetUtcNow()),
                    new Dictionary<string, string>
                    {
                        ["authorization.k8s.io/decision"] = decision.Allowed ? "allow" : "forbid",
                        ["authorization.k8s.io/reason"] = decision.Reason,
                    }));
            }
        }
    }

    private static string? Text(string value) => value.Length > 0 ? value : null;
}
