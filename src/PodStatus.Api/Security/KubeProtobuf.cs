using Google.Protobuf;
using k8s.Models;
using PodStatus.Api.Errors;

namespace PodStatus.Api.Security;

/// <summary>
/// Kubernetes' protobuf encoding (apimachinery <c>runtime/serializer/protobuf</c>), read for the one body a client
/// sends in it: kubectl's typed client posts SelfSubjectAccessReviews as protobuf. The body is the bytes
/// <c>k8s\0</c>, then a <c>runtime.Unknown</c> whose field 2 holds the object; field numbers are those of
/// <c>k8s.io/api/authorization/v1/generated.proto</c>. Google.Protobuf reads the wire format.
/// </summary>
public static class KubeProtobuf
{
    public const string MediaType = "application/vnd.kubernetes.protobuf";

    private static readonly byte[] Magic = "k8s\0"u8.ToArray();

    /// <exception cref="InvalidProtocolBufferException">The body's protobuf is broken.</exception>
    public static V1SelfSubjectAccessReview ReadSelfSubjectAccessReview(byte[] body)
    {
        if (!body.AsSpan().StartsWith(Magic))
        {
            throw StatusErrors.BadRequest("the request could not be decoded: the body does not start with the Kubernetes protobuf prefix").AsException();
        }

        var review = new V1SelfSubjectAccessReview { Spec = new V1SelfSubjectAccessReviewSpec() };
        var unknown = ByteString.CopyFrom(body, Magic.Length, body.Length - Magic.Length);
        foreach (var (_, spec) in Fields(Field(unknown, 2)).Where(field => field.Number == 2))
        {
            foreach (var (number, attributes) in Fields(spec))
            {
                var values = Fields(attributes).ToDictionary(field => field.Number, field => field.Value.ToStringUtf8());
                if (number == 1)
                {
                    review.Spec.ResourceAttributes = new V1ResourceAttributes
                    {
                        NamespaceProperty = values.GetValueOrDefault(1),
                        Verb = values.GetValueOrDefault(2),
                        Group = values.GetValueOrDefault(3),
                        Version = values.GetValueOrDefault(4),
                        Resource = values.GetValueOrDefault(5),
                        Subresource = values.GetValueOrDefault(6),
                        Name = values.GetValueOrDefault(7),
                    };
                }
                else if (number == 2)
                {
                    review.Spec.NonResourceAttributes = new V1NonResourceAttributes { Path = values.GetValueOrDefault(1), Verb = values.GetValueOrDefault(2) };
                }
            }
        }

        return review;
    }

    private static ByteString Field(ByteString message, int number) =>
        Fields(message).LastOrDefault(field => field.Number == number).Value ?? ByteString.Empty;

    /// <summary>The length-delimited fields (strings and messages, all this reads) of a message, in order; others are skipped.</summary>
    private static IEnumerable<(int Number, ByteString Value)> Fields(ByteString message)
    {
        var input = message.CreateCodedInput();
        var fields = new List<(int, ByteString)>();
        for (var tag = input.ReadTag(); tag != 0; tag = input.ReadTag())
        {
            if (WireFormat.GetTagWireType(tag) == WireFormat.WireType.LengthDelimited)
            {
                fields.Add((WireFormat.GetTagFieldNumber(tag), input.ReadBytes()));
            }
            else
            {
                input.SkipLastField();
            }
        }

        return fields;
    }
}
