using System.Buffers.Binary;
using System.Net;

namespace PodStatus.Api.Simulation.Network;

/// <summary>
/// The pod IPs of one CIDR, handed out as KWOK's ipPool hands them out (pkg/kwok/controllers/utils.go): counting up
/// from the address written in the CIDR (<c>10.0.0.1/24</c> starts at 10.0.0.1, not at the network address), skipping
/// addresses in use, and reusing those given back. Like KWOK's, it does not stop at the end of the CIDR: a node with
/// more pods than its range holds gets the addresses after it rather than none. KWOK reuses a freed address in Go's
/// map order; this pool reuses the lowest one, so runs repeat. No two holders ever share an address.
/// </summary>
public sealed class IpPool
{
    private readonly Lock _lock = new();
    private readonly byte[] _start;
    private readonly IPNetwork _network;
    private readonly HashSet<IPAddress> _used = [];
    private readonly SortedSet<IPAddress> _free = new(Comparer<IPAddress>.Create(CompareAddresses));
    private ulong _next;

    private IpPool(IPAddress start, IPNetwork network)
    {
        _start = start.GetAddressBytes();
        _network = network;
    }

    /// <summary>A pool for <paramref name="cidr"/> (<c>10.0.0.1/24</c>, <c>fd00::/64</c>), or null when it is not one.</summary>
    public static IpPool? For(string cidr)
    {
        var slash = cidr.IndexOf('/');
        // Not IPNetwork.TryParse: it refuses an address with bits set past the prefix, which KWOK's CIDRs have.
        return slash > 0 && IPAddress.TryParse(cidr.AsSpan(0, slash), out var start) &&
            int.TryParse(cidr.AsSpan(slash + 1), System.Globalization.NumberStyles.None, null, out var bits) && bits <= start.GetAddressBytes().Length * 8
            ? new IpPool(start, new IPNetwork(Masked(start, bits), bits))
            : null;
    }

    /// <summary>An address no one holds: the lowest given back, else the next one up.</summary>
    public string Get()
    {
        lock (_lock)
        {
            if (_free.Min is { } reused)
            {
                _free.Remove(reused);
                _used.Add(reused);
                return reused.ToString();
            }

            while (true)
            {
                var address = Add(_start, _next++);
                if (_used.Add(address))
                {
                    return address.ToString();
                }
            }
        }
    }

    /// <summary>Gives an address back (its pod is gone); one outside the CIDR, or not an address, is ignored.</summary>
    public void Put(string ip)
    {
        lock (_lock)
        {
            if (IPAddress.TryParse(ip, out var address) && _network.Contains(address) && _used.Remove(address))
            {
                _free.Add(address);
            }
        }
    }

    /// <summary>Marks an address held (a pod that had it before the pool was made).</summary>
    public void Use(string ip)
    {
        lock (_lock)
        {
            if (IPAddress.TryParse(ip, out var address) && _network.Contains(address))
            {
                _free.Remove(address);
                _used.Add(address);
            }
        }
    }

    /// <summary>KWOK's AddIP: the number added to the low 64 bits of the address, big-endian.</summary>
    private static IPAddress Add(byte[] start, ulong add)
    {
        var bytes = (byte[])start.Clone();
        if (bytes.Length == 4)
        {
            BinaryPrimitives.WriteUInt32BigEndian(bytes, (uint)(BinaryPrimitives.ReadUInt32BigEndian(bytes) + add));
        }
        else
        {
            var low = bytes.AsSpan(8);
            BinaryPrimitives.WriteUInt64BigEndian(low, BinaryPrimitives.ReadUInt64BigEndian(low) + add);
        }

        return new IPAddress(bytes);
    }

    private static IPAddress Masked(IPAddress address, int bits)
    {
        var bytes = address.GetAddressBytes();
        for (var i = 0; i < bytes.Length; i++)
        {
            var keep = Math.Clamp(bits - i * 8, 0, 8);
            bytes[i] &= (byte)(0xFF << (8 - keep));
        }

        return new IPAddress(bytes);
    }

    private static int CompareAddresses(IPAddress? a, IPAddress? b) =>
        a!.GetAddressBytes().AsSpan().SequenceCompareTo(b!.GetAddressBytes());
}
