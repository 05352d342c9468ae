namespace PodStatus.Api.Validation;

/// <summary>
/// An update as its validator sees it: the prepared new object and the stored one it replaces. A class, not a
/// record: FluentValidation keys its condition cache by instance, and record hashing would walk both objects.
/// </summary>
public sealed class ObjectUpdate<T>(T value, T old)
{
    public T Value { get; } = value;

    public T Old { get; } = old;
}
