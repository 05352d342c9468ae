using k8s.Models;

namespace PodStatus.Api.Validation;

/// <summary>Quantities as upstream's messages print them.</summary>
public static class Quantities
{
    /// <summary>
    /// <c>resource.Quantity.String()</c>, the canonical form. KubernetesClient's own garbles a negative quantity
    /// (<c>-1</c> becomes <c>-0.000000000000000001E</c>), so the sign is put back on the canonical form of its magnitude.
    /// </summary>
    public static string Text(ResourceQuantity quantity) =>
        quantity.ToDecimal() is var value && value < 0 ? "-" + new ResourceQuantity(-value, 0, quantity.Format) : quantity.ToString();
}
