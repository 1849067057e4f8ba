using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using MultiOrg.Data;
using MultiOrg.Domain.Audit;
using MultiOrg.Domain.Clients;
using MultiOrg.Domain.Errors;
using MultiOrg.Domain.Organizations;
using MultiOrg.Tests.Harness;

namespace MultiOrg.Tests.Audit;

public sealed class AuditLogTests : IDisposable
{
    private readonly TestWorld world = new();

    public void Dispose() => world.Dispose();

    private async Task<(Actor Owner, Actor Member, Guid OrganizationId)> OrganizationAsync()
    {
        var owner = await world.CreateUserAsync("Olivia");
        var member = await world.CreateUserAsync("Mia");
        var organization = await owner.Organizations.CreateAsync("Audited Inc");
        await owner.Members.AddByEmailAsync(member.Email);
        return (owner, member, organization.Id);
    }

    [Fact]
    public async Task Creating_an_organization_and_adding_a_member_are_logged_in_order_with_the_actor()
    {
        var (owner, member, _) = await OrganizationAsync();

        var log = (await owner.Audit.ListAsync(new AuditQuery())).Items.OrderBy(e => e.Sequence).ToList();

        log.Select(e => e.Action).Should().Equal("Organization.created", "OrganizationMember.created", "OrganizationMember.created");
        log.Should().OnlyContain(e => e.ActorUserId == owner.UserId);
        JsonDocument.Parse(log[2].Changes).RootElement.GetProperty("UserId")[1].GetString().Should().Be(member.UserId);
    }

    [Fact]
    public async Task Unrelated_saves_to_one_organization_at_the_same_instant_all_land_in_one_unbroken_chain()
    {
        var (owner, member, organizationId) = await OrganizationAsync();
        var tabs = new List<Actor>();
        for (var i = 0; i < 12; i++)
        {
            var tab = world.NewScope(i % 2 == 0 ? owner.UserId : member.UserId, i % 2 == 0 ? owner.Email : member.Email);
            await tab.Organizations.EnterAsync(organizationId);
            tabs.Add(tab);
        }

        // Note saves run without a transaction of their own: the context must queue them on the chain's tail.
        await Task.WhenAll(tabs.Select((tab, i) => tab.Notes.AddAsync($"Note {i}")));

        var log = await owner.Audit.ListAsync(new AuditQuery(PageSize: 100));
        log.Items.Select(e => e.Sequence).Should().BeEquivalentTo(Enumerable.Range(1, 15).Select(i => (long)i));
        log.Items.Count(e => e.Action == "OrganizationNote.created").Should().Be(12);
        (await owner.Audit.VerifyAsync()).Intact.Should().BeTrue();
    }

    [Fact]
    public async Task A_role_change_writes_exactly_one_entry_with_before_and_after()
    {
        var (owner, member, _) = await OrganizationAsync();
        var before = (await owner.Audit.ListAsync(new AuditQuery())).Total;

        await owner.Members.ChangeRoleAsync(member.UserId, OrganizationRole.Admin);

        var log = await owner.Audit.ListAsync(new AuditQuery());
        log.Total.Should().Be(before + 1);
        var entry = log.Items[0];
        entry.Action.Should().Be("OrganizationMember.updated");
        var role = JsonDocument.Parse(entry.Changes).RootElement.GetProperty("Role");
        role[0].GetString().Should().Be("Member");
        role[1].GetString().Should().Be("Admin");
    }

    [Fact]
    public async Task A_refused_change_writes_nothing()
    {
        var (owner, _, _) = await OrganizationAsync();
        var before = (await owner.Audit.ListAsync(new AuditQuery())).Total;

        var act = () => owner.Members.LeaveAsync();

        await act.Should().ThrowAsync<DomainException>();
        (await owner.Audit.ListAsync(new AuditQuery())).Total.Should().Be(before);
    }

    [Fact]
    public async Task The_chain_verifies_and_a_tampered_entry_is_reported_with_its_sequence()
    {
        var (owner, member, organizationId) = await OrganizationAsync();
        await owner.Members.ChangeRoleAsync(member.UserId, OrganizationRole.Admin);
        (await owner.Audit.VerifyAsync()).Should().Be(new AuditVerification(true, 4, null, null));

        await using (var db = world.Database.CreateContext())
        {
            await db.Database.ExecuteSqlInterpolatedAsync(
                $"UPDATE \"AuditEntries\" SET \"Changes\" = '{{}}' WHERE \"OrganizationId\" = {organizationId} AND \"Sequence\" = 2");
        }

        var result = await owner.Audit.VerifyAsync();
        result.Intact.Should().BeFalse();
        result.FirstBrokenSequence.Should().Be(2);
        result.Problem.Should().Contain("changed after it was written");
    }

    [Fact]
    public async Task Audit_entries_cannot_be_changed_through_the_application()
    {
        var (owner, _, organizationId) = await OrganizationAsync();
        var tenant = new MultiOrg.Domain.Tenancy.TenantContext();
        tenant.SetUser(owner.UserId);
        tenant.Enter(organizationId, "", OrganizationRole.Owner);
        await using var db = world.Database.CreateContext(tenant);
        var entry = await db.AuditEntries.FirstAsync();

        entry.Action = "nothing.happened";
        var act = () => db.SaveChangesAsync();

        await act.Should().ThrowAsync<TenantViolationException>().WithMessage("*append-only*");
    }

    [Fact]
    public async Task Members_cannot_read_the_log_and_each_organization_has_its_own_chain()
    {
        var (owner, member, _) = await OrganizationAsync();
        var other = await owner.Organizations.CreateAsync("Second audited");
        await member.Organizations.EnterAsync((await member.Organizations.ListMineAsync()).Single().Id);

        var byMember = () => member.Audit.ListAsync(new AuditQuery());

        (await byMember.Should().ThrowAsync<DomainException>()).Which.Kind.Should().Be(DomainErrorKind.Forbidden);
        var secondLog = await owner.Audit.ListAsync(new AuditQuery());
        owner.Tenant.OrganizationId.Should().Be(other.Id);
        secondLog.Items.Select(e => e.Sequence).Should().Equal(2, 1);
    }

    [Fact]
    public async Task Onboarding_a_client_is_one_entry_in_the_clients_log()
    {
        var owner = await world.CreateUserAsync("Paula");
        var partner = await owner.Organizations.CreateAsync("Partner");
        await world.MakePartnerAsync(partner.Id);

        var client = await owner.Onboarding.CreateFromTemplatesAsync(new TemplateOnboarding("Logged Client", "US"));
        await owner.Organizations.EnterAsync(client.OrganizationId);

        var log = await owner.Audit.ListAsync(new AuditQuery());
        log.Items.Should().ContainSingle().Which.Action.Should().Be("client.onboarded");
    }

    [Fact]
    public async Task The_csv_export_neutralises_spreadsheet_formulas()
    {
        var owner = await world.CreateUserAsync("=SUM(1+1)");
        await owner.Organizations.CreateAsync("Formula Ltd");

        var csv = await owner.Audit.ExportCsvAsync(new AuditQuery());

        using var reader = new CsvHelper.CsvReader(new StringReader(csv), System.Globalization.CultureInfo.InvariantCulture);
        var cells = new List<string>();
        while (reader.Read())
        {
            cells.AddRange(reader.Parser.Record!);
        }

        cells.Should().Contain("Organization.created");
        cells.Should().Contain(cell => cell.Contains("SUM(1+1)"), "the actor's name is exported");
        cells.Should().NotContain(cell => cell.StartsWith('=') || cell.StartsWith('+') || cell.StartsWith('-') || cell.StartsWith('@'));
    }
}
