using System.Net;
using System.Net.Sockets;

namespace PodStatus.Tests;

/// <summary>Loopback ports the system hands out, for servers the tests start as processes.</summary>
public static class LoopbackPorts
{
    /// <summary><paramref name="count"/> different free ports (held together while chosen, so none repeats).</summary>
    public static int[] Free(int count = 1)
    {
        var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToArray();
        foreach (var listener in listeners)
        {
            listener.Start();
        }

        var ports = listeners.Select(listener => ((IPEndPoint)listener.LocalEndpoint).Port).ToArray();
        foreach (var listener in listeners)
        {
            listener.Stop();
        }

        return ports;
    }
}
