using PodStatus.Api.Security;
using PodStatus.Api.Tests.Infrastructure;

namespace PodStatus.Api.Tests.Security;

/// <summary>The token file read as kube-apiserver reads it, and security files that stop start-up with their problem named.</summary>
public sealed class SecuritySettingsTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("podstatus-security-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string Write(string name, string content)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, content);
        return path;
    }

    [Fact]
    public void TokenFile_ReadsQuotedGroups_SkipsEmptyTokens_AndALaterLineWins()
    {
        var tokens = TokenFile.Load(Write("tokens.csv", """
            t1,alice,uid-1,"system:masters,ops"
            ,ghost,uid-0
            t2,bob,uid-2
            t2,bob-again,uid-3,dev
            "t,3",carol,uid-4,
            """));

        Assert.Equal(["t,3", "t1", "t2"], tokens.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(new KubeUser("alice", "uid-1", ["system:masters", "ops"]), tokens["t1"], KubeUserComparer);
        Assert.Equal(new KubeUser("bob-again", "uid-3", ["dev"]), tokens["t2"], KubeUserComparer);
        Assert.Equal(new KubeUser("carol", "uid-4", [""]), tokens["t,3"], KubeUserComparer);
    }

    [Fact]
    public void TokenFile_WithALineOfTwoColumns_IsRefusedWithUpstreamsMessage()
    {
        var path = Write("short.csv", "t1,alice\n");

        var error = Assert.Throws<InvalidDataException>(() => TokenFile.Load(path));

        Assert.Equal($"token file '{path}' must have at least 3 columns (token, user name, user uid), found 2", error.Message);
    }

    public static TheoryData<string, string, string, string> BadFiles => new()
    {
        { "Authentication:TokenFile", "tokens.csv", "t1,alice\n", "must have at least 3 columns (token, user name, user uid), found 2" },
        { "Authentication:ClientCAFile", "ca.pem", "not a certificate", "holds no PEM certificate" },
        { "Authorization:PolicyFile", "policy.yaml", "kind: Deployment\nmetadata: {name: x}\n", "kind \"Deployment\" is not one of Role, ClusterRole, RoleBinding, ClusterRoleBinding" },
        { "Authorization:PolicyFile", "policy.yaml", """
            kind: RoleBinding
            apiVersion: rbac.authorization.k8s.io/v1
            metadata: {name: b, namespace: default}
            roleRef: {kind: Role, name: missing}
            subjects: [{kind: User, name: u}]
            """, "RoleBinding \"default/b\": roleRef names Role \"missing\", which the policy does not define" },
        { "Authorization:PolicyFile", "policy.yaml", "kind: Role\nmetadata: {name: r}\nrules: []\n", "a Role needs metadata.name and metadata.namespace" },
        { "Authorization:PolicyFile", "policy.json", """{"kind":"ClusterRole","metadata":{"name":"r"},"rules":[{"resources":["pods"]}]}""",
            "ClusterRole \"r\": each rule needs verbs, and resources or (in a ClusterRole) nonResourceURLs" },
        { "Authorization:PolicyFile", "policy.yaml", """
            kind: ClusterRoleBinding
            metadata: {name: b}
            roleRef: {kind: ClusterRole, name: view}
            subjects: [{kind: ServiceAccount, name: agent}]
            """, "ClusterRoleBinding \"b\": the ServiceAccount subject \"agent\" needs a namespace" },
        { "Authorization:PolicyFile", "policy.yaml", "a: [", "policy.yaml': yaml: line " },
    };

    [Theory]
    [MemberData(nameof(BadFiles))]
    public async Task ABadFile_StopsStartUpWithItsProblem(string setting, string name, string content, string problem)
    {
        var path = Write(name, content);
        string[] args = setting.StartsWith("Authorization", StringComparison.Ordinal)
            ? [$"--{setting}={path}", $"--Authentication:TokenFile={SecuredServer.SamplePath("tokens.csv")}"]
            : [$"--{setting}={path}"];

        var (exitCode, output) = await ServerProcess.RunToExitAsync(args);

        Assert.Equal(1, exitCode);
        Assert.Contains("Invalid settings: ", output);
        Assert.Contains(problem, output);
        Assert.DoesNotContain("   at ", output);
    }

    [Fact]
    public async Task APolicyWithoutAuthentication_StopsStartUp()
    {
        var (exitCode, output) = await ServerProcess.RunToExitAsync($"--Authorization:PolicyFile={SecuredServer.SamplePath("policy.yaml")}");

        Assert.Equal(1, exitCode);
        Assert.Contains("Authorization:PolicyFile needs authentication: set Authentication:TokenFile or Authentication:ClientCAFile", output);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AMissingTokenFile_StopsStartUpNamingItOnce(bool withPolicy)
    {
        var missing = Path.Combine(_directory, "missing.csv");
        string[] args = withPolicy
            ? [$"--Authentication:TokenFile={missing}", $"--Authorization:PolicyFile={SecuredServer.SamplePath("policy.yaml")}"]
            : [$"--Authentication:TokenFile={missing}"];

        var (exitCode, output) = await ServerProcess.RunToExitAsync(args);

        Assert.Equal(1, exitCode);
        Assert.Equal($"Invalid settings: Could not find file '{missing}'.", output.Trim());
    }

    private static readonly IEqualityComparer<KubeUser> KubeUserComparer = EqualityComparer<KubeUser>.Create(
        (a, b) => a!.Name == b!.Name && a.Uid == b.Uid && a.Groups.SequenceEqual(b.Groups), user => user.Name.GetHashCode(StringComparison.Ordinal));
}
