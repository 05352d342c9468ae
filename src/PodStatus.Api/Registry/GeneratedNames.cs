namespace PodStatus.Api.Registry;

/// <summary>Names for objects created with <c>generateName</c>, as upstream's <c>names.SimpleNameGenerator</c> makes them.</summary>
public static class GeneratedNames
{
    private const string Alphabet = "bcdfghjklmnpqrstvwxz2456789";

    /// <summary>The prefix plus five random characters; upstream caps the prefix so the result stays a valid name.</summary>
    public static string From(string prefix) =>
        (prefix.Length > 58 ? prefix[..58] : prefix) + new string(Random.Shared.GetItems(Alphabet.AsSpan(), 5));
}
