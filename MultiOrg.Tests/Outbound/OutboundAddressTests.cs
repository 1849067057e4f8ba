using MultiOrg.Tests.Harness;
using System.Net;
using MultiOrg.Domain.Security;
using MultiOrg.Web.Outbound;

namespace MultiOrg.Tests.Outbound;

/// <summary>
/// The outbound client's address check as a function: a resolver stub answers the host name with the address under test
/// and never connects; the check itself is the one the client runs at each connection.
/// </summary>
[Trait(TestDatabase.Trait, TestDatabase.Independent)]
public sealed class OutboundAddressTests
{
    private sealed class StubResolver(params IPAddress[] addresses) : INameResolver
    {
        public Task<IPAddress[]> ResolveAsync(string host, CancellationToken ct) => Task.FromResult(addresses);
    }

    private static Task<IPAddress[]> CheckAsync(OutboundAddresses rule, string host, bool plainHttp, params string[] resolvesTo) =>
        new OutboundConnector(rule, new StubResolver([.. resolvesTo.Select(IPAddress.Parse)])).CheckAsync(host, plainHttp, CancellationToken.None);

    [Theory]
    [InlineData("10.0.0.1")]
    [InlineData("172.16.0.1")]
    [InlineData("172.31.255.254")]
    [InlineData("192.168.1.1")]
    [InlineData("127.0.0.1")]
    [InlineData("127.1.2.3")]
    [InlineData("169.254.169.254")]
    [InlineData("100.64.0.1")]
    [InlineData("0.0.0.0")]
    [InlineData("0.1.2.3")]
    [InlineData("224.0.0.1")]
    [InlineData("240.0.0.1")]
    [InlineData("255.255.255.255")]
    [InlineData("::")]
    [InlineData("::1")]
    [InlineData("fc00::1")]
    [InlineData("fd12:3456::1")]
    [InlineData("fe80::1")]
    [InlineData("ff02::1")]
    [InlineData("::ffff:10.0.0.1")]
    [InlineData("::ffff:127.0.0.1")]
    [InlineData("::ffff:169.254.169.254")]
    [InlineData("::10.0.0.1")]
    [InlineData("64:ff9b::a00:1")]
    [InlineData("2002:a00:1::1")]
    [InlineData("2001:0:a00:1::1")]
    public async Task An_address_outside_the_public_internet_is_refused_by_name_and_as_a_literal(string address)
    {
        var byName = await FluentActions.Awaiting(() => CheckAsync(OutboundAddresses.PublicOnly, "provider.test", false, address))
            .Should().ThrowAsync<OutboundAddressRefusedException>();
        byName.Which.Message.Should().Contain(IPAddress.Parse(address).ToString());
        await FluentActions.Awaiting(() => CheckAsync(OutboundAddresses.PublicOnly, address.Contains(':', StringComparison.Ordinal) ? $"[{address}]" : address, false))
            .Should().ThrowAsync<OutboundAddressRefusedException>();
        OutboundAddresses.IsPublic(IPAddress.Parse(address)).Should().BeFalse();
    }

    [Theory]
    [InlineData("8.8.8.8")]
    [InlineData("93.184.215.14")]
    [InlineData("172.32.0.1")]
    [InlineData("100.128.0.1")]
    [InlineData("2606:4700:4700::1111")]
    [InlineData("2a00:1450:4001:80b::200e")]
    [InlineData("::ffff:8.8.8.8")]
    public async Task A_public_address_passes_over_https_and_never_over_plain_http(string address)
    {
        (await CheckAsync(OutboundAddresses.PublicOnly, "provider.test", false, address)).Should().Equal(IPAddress.Parse(address));

        await FluentActions.Awaiting(() => CheckAsync(OutboundAddresses.PublicOnly, "provider.test", true, address))
            .Should().ThrowAsync<OutboundAddressRefusedException>();
    }

    [Fact]
    public async Task Every_address_a_name_resolves_to_is_checked()
    {
        var refused = await FluentActions.Awaiting(() => CheckAsync(OutboundAddresses.PublicOnly, "provider.test", false, "8.8.8.8", "2606:4700:4700::1111", "10.0.0.7"))
            .Should().ThrowAsync<OutboundAddressRefusedException>();

        refused.Which.Message.Should().Contain("10.0.0.7");
        await FluentActions.Awaiting(() => CheckAsync(OutboundAddresses.PublicOnly, "provider.test", false))
            .Should().ThrowAsync<OutboundAddressRefusedException>("a name with no address is refused, not tried");
    }

    [Theory]
    [InlineData("10.1.2.3", true)]
    [InlineData("::ffff:10.1.2.3", true)]
    [InlineData("fd00::5", true)]
    [InlineData("192.168.1.1", false)]
    [InlineData("127.0.0.1", false)]
    [InlineData("8.8.8.8", false)]
    public async Task Inside_a_network_the_operator_allows_plain_http_is_accepted_too(string address, bool allowed)
    {
        var rule = OutboundAddresses.FromSetting(["10.0.0.0/8, fd00::/8"]);

        var check = FluentActions.Awaiting(() => CheckAsync(rule, "idp.corp.test", true, address));

        if (allowed)
        {
            await check.Should().NotThrowAsync();
        }
        else
        {
            await check.Should().ThrowAsync<OutboundAddressRefusedException>();
        }
    }

    [Fact]
    public void A_setting_that_is_not_a_range_stops_the_start_naming_the_setting() =>
        FluentActions.Invoking(() => OutboundAddresses.FromSetting(["10.0.0.0/8", "intranet"]))
            .Should().Throw<InvalidOperationException>().WithMessage("*OutboundRequests:AllowPrivateNetworks*intranet*");
}
