namespace PodStatus.Tests;

/// <summary>
/// Outside programs the tests drive. A test skips, saying why, when one is missing, unless
/// <c>PODSTATUS_REQUIRE_EXTERNAL=1</c> (set by CI after installing them): then it fails.
/// </summary>
public static class External
{
    public static string Require(string program)
    {
        var path = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(dir => Path.Combine(dir, program))
            .FirstOrDefault(File.Exists);
        if (path is not null)
        {
            return path;
        }

        var reason = $"{program} is not on PATH";
        if (Environment.GetEnvironmentVariable("PODSTATUS_REQUIRE_EXTERNAL") == "1")
        {
            Assert.Fail(reason + " and PODSTATUS_REQUIRE_EXTERNAL=1");
        }

        Assert.Skip(reason + "; install it to run this test");
        return "";
    }
}
