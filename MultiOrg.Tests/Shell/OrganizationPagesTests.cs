using MultiOrg.Domain.Organizations;
using MultiOrg.Web.Shell;

namespace MultiOrg.Tests.Shell;

/// <summary>Where a switch lands: the same page where the person's role in the new organization opens it, else its dashboard.</summary>
public sealed class OrganizationPagesTests
{
    private static readonly Guid From = Guid.NewGuid();

    private static string Page(string rest) => $"https://app.example/organizations/{From}/{rest}";

    [Theory]
    [InlineData("members", OrganizationRole.Member, "members")]
    [InlineData("settings", OrganizationRole.Member, "settings")]
    [InlineData("settings/security", OrganizationRole.Admin, "settings/security")]
    [InlineData("audit", OrganizationRole.Admin, "audit")]
    [InlineData("audit", OrganizationRole.Member, "dashboard")]
    [InlineData("billing", OrganizationRole.Member, "dashboard")]
    [InlineData("partner", OrganizationRole.Owner, "dashboard")]
    [InlineData("billing/statements/01a24f43-bd66-768e-92d8-a51173e0793c", OrganizationRole.Owner, "dashboard")]
    [InlineData("members?search=olivia", OrganizationRole.Member, "members")]
    [InlineData("no-such-page", OrganizationRole.Owner, "dashboard")]
    public void A_switch_keeps_the_page_the_new_role_may_open_and_else_opens_the_dashboard(string from, OrganizationRole role, string expected)
    {
        var target = new OrganizationSummary(Guid.NewGuid(), "Target", role);

        OrganizationPages.AfterSwitch(Page(from), target).Should().Be($"/organizations/{target.Id}/{expected}");
    }

    [Fact]
    public void The_partner_dashboard_is_kept_only_into_another_partner()
    {
        var partner = new OrganizationSummary(Guid.NewGuid(), "Partner", OrganizationRole.Admin, OrganizationKind.Partner);

        OrganizationPages.AfterSwitch(Page("partner"), partner).Should().Be($"/organizations/{partner.Id}/partner");
    }

    [Fact]
    public void A_switch_from_outside_an_organization_opens_the_dashboard()
    {
        var target = new OrganizationSummary(Guid.NewGuid(), "Target", OrganizationRole.Owner);

        OrganizationPages.AfterSwitch("https://app.example/directory", target).Should().Be(OrganizationRoute.Dashboard(target.Id));
    }
}
