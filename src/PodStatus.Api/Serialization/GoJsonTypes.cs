using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using k8s.Models;

namespace PodStatus.Api.Serialization;

/// <summary>
/// Why a body does not decode as a model type (a Pod, DeleteOptions), in the words of Go's decoder, which
/// kube-apiserver uses:
/// <c>json: cannot unmarshal number into Go struct field ObjectMeta.metadata.name of type string</c> (the first
/// mismatch in document order, as Go reports it), or the error of a value that decodes itself (a time, a
/// quantity), which ends the decode at once. Only run once a decode has failed.
/// </summary>
public static class GoJsonTypes
{
    private const string QuantityFormat = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

    /// <summary>Go types that the generated C# models carry as plain strings (the upstream <c>type X string</c>s).</summary>
    private static readonly Dictionary<(Type, string), string> NamedStrings = new()
    {
        [(typeof(V1ObjectMeta), "uid")] = "types.UID",
        [(typeof(V1OwnerReference), "uid")] = "types.UID",
        [(typeof(V1PodStatus), "phase")] = "v1.PodPhase",
        [(typeof(V1PodStatus), "qosClass")] = "v1.PodQOSClass",
        [(typeof(V1PodStatus), "resize")] = "v1.PodResizeStatus",
        [(typeof(V1PodCondition), "type")] = "v1.PodConditionType",
        [(typeof(V1PodCondition), "status")] = "v1.ConditionStatus",
        [(typeof(V1PodSpec), "restartPolicy")] = "v1.RestartPolicy",
        [(typeof(V1PodSpec), "dnsPolicy")] = "v1.DNSPolicy",
        [(typeof(V1PodSpec), "preemptionPolicy")] = "v1.PreemptionPolicy",
        [(typeof(V1Container), "imagePullPolicy")] = "v1.PullPolicy",
        [(typeof(V1Container), "terminationMessagePolicy")] = "v1.TerminationMessagePolicy",
        [(typeof(V1ContainerPort), "protocol")] = "v1.Protocol",
        [(typeof(V1Toleration), "operator")] = "v1.TolerationOperator",
        [(typeof(V1Toleration), "effect")] = "v1.TaintEffect",
    };

    /// <summary>How Go names the kind of a JSON value in its errors.</summary>
    public static string KindOf(JsonElement element) => KindOf(element.ValueKind);

    public static string KindOf(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "object",
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.True or JsonValueKind.False => "bool",
        JsonValueKind.Null => "null",
        _ => "number",
    };

    /// <summary>
    /// Why <paramref name="body"/> does not decode as <paramref name="type"/>, as upstream's JSON serializer says it:
    /// first <c>SimpleMetaFactory.Interpret</c> reads the kind (syntax errors, a body that is not an object, a kind
    /// that is not a string: KindUnread then), then the typed decode (the first value that does
    /// not fit). <paramref name="fallback"/> when neither finds a cause.
    /// </summary>
    public static (bool KindUnread, string Message) Explain(byte[] body, JsonTypeInfo type, string fallback)
    {
        const string interpret = "couldn't get version/kind; json parse error: ";
        if (GoJsonSyntax.FindError(body, KubeJson.Options.MaxDepth) is { } syntax)
        {
            return (true, interpret + syntax);
        }

        using var document = JsonDocument.Parse(body, KubeJson.DocumentOptions);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            return (true, $"{interpret}json: cannot unmarshal {KindOf(root)} into Go value of type {TypeMetaStruct}");
        }

        foreach (var name in new[] { "apiVersion", "kind" })
        {
            if (root.TryGetProperty(name, out var value) && value.ValueKind is not (JsonValueKind.String or JsonValueKind.Null))
            {
                return (true, $"{interpret}json: cannot unmarshal {KindOf(value)} into Go struct field .{name} of type string");
            }
        }

