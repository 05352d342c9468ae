using PodStatus.Api.Simulation.Network;

namespace PodStatus.Api.Tests.Simulation;

/// <summary>Pod IPs handed out as KWOK's ipPool hands them out, never to two holders at once.</summary>
public sealed class IpPoolTests
{
    [Fact]
    public void Addresses_CountUpFromTheAddressWrittenInTheCidr()
    {
        var pool = IpPool.For("10.0.0.1/24")!;

        Assert.Equal(["10.0.0.1", "10.0.0.2", "10.0.0.3"], [pool.Get(), pool.Get(), pool.Get()]);
        Assert.Equal("10.0.0.0", IpPool.For("10.0.0.0/24")!.Get());
    }

    [Fact]
    public void AnAddressGivenBack_IsReused_AndOneInUse_IsSkipped()
    {
        var pool = IpPool.For("10.0.0.1/24")!;
        pool.Use("10.0.0.2");
        var first = pool.Get();
        var second = pool.Get();

        pool.Put(first);

        Assert.Equal(("10.0.0.1", "10.0.0.3"), (first, second));
        Assert.Equal("10.0.0.1", pool.Get());
        Assert.Equal("10.0.0.4", pool.Get());
    }

    [Fact]
    public void ARangeThatRunsOut_GoesOnPastItsEnd_AsKwoksDoes()
    {
        var pool = IpPool.For("192.168.1.254/31")!;

        Assert.Equal(["192.168.1.254", "192.168.1.255", "192.168.2.0"], [pool.Get(), pool.Get(), pool.Get()]);
    }

    [Fact]
    public void Ipv6_CountsUpInItsLow64Bits()
    {
        var pool = IpPool.For("fd00::ffff:ffff:ffff:ffff/64")!;

        Assert.Equal(["fd00::ffff:ffff:ffff:ffff", "fd00::"], [pool.Get(), pool.Get()]);
    }

    [Fact]
    public void NoTwoHolders_ShareAnAddress()
    {
        var pool = IpPool.For("10.1.0.0/16")!;
        var held = new HashSet<string>();
        for (var round = 0; round < 200; round++)
        {
            var taken = Enumerable.Range(0, 50).Select(_ => pool.Get()).ToList();
            Assert.All(taken, ip => Assert.True(held.Add(ip), $"{ip} handed out twice"));
            foreach (var ip in taken.Where((_, i) => i % 2 == 0))
            {
                pool.Put(ip);
                held.Remove(ip);
            }
        }
    }

    [Theory]
    [InlineData("10.0.0.1")]
    [InlineData("10.0.0.1/33")]
    [InlineData("nonsense/8")]
    [InlineData("10.0.0.1/-1")]
    public void WhatIsNotACidr_GivesNoPool(string cidr) => Assert.Null(IpPool.For(cidr));
}
