namespace PodStatus.Api.Hosting;

/// <summary>The <c>Seed</c> settings; <c>--seed PATH</c> on the command line sets <see cref="Path"/>.</summary>
public sealed class SeedOptions
{
    public const string Section = "Seed";

    /// <summary>The value of <see cref="Path"/> that starts PodStatus with no pods.</summary>
    public const string None = "none";

    /// <summary>
    /// A JSON or YAML file holding a Pod or a List of Pods, loaded at start-up. Unset: the founding document's
    /// pod (<c>default/hello-world</c>); <c>none</c>: no pods.
    /// </summary>
    public string? Path { get; set; }
}
