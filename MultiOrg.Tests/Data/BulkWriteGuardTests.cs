using Microsoft.EntityFrameworkCore;
using MultiOrg.Domain.Errors;
using MultiOrg.Domain.Notes;
using MultiOrg.Domain.Organizations;
using MultiOrg.Domain.Security;
using MultiOrg.Domain.Support;
using MultiOrg.Domain.Tenancy;
using MultiOrg.Tests.Harness;

namespace MultiOrg.Tests.Data;

/// <summary>
/// ExecuteUpdate and ExecuteDelete skip SaveChanges and its guard: a read-only impersonation is refused them on
/// organization data at the database command, as a tracked change is refused at the save.
/// </summary>
public sealed class BulkWriteGuardTests : IDisposable
{
    private readonly TestDatabase database = new();

    public void Dispose() => database.Dispose();

    [Fact]
    public async Task A_bulk_update_or_delete_of_organization_data_under_a_read_only_impersonation_is_refused()
    {
        var organizationId = await OrganizationWithNoteAsync();

        await using var db = database.CreateContext(Impersonating(organizationId, writeEnabled: false));
        var update = () => db.OrganizationNotes.ExecuteUpdateAsync(s => s.SetProperty(n => n.Text, "defaced"));
        var delete = () => db.OrganizationNotes.ExecuteDeleteAsync();
        var stamp = () => db.OrganizationMembers.Where(m => m.OrganizationId == organizationId).ExecuteUpdateAsync(s => s.SetProperty(m => m.LastActiveAt, DateTime.UtcNow));

        (await update.Should().ThrowAsync<DomainException>()).Which.Message.Should().Be(DomainMessages.ReadOnlyImpersonation);
        (await delete.Should().ThrowAsync<DomainException>()).Which.Kind.Should().Be(DomainErrorKind.Forbidden);
        await stamp.Should().ThrowAsync<DomainException>();
        await using var check = database.CreateContext(Member(organizationId));
        (await check.OrganizationNotes.Select(n => n.Text).ToListAsync()).Should().Equal("kept");
    }

    [Fact]
    public async Task A_write_enabled_impersonation_and_a_member_still_write_in_bulk_and_a_read_only_one_ends_its_own_sessions()
    {
        var organizationId = await OrganizationWithNoteAsync();

        await using (var writer = database.CreateContext(Impersonating(organizationId, writeEnabled: true)))
        {
            (await writer.OrganizationNotes.ExecuteUpdateAsync(s => s.SetProperty(n => n.Text, "edited by support"))).Should().Be(1);
        }

        await using (var member = database.CreateContext(Member(organizationId)))
        {
            (await member.OrganizationNotes.ExecuteDeleteAsync()).Should().Be(1);
        }

        // A person's own sessions are not organization data: signing out stays possible during a read-only impersonation.
        await using var readOnly = database.CreateContext(Impersonating(organizationId, writeEnabled: false));
        var ended = await readOnly.Set<UserSession>().Where(s => s.UserId == "support-user" && s.EndedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.EndedAt, DateTime.UtcNow));
        ended.Should().Be(0);
    }

    private async Task<Guid> OrganizationWithNoteAsync()
    {
        var organization = new Organization { Name = "Impersonated" };
        await using (var db = database.CreateContext())
        {
            db.Organizations.Add(organization);
            await db.SaveChangesAsync();
        }

        await using (var db = database.CreateContext(Member(organization.Id)))
        {
            db.OrganizationNotes.Add(new OrganizationNote { Text = "kept", AuthorUserId = "member" });
            await db.SaveChangesAsync();
        }

        return organization.Id;
    }

    private static TenantContext Member(Guid organizationId)
    {
        var tenant = new TenantContext();
        tenant.SetUser("member");
        tenant.Enter(organizationId, "Impersonated", OrganizationRole.Member);
        return tenant;
    }

    private static TenantContext Impersonating(Guid organizationId, bool writeEnabled)
    {
        var tenant = new TenantContext();
        tenant.SetUser("support-user");
        tenant.BeginImpersonation(new ImpersonationGrant(Guid.NewGuid(), organizationId, "Impersonated", "ticket 42", DateTime.UtcNow.AddHours(1), writeEnabled));
        return tenant;
    }
}
