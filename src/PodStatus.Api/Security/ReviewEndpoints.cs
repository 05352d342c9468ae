using System.Text.Json;
using k8s.Models;
using PodStatus.Api.Errors;
using PodStatus.Api.Http;
using PodStatus.Api.Serialization;

namespace PodStatus.Api.Security;

/// <summary>
/// The two questions a user may ask about themselves, which <c>kubectl auth can-i</c> and <c>kubectl auth whoami</c>
/// ask: may I do this (SelfSubjectAccessReview, answered by the same authorizer as requests), and who am I
/// (SelfSubjectReview).
/// </summary>
public static class ReviewEndpoints
{
    public const string AuthorizationGroup = "authorization.k8s.io";
    public const string AuthenticationGroup = "authentication.k8s.io";

    public static IEndpointRouteBuilder MapReviews(this IEndpointRouteBuilder routes)
    {
        routes.MapPost($"/apis/{AuthorizationGroup}/v1/selfsubjectaccessreviews", AccessReviewAsync)
            .WithName("createAuthorizationV1SelfSubjectAccessReview").WithSummary("create a SelfSubjectAccessReview").WithTags("authorization_v1")
            .Accepts<V1SelfSubjectAccessReview>("application/json", "application/yaml", KubeProtobuf.MediaType).Produces<V1SelfSubjectAccessReview>(201);
        routes.MapPost($"/apis/{AuthenticationGroup}/v1/selfsubjectreviews", SubjectReview)
            .WithName("createAuthenticationV1SelfSubjectReview").WithSummary("create a SelfSubjectReview").WithTags("authentication_v1")
            .Produces<V1SelfSubjectReview>(201);
        return routes;
    }

    private static async Task<IResult> AccessReviewAsync(HttpContext context, RequestAuthorizer authorizer)
    {
        var review = await ReadAsync(context.Request, KubeProtobuf.ReadSelfSubjectAccessReview, context.RequestAborted);
        var (resource, nonResource) = (review.Spec?.ResourceAttributes, review.Spec?.NonResourceAttributes);
        if ((resource is null) == (nonResource is null))
        {
            // Upstream's ValidateSelfSubjectAccessReviewSpec.
            var cause = resource is null
                ? new StatusCause("FieldValueInvalid", "Invalid value: \"null\": exactly one of nonResourceAttributes or resourceAttributes must be specified", "spec.resourceAttributes")
                : new StatusCause("FieldValueInvalid", "Invalid value: \"object\": cannot be specified in combination with resourceAttributes", "spec.nonResourceAttributes");
            throw StatusErrors.Invalid($"SelfSubjectAccessReview.{AuthorizationGroup}", "", [cause]).AsException();
        }

        var asked = resource is not null
            ? new RequestAttributes(resource.Verb ?? "", "", true, resource.Group ?? "", resource.Version ?? "", resource.NamespaceProperty ?? "",
                resource.Resource ?? "", resource.Subresource ?? "", resource.Name ?? "")
            : new RequestAttributes(nonResource!.Verb ?? "", nonResource.Path ?? "");
        var decision = authorizer.Authorize(KubeUser.From(context.User), asked);
        review.ApiVersion = $"{AuthorizationGroup}/v1";
        review.Kind = "SelfSubjectAccessReview";
        review.Metadata ??= new V1ObjectMeta();
        review.Status = new V1SubjectAccessReviewStatus { Allowed = decision.Allowed, Reason = decision.Reason.Length > 0 ? decision.Reason : null };
        return Created(review);
    }

    private static IResult SubjectReview(HttpContext context)
    {
        var user = KubeUser.From(context.User);
        return Created(new V1SelfSubjectReview
        {
            ApiVersion = $"{AuthenticationGroup}/v1",
            Kind = "SelfSubjectReview",
            Metadata = new V1ObjectMeta(),
            Status = new V1SelfSubjectReviewStatus
            {
                UserInfo = new V1UserInfo { Username = user.Name, Uid = user.Uid.Length > 0 ? user.Uid : null, Groups = [.. user.Groups] },
            },
        });
    }

    /// <summary>A body in JSON, YAML, or (as kubectl's typed client sends) protobuf.</summary>
    private static async Task<T> ReadAsync<T>(HttpRequest request, Func<byte[], T> readProtobuf, CancellationToken cancellationToken)
    {
        var body = await RequestBody.ReadBytesAsync(request, cancellationToken);
        try
        {
            if (KubeProtobuf.IsProtobuf(request.ContentType))
            {
                return readProtobuf(body);
            }

            var json = RequestBody.IsYaml(request.ContentType) ? YamlToJson.Convert(body) : body;
            return JsonSerializer.Deserialize(json, KubeJson.TypeInfo<T>())
                ?? throw StatusErrors.BadRequest("the request body is empty").AsException();
        }
        catch (Exception error) when (error is JsonException or YamlDotNet.Core.YamlException or Google.Protobuf.InvalidProtocolBufferException or FormatException)
        {
            throw StatusErrors.BadRequest($"the request could not be decoded: {error.Message}").AsException();
        }
    }

    private static IResult Created<T>(T value) =>
        Results.Text(JsonSerializer.SerializeToUtf8Bytes(value, KubeJson.TypeInfo<T>()), "application/json", statusCode: 201);
}
