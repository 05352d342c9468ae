using System.Reflection;

namespace PodStatus.Api.Registry;

/// <summary>
/// Member-wise copies of model objects. A write may be retried against a newer stored version, so each attempt
/// prepares copies and leaves the decoded request as it came (upstream deep-copies per attempt for the same reason).
/// </summary>
internal static class Shallow
{
    private static readonly Func<object, object> CloneMembers =
        typeof(object).GetMethod("MemberwiseClone", BindingFlags.Instance | BindingFlags.NonPublic)!
            .CreateDelegate<Func<object, object>>();

    public static T Copy<T>(T value) where T : class => (T)CloneMembers(value);
}
