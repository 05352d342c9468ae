using System.Text.Json.Serialization.Metadata;

namespace PodStatus.Api.Serialization;

/// <summary>
/// How a model type nests in JSON, for the walks over a body (unknown fields, Go's type errors): the lists and
/// string maps <see cref="GoZeroValueConverter"/> reads look like plain values to the serializer's metadata.
/// </summary>
internal static class ModelShape
{
    public static Type? ListItemType(JsonTypeInfo type) =>
        type.Type.IsGenericType && type.Type.GetGenericTypeDefinition() == typeof(IList<>) ? type.Type.GetGenericArguments()[0]
        : type.Kind == JsonTypeInfoKind.Enumerable ? type.ElementType : null;

    public static Type? MapValueType(JsonTypeInfo type) =>
        type.Type.IsGenericType && type.Type.GetGenericTypeDefinition() == typeof(IDictionary<,>) ? type.Type.GetGenericArguments()[1]
        : type.Kind == JsonTypeInfoKind.Dictionary ? type.ElementType : null;
}
