using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

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
    // Addresses are held as numbers (an IPv4 address in the low 32 bits): no object per held address, and sets whose
    // entries the collector never has to read. A million simulated pods keep a million addresses, each written while
    // its pod moves; as objects, each was one more for every young collection to copy and to find through the set.
    private readonly Lock _lock = new();
    private readonly UInt128 _start;
    private readonly bool _v4;
    private readonly IPNetwork _network;
    private readonly HashSet<UInt128> _used = [];
    private readonly SortedSet<UInt128> _free = [];
    private ulong _next;

    private IpPool(IPAddress start, IPNetwork network)
    {
        _start = Number(start);
        _v4 = start.AddressFamily == AddressFamily.InterNetwork;
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
            if (_free.Count > 0)
            {
                var reused = _free.Min;
                _free.Remove(reused);
                _used.Add(reused);
                return Text(reused);
            }

            while (true)
            {
                var address = Add(_next++);
                if (_used.Add(address))
                {
                    return Text(address);
                }
            }
        }
    }

    /// <summary>Gives an address back (its pod is gone); one outside the CIDR, or not an address, is ignored.</summary>
    public void Put(string ip)
    {
        lock (_lock)
        {
            if (InNetwork(ip) is { } address && _used.Remove(address))
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
            if (InNetwork(ip) is { } address)
            {
                _free.Remove(address);
                _used.Add(address);
            }
        }
    }

    private UInt128? InNetwork(string ip) => IPAddress.TryParse(ip, out var address) && _network.Contains(address) ? Number(address) : null;

    /// <summary>KWOK's AddIP: the number added to the low 64 bits of the address (to all 32 of an IPv4 one), wrapping.</summary>
    private UInt128 Add(ulong add) => _v4
        ? (uint)((uint)_start + add)
        : (_start >> 64 << 64) | (ulong)((ulong)_start + add);

    private static UInt128 Number(IPAddress address)
    {
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out var written);
        return written == 4 ? BinaryPrimitives.ReadUInt32BigEndian(bytes) : BinaryPrimitives.ReadUInt128BigEndian(bytes);
    }

    private string Text(UInt128 address)
    {
        Span<byte> bytes = stackalloc byte[16];
        if (_v4)
        {
            BinaryPrimitives.WriteUInt32BigEndian(bytes, (uint)address);
            return new IPAddress(bytes[..4]).ToString();
        }

        BinaryPrimitives.WriteUInt128BigEndian(bytes, address);
        return new IPAddress(bytes).ToString();
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
}