        var walk = new Walk();
        return (false, walk.Value(root, type, new Context("", GoStruct(type.Type), null)) ?? walk.FirstMismatch ?? fallback);
    }

    /// <summary>The anonymous struct upstream's <c>SimpleMetaFactory.Interpret</c> reads the kind into, as Go prints its type.</summary>
    private const string TypeMetaStruct = "struct { APIVersion string \"json:\\\"apiVersion,omitempty\\\"\"; Kind string \"json:\\\"kind,omitempty\\\"\" }";

    /// <summary>Where the decoder is: the JSON path of struct fields (no indices or map keys), the innermost struct, and its Go type.</summary>
    private sealed record Context(string Field, string Struct, string? GoType);

    private sealed class Walk
    {
        /// <summary>Go keeps the first type mismatch and decodes on; the first is what it reports.</summary>
        public string? FirstMismatch { get; private set; }

        /// <summary>Returns an error that ends the decode (one from a value that decodes itself); records mismatches.</summary>
        public string? Value(JsonElement element, JsonTypeInfo type, Context context)
        {
            if (element.ValueKind == JsonValueKind.Null)
            {
                return null; // Go leaves the value as it is.
            }

            var clr = Nullable.GetUnderlyingType(type.Type) ?? type.Type;
            // Types that decode themselves end the decode with their error (metav1.Time, Quantity, IntOrString).
            if (clr == typeof(DateTime))
            {
                return element.ValueKind != JsonValueKind.String
                    ? Message(element, context with { GoType = "string" })
                    : GoTime.TryParseRfc3339(element.GetString()!, out _, out var error) ? null : error;
            }

            if (clr == typeof(ResourceQuantity))
            {
                return element.ValueKind is JsonValueKind.String or JsonValueKind.Number && IsQuantity(element.ToString()) ? null : QuantityFormat;
            }

            if (clr == typeof(IntOrString))
            {
                return element.ValueKind switch
                {
                    JsonValueKind.String => null,
                    JsonValueKind.Number when element.TryGetInt32(out _) => null,
                    _ => Message(element, context with { GoType = "int32" }),
                };
            }

            if (ModelShape.ListItemType(type) is { } item)
            {
                return element.ValueKind == JsonValueKind.Array
                    ? Entries(element.EnumerateArray(), type.Options.GetTypeInfo(item), context)
                    : Mismatch(element, context with { GoType = GoType(type.Type) });
            }

            if (ModelShape.MapValueType(type) is { } mapValue)
            {
                return element.ValueKind == JsonValueKind.Object
                    ? Entries(element.EnumerateObject().Select(entry => entry.Value), type.Options.GetTypeInfo(mapValue), context)
                    : Mismatch(element, context with { GoType = GoType(type.Type) });
            }

            if (type.Kind != JsonTypeInfoKind.Object || element.ValueKind != JsonValueKind.Object)
            {
                return Scalar(element, clr, context);
            }

            foreach (var property in element.EnumerateObject())
            {
                // Fields the type does not have are skipped, as Go skips them.
                if (type.Properties.FirstOrDefault(p => p.Name == property.Name) is { } known)
                {
                    var field = context.Field.Length == 0 ? property.Name : $"{context.Field}.{property.Name}";
                    var inner = new Context(field, GoStruct(clr), NamedStrings.GetValueOrDefault((clr, property.Name)));
                    if (Value(property.Value, type.Options.GetTypeInfo(known.PropertyType), inner) is { } error)
                    {
                        return error;
                    }
                }
            }

            return null;
        }

        /// <summary>The elements of a list or the values of a map, in order; they carry the field's context.</summary>
        private string? Entries(IEnumerable<JsonElement> entries, JsonTypeInfo type, Context context)
        {
            foreach (var entry in entries)
            {
                if (Value(entry, type, context with { GoType = null }) is { } error)
                {
                    return error;
                }
            }

            return null;
        }

        private string? Scalar(JsonElement element, Type clr, Context context)
        {
            var fits = element.ValueKind switch
            {
                JsonValueKind.String => clr == typeof(string),
                JsonValueKind.True or JsonValueKind.False => clr == typeof(bool),
                JsonValueKind.Number when clr == typeof(int) => element.TryGetInt32(out _),
                JsonValueKind.Number when clr == typeof(long) => element.TryGetInt64(out _),
                JsonValueKind.Number => clr == typeof(double) || clr == typeof(float),
                _ => false,
            };
            return fits ? null : Mismatch(element, context with { GoType = context.GoType ?? GoType(clr) });
        }

        /// <summary>Go's <c>UnmarshalTypeError</c>: recorded, and the decode goes on.</summary>
        private string? Mismatch(JsonElement element, Context context)
        {
            FirstMismatch ??= Message(element, context);
            return null;
        }

        /// <summary>Go's <c>UnmarshalTypeError</c> message, with the field it was met in.</summary>
        private static string Message(JsonElement element, Context context)
        {
            // A number that does not fit an integer is quoted with its text.
            var value = element.ValueKind == JsonValueKind.Number && context.GoType is "int32" or "int64"
                ? "number " + element.GetRawText()
                : KindOf(element);
            return context.Field.Length == 0
                ? $"json: cannot unmarshal {value} into Go value of type {context.GoType}"
                : $"json: cannot unmarshal {value} into Go struct field {context.Struct}.{context.Field} of type {context.GoType}";
        }
    }

    private static bool IsQuantity(string text)
    {
        try
        {
            _ = new ResourceQuantity(text.Trim()).ToDecimal();
            return text.Trim().Length > 0;
        }
        catch (Exception error) when (error is FormatException or ArgumentException or OverflowException)
        {
            return false;
        }
    }

    /// <summary>The Go struct a model class mirrors: V1PodCondition is v1's PodCondition.</summary>
    private static string GoStruct(Type type) => type.Name.StartsWith("V1", StringComparison.Ordinal) ? type.Name[2..] : type.Name;

    private static string GoType(Type type)
    {
        var clr = Nullable.GetUnderlyingType(type) ?? type;
        if (clr.IsGenericType && clr.GetGenericTypeDefinition() == typeof(IList<>))
        {
            return "[]" + GoType(clr.GetGenericArguments()[0]);
        }

        if (clr == typeof(IDictionary<string, ResourceQuantity>))
        {
            return "v1.ResourceList";
        }

        if (clr.IsGenericType && clr.GetGenericTypeDefinition() == typeof(IDictionary<,>))
        {
            return $"map[string]{GoType(clr.GetGenericArguments()[1])}";
        }

        return clr switch
        {
            _ when clr == typeof(string) => "string",
            _ when clr == typeof(int) => "int32",
            _ when clr == typeof(long) => "int64",
            _ when clr == typeof(bool) => "bool",
            _ when clr == typeof(double) => "float64",
            _ when clr == typeof(DateTime) => "v1.Time",
            _ when clr == typeof(ResourceQuantity) => "resource.Quantity",
            _ when clr == typeof(IntOrString) => "intstr.IntOrString",
            _ => "v1." + GoStruct(clr),
        };
    }
}
