namespace PodStatus.Api.Serialization;

/// <summary>The models' string maps (labels, annotations), enumerated without allocating.</summary>
public static class StringMaps
{
    private static readonly Dictionary<string, string> Empty = [];

    /// <summary>
    /// The map as a Dictionary, whose enumerator is a struct: the models' maps are Dictionaries as the decoder makes
    /// them, and a missing one is the shared empty one. For reading only.
    /// </summary>
    public static Dictionary<string, string> Entries(IDictionary<string, string>? map) =>
        map switch { Dictionary<string, string> dictionary => dictionary, null => Empty, _ => new(map) };
}
