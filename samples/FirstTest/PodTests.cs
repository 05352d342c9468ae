using k8s;
using k8s.Models;
using PodStatus.Testing;
using Xunit;

public class PodTests
{
    [Fact]
    public async Task AStatusWrite_IsSeenThroughAWatch()
    {
        var token = TestContext.Current.CancellationToken;            // xunit v3: cancelled with the test run
        await using var server = await PodStatusServer.StartAsync(cancellationToken: token);
        using var client = server.CreateClient();                     // the official KubernetesClient
        var pod = await client.CoreV1.CreateNamespacedPodAsync(new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "web" },
            Spec = new V1PodSpec { Containers = [new V1Container { Name = "app", Image = "nginx" }] },
        }, "default", cancellationToken: token);

        pod.Status = new V1PodStatus { Phase = "Running" };
        await client.CoreV1.ReplaceNamespacedPodStatusAsync(pod, "web", "default", cancellationToken: token);

        var running = await server.WaitForPodAsync("default", "web", p => p.Status?.Phase == "Running", cancellationToken: token);
        Assert.Equal("Running", running.Status.Phase);
    }
}
