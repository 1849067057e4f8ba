using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MultiOrg.Tests.Harness;

namespace MultiOrg.Tests.Hosting;

/// <summary>The trusted proxies as an operator writes them: one environment variable, or a list in appsettings.</summary>
[Trait(TestDatabase.Trait, TestDatabase.Independent)]
public sealed class ForwardedHeadersSettingsTests
{
    [Fact]
    public void Proxies_and_networks_given_as_one_environment_variable_each_are_trusted()
    {
        using var factory = new ApiFactory(new Dictionary<string, string>
        {
            ["ForwardedHeaders:KnownProxies"] = "10.0.0.10, 10.0.0.11",
            ["ForwardedHeaders:KnownNetworks"] = "10.1.0.0/16",
        });

        var options = factory.Services.GetRequiredService<IOptions<ForwardedHeadersOptions>>().Value;

        options.KnownProxies.Select(a => a.ToString()).Should().Equal("10.0.0.10", "10.0.0.11");
        options.KnownIPNetworks.Select(n => n.ToString()).Should().Equal("10.1.0.0/16");
    }

    [Fact]
    public void Proxies_given_as_a_list_are_trusted()
    {
        using var factory = new ApiFactory(new Dictionary<string, string>
        {
            ["ForwardedHeaders:KnownProxies:0"] = "10.0.0.10",
            ["ForwardedHeaders:KnownProxies:1"] = "2001:db8::1",
        });

        var options = factory.Services.GetRequiredService<IOptions<ForwardedHeadersOptions>>().Value;

        options.KnownProxies.Select(a => a.ToString()).Should().Equal("10.0.0.10", "2001:db8::1");
    }
}
