namespace PodStatus.Api.Schema;

/// <summary>
/// A resource as errors name it (apimachinery's <c>schema.GroupResource</c>): <c>pods</c> in the core group,
/// <c>leases.coordination.k8s.io</c> in another.
/// </summary>
public readonly record struct GroupResource(string Group, string Resource)
{
    public override string ToString() => Group.Length == 0 ? Resource : $"{Resource}.{Group}";
}
