using Google.Protobuf;
using k8s.Models;

namespace PodStatus.Api.Serialization;

/// <summary>
/// Kubernetes' protobuf encoding (apimachinery <c>runtime/serializer/protobuf</c>), read for the bodies kubectl's
/// typed client sends in it: a SelfSubjectAccessReview (<c>kubectl auth can-i</c>) and a Namespace (<c>kubectl
/// create namespace</c>). The body is the bytes <c>k8s\0</c>, then a <c>runtime.Unknown</c> whose field 2 holds the
/// object; field numbers are those of upstream's <c>generated.proto</c> files. Google.Protobuf reads the wire format.
/// </summary>
public static class KubeProtobuf
{
    public const string MediaType = "application/vnd.kubernetes.protobuf";

    private static readonly byte[] Magic = "k8s\0"u8.ToArray();

    /// <summary>Whether a Content-Type names this encoding.</summary>
    public static bool IsProtobuf(string? contentType) => contentType?.StartsWith(MediaType, StringComparison.OrdinalIgnoreCase) == true;

    /// <summary>The reader of an object body of <typeparamref name="T"/> in protobuf, for the kinds kubectl sends so; null for others.</summary>
    public static Func<byte[], T>? ReaderFor<T>() =>
        typeof(T) == typeof(V1Namespace) ? (Func<byte[], T>)(object)(Func<byte[], V1Namespace>)ReadNamespace : null;

    /// <exception cref="InvalidProtocolBufferException">The body's protobuf is broken.</exception>
    /// <exception cref="FormatException">The body is not in Kubernetes' protobuf envelope.</exception>
    public static V1SelfSubjectAccessReview ReadSelfSubjectAccessReview(byte[] body)
    {
        var review = new V1SelfSubjectAccessReview { Spec = new V1SelfSubjectAccessReviewSpec() };
        foreach (var (_, spec) in Fields(ObjectOf(body)).Where(field => field.Number == 2))
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

    /// <summary>A Namespace: its metadata and spec (a client's status is dropped on create anyway).</summary>
    /// <exception cref="InvalidProtocolBufferException">The body's protobuf is broken.</exception>
    /// <exception cref="FormatException">The body is not in Kubernetes' protobuf envelope.</exception>
    public static V1Namespace ReadNamespace(byte[] body)
    {
        var value = new V1Namespace { ApiVersion = "v1", Kind = "Namespace", Metadata = new V1ObjectMeta() };
        foreach (var (number, field) in Fields(ObjectOf(body)))
        {
            if (number == 1)
            {
                value.Metadata = ReadObjectMeta(field);
            }
            else if (number == 2)
            {
                var finalizers = Fields(field).Where(entry => entry.Number == 1).Select(entry => entry.Value.ToStringUtf8()).ToList();
                value.Spec = new V1NamespaceSpec { Finalizers = finalizers.Count > 0 ? finalizers : null };
            }
        }

        return value;
    }

    /// <summary>ObjectMeta's string fields, labels, annotations and finalizers (what a client sends when it creates).</summary>
    private static V1ObjectMeta ReadObjectMeta(ByteString message)
    {
        var meta = new V1ObjectMeta();
        foreach (var (number, field) in Fields(message))
        {
            switch (number)
            {
                case 1:
                    meta.Name = Text(field);
                    break;
                case 2:
                    meta.GenerateName = Text(field);
                    break;
                case 3:
                    meta.NamespaceProperty = Text(field);
                    break;
                case 5:
                    meta.Uid = Text(field);
                    break;
                case 6:
                    meta.ResourceVersion = Text(field);
                    break;
                case 11:
                    Put(meta.Labels ??= new Dictionary<string, string>(), Entry(field));
                    break;
                case 12:
                    Put(meta.Annotations ??= new Dictionary<string, string>(), Entry(field));
                    break;
                case 14:
                    (meta.Finalizers ??= []).Add(field.ToStringUtf8());
                    break;
            }
        }

        return meta;
    }

    /// <summary>A string field; Go writes empty ones, which JSON would have left out.</summary>
    private static string? Text(ByteString field) => field.IsEmpty ? null : field.ToStringUtf8();

    /// <summary>A map entry read into its map: of two with one key the last wins, as Go's protobuf reads them.</summary>
    private static void Put(IDictionary<string, string> map, KeyValuePair<string, string> entry) => map[entry.Key] = entry.Value;

    /// <summary>A map entry: key in field 1, value in field 2.</summary>
    private static KeyValuePair<string, string> Entry(ByteString entry)
    {
        var fields = Fields(entry);
        return KeyValuePair.Create(Field(fields, 1).ToStringUtf8(), Field(fields, 2).ToStringUtf8());
    }

    /// <summary>The object inside the envelope: after the magic bytes, field 2 of the runtime.Unknown.</summary>
    private static ByteString ObjectOf(byte[] body)
    {
        if (!body.AsSpan().StartsWith(Magic))
        {
            throw new FormatException("the body does not start with the Kubernetes protobuf prefix");
        }

        return Field(Fields(ByteString.CopyFrom(body, Magic.Length, body.Length - Magic.Length)), 2);
    }

    private static ByteString Field(IEnumerable<(int Number, ByteString Value)> fields, int number) =>
        fields.LastOrDefault(field => field.Number == number).Value ?? ByteString.Empty;

    /// <summary>The length-delimited fields (strings and messages, all this reads) of a message, in order; others are skipped.</summary>
    private static List<(int Number, ByteString Value)> Fields(ByteString message)
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
