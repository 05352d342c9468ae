using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using k8s;
using k8s.Models;

namespace PodStatus.Api.Serialization;

/// <summary>
/// The one JSON configuration for HTTP, storage and watch, so the bytes stored are the bytes served.
/// Upstream wire rules: camelCase, nulls omitted, RFC 3339 times (whole seconds for metav1.Time, microseconds for
/// metav1.MicroTime); metadata comes from the client library's source-generated context for the k8s.Models types.
/// </summary>
public static class KubeJson
{
    /// <summary>
    /// The fields upstream types as <c>metav1.MicroTime</c>: written with six fraction digits and read only with them
    /// (<c>RFC3339Micro</c>). Every other time is a <c>metav1.Time</c>. First, as the options below are built with it.
    /// </summary>
    private static readonly HashSet<(Type, string)> MicroTimes =
    [
        (typeof(V1LeaseSpec), "acquireTime"),
        (typeof(V1LeaseSpec), "renewTime"),
        (typeof(Corev1Event), "eventTime"),
        (typeof(Eventsv1Event), "eventTime"),
        (typeof(Corev1EventSeries), "lastObservedTime"),
        (typeof(Eventsv1EventSeries), "lastObservedTime"),
    ];

    /// <summary>Escapes only what JSON requires (quotes as <c>\"</c>, UTF-8 kept), as Go's encoder does.</summary>
    public static readonly JavaScriptEncoder Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;

    /// <summary>For writers the serializer is handed, which use their own encoder rather than the options'.</summary>
    public static readonly JsonWriterOptions WriterOptions = new() { Encoder = Encoder };

    public static readonly JsonSerializerOptions Options = CreateOptions(strict: false);

    /// <summary>For documents read whole (unknown fields, patches): as deep as the serializer reads.</summary>
    public static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = Options.MaxDepth };

    /// <summary>For bodies read token by token: as deep as the serializer reads.</summary>
    public static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = Options.MaxDepth };

    public static readonly JsonTypeInfo<V1Pod> Pod = TypeInfo<V1Pod>();
    public static readonly JsonTypeInfo<V1ObjectMeta> Metadata = TypeInfo<V1ObjectMeta>();
    public static readonly JsonTypeInfo<V1PodSpec> Spec = TypeInfo<V1PodSpec>();
    public static readonly JsonTypeInfo<V1PodStatus> PodStatus = TypeInfo<V1PodStatus>();
    public static readonly JsonTypeInfo<V1DeleteOptions> DeleteOptions = TypeInfo<V1DeleteOptions>();

    /// <summary>The metadata of a model type in this configuration.</summary>
    public static JsonTypeInfo<T> TypeInfo<T>() => (JsonTypeInfo<T>)Options.GetTypeInfo(typeof(T));

    /// <summary>
    /// The same configuration, but a field the type does not have fails the decode (for <c>fieldValidation</c>).
    /// A class of its own so its metadata is built on the first write, not at start-up.
    /// </summary>
    public static class Strict
    {
        public static readonly JsonSerializerOptions Options = CreateOptions(strict: true);
    }

    /// <summary>
    /// For the body of a status write, whose spec is thrown away: an object's top-level <c>spec</c> is skipped, not
    /// decoded. Lenient, and strict.
    /// </summary>
    public static class WithoutSpec
    {
        public static readonly JsonSerializerOptions Options = CreateOptions(strict: false, IsSpec);
        public static readonly JsonSerializerOptions StrictOptions = CreateOptions(strict: true, IsSpec);

        private static bool IsSpec(Type type, string property) => property == "spec" && type.IsAssignableTo(typeof(IKubernetesObject<V1ObjectMeta>));
    }

    /// <summary>
    /// For a reader of a few fields of a large object (a Table's printer): of each type named, only the properties
    /// named are decoded; the others are read past and left unset. Lenient.
    /// </summary>
    public static JsonSerializerOptions Reading(IReadOnlyDictionary<Type, string[]> only) =>
        CreateOptions(strict: false, (type, property) => only.TryGetValue(type, out var kept) && !kept.Contains(property));

    // skipped: which properties (of a type, by JSON name) are read past without being decoded.
    private static JsonSerializerOptions CreateOptions(bool strict, Func<Type, string, bool>? skipped = null)
    {
        var (microTime, optionalMicroTime) = (new MicroTimeConverter(), new MicroTimeConverter.Optional());
        var options = new JsonSerializerOptions
        {
            TypeInfoResolver = SourceGenerationContext.Default.WithAddedModifier(type =>
            {
                foreach (var property in type.Properties)
                {
                    if (MicroTimes.Contains((type.Type, property.Name)))
                    {
                        property.CustomConverter = property.PropertyType == typeof(DateTime) ? microTime : optionalMicroTime;
                    }
                    else if (skipped?.Invoke(type.Type, property.Name) == true)
                    {
                        // Without a setter the serializer reads past the value, leaving the property unset.
                        property.Set = null;
                    }
                }
            }),
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            // A 3 MiB object can nest deeply (e.g. JSON in annotations does not count, but CRD-like specs do).
            MaxDepth = 128,
            Encoder = Encoder,
            UnmappedMemberHandling = strict ? JsonUnmappedMemberHandling.Disallow : JsonUnmappedMemberHandling.Skip,
        };
        options.Converters.Add(new KubernetesJson.Iso8601TimeSpanConverter());
        options.Converters.Add(new Rfc3339TimeConverter());
        options.Converters.Add(new GoZeroValueConverter());
        options.Converters.Add(new KubernetesJson.KubernetesDateTimeOffsetConverter());
        options.MakeReadOnly();
        return options;
    }
}
