using Bunit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using MultiOrg.Tests.Harness;
using MultiOrg.Web.Features.Assistant;

namespace MultiOrg.Tests.Assistant;

/// <summary>The connection address an organization page shows for its assistant endpoint.</summary>
[Trait(TestDatabase.Trait, TestDatabase.Independent)]
public sealed class AssistantConnectionTests : ComponentTestBase
{
    private static readonly Guid Organization = Guid.Parse("6f1d2a4e-0c55-4b8e-9a51-3c2f7d9e1b20");

    [Fact]
    public void The_connection_address_comes_from_the_public_address_not_the_browsers()
    {
        Serve(new Dictionary<string, string?> { ["App:PublicBaseUrl"] = "https://admin.example.com/multiorg" });

        var cut = Context.Render<AssistantConnection>(parameters => parameters.Add(p => p.OrganizationId, Organization));

        cut.Find("[data-testid='assistant-url']").TextContent.Should().Be($"https://admin.example.com/multiorg/mcp/{Organization}",
            "the assistant's resource is named by the configured public address, whatever host the page was opened at");
    }

    [Fact]
    public void Without_a_public_address_the_connection_address_is_the_pages_own()
    {
        Serve([]);

        var cut = Context.Render<AssistantConnection>(parameters => parameters.Add(p => p.OrganizationId, Organization));

        cut.Find("[data-testid='assistant-url']").TextContent.Should().Be($"http://localhost/mcp/{Organization}");
    }

    private void Serve(Dictionary<string, string?> settings) =>
        Context.Services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
}
