namespace PodStatus.Testing.Tests;

/// <summary>The README's example is the test that CI runs against the packed packages, line for line.</summary>
public sealed class ReadmeTests
{
    private static string Repository([System.Runtime.CompilerServices.CallerFilePath] string here = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(here)!, "..", ".."));

    [Fact]
    public void TheReadmesExample_IsSamplesFirstTest()
    {
        var readme = File.ReadAllText(Path.Combine(Repository(), "README.md"));
        var section = readme[readme.IndexOf("## In your tests", StringComparison.Ordinal)..];
        var start = section.IndexOf("```csharp\n", StringComparison.Ordinal) + "```csharp\n".Length;
        var example = section[start..section.IndexOf("```", start, StringComparison.Ordinal)];
        var test = File.ReadAllText(Path.Combine(Repository(), "samples", "FirstTest", "PodTests.cs"));

        static string Lines(string text) => string.Join('\n', text.Split('\n').Select(line => line.Trim()).Where(line => line.Length > 0));

        Assert.Contains(Lines(example), Lines(test));
    }
}
