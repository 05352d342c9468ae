using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace PodStatus.Api.Validation;

/// <summary>IP syntax as upstream's legacy IP fields accept it (<c>IsValidIPForLegacyField</c>).</summary>
public static class IpAddresses
{
    public const string InvalidMessage = "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)";

    /// <summary>The address family, or null when <paramref name="text"/> is not an IP address.</summary>
    public static AddressFamily? FamilyOf(string? text)
    {
        if (string.IsNullOrEmpty(text) || text.Contains('%'))
        {
            return null;
        }

        if (text.Contains(':'))
        {
            return IPAddress.TryParse(text, out var v6) && v6.AddressFamily == AddressFamily.InterNetworkV6
                ? AddressFamily.InterNetworkV6
                : null;
        }

        // Dotted quad only: .NET would also take "10" or "0x0a.1", which Go rejects.
        var address = text.AsSpan();
        Span<Range> parts = stackalloc Range[5];
        if (address.Split(parts, '.') != 4)
        {
            return null;
        }

        foreach (var range in parts[..4])
        {
            var part = address[range];
            if (part.Length is 0 or > 3 || part.ContainsAnyExceptInRange('0', '9') || int.Parse(part, CultureInfo.InvariantCulture) > 255)
            {
                return null;
            }
        }

        return AddressFamily.InterNetwork;
    }

    public const string InvalidCidrMessage = "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)";

    /// <summary>The address family of a CIDR (<c>10.0.0.0/24</c>), or null when <paramref name="text"/> is not one.</summary>
    public static AddressFamily? CidrFamilyOf(string? text)
    {
        var slash = text?.IndexOf('/') ?? -1;
        if (slash < 0 || FamilyOf(text![..slash]) is not { } family)
        {
            return null;
        }

        var bits = text[(slash + 1)..];
        var most = family == AddressFamily.InterNetwork ? 32 : 128;
        return bits.Length is > 0 and <= 3 && !bits.AsSpan().ContainsAnyExceptInRange('0', '9') && int.Parse(bits, CultureInfo.InvariantCulture) <= most ? family : null;
    }
}
