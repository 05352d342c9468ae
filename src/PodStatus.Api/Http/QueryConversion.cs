using System.Text;
using Microsoft.Extensions.Primitives;
using PodStatus.Api.Errors;
using PodStatus.Api.Serialization;

namespace PodStatus.Api.Http;

/// <summary>
/// How kube-apiserver turns query values into its options structs (apimachinery's <c>runtime/conversion.go</c> and
/// the generated <c>Convert_url_Values_To_v1_*</c>): the first value counts; a value that does not convert is a 400
/// with Go's message. ASP.NET's binders accept other spellings, so the routes read the query through this.
/// </summary>
public static class QueryConversion
{
    /// <summary><c>Convert_Slice_string_To_string</c>: the first value; null when the parameter is absent.</summary>
    public static string? String(StringValues values) => values.Count == 0 ? null : values[0];

    /// <summary>
    /// <c>Convert_Slice_string_To_bool</c>: absent, <c>0</c>, or <c>false</c> in any letter case is false; every other
    /// value, the empty one included, is true (so the official Python client's <c>watch=True</c> is a watch).
    /// </summary>
    public static bool Bool(StringValues values) => values.Count > 0 && !IsFalse(values[0]);

    /// <summary><c>Convert_Slice_string_To_Pointer_bool</c>: as <see cref="Bool"/>, null when absent.</summary>
    public static bool? OptionalBool(StringValues values) => values.Count == 0 ? null : !IsFalse(values[0]);

    /// <summary><c>Convert_Slice_string_To_Pointer_int64</c>: <c>strconv.ParseInt</c>; null when absent.</summary>
    public static long? OptionalInt64(StringValues values)
    {
        if (values.Count == 0)
        {
            return null;
        }

        return GoStrconv.TryParseInt64(values[0] ?? "", out var value, out var error)
            ? value
            : throw StatusErrors.BadRequest(error).AsException();
    }

    /// <summary>Go's <c>strings.EqualFold(v, "false")</c>, whose Unicode folding also matches the long s (ſ).</summary>
    private static bool IsFalse(string? value) =>
        value == "0" || value is { Length: 5 } && Ascii.EqualsIgnoreCase(value.Replace('ſ', 's'), "false");
}
