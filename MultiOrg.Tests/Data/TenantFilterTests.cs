using Microsoft.EntityFrameworkCore;
using MultiOrg.Data;
using MultiOrg.Domain.Notes;
using MultiOrg.Domain.Organizations;
using MultiOrg.Domain.Tenancy;
using MultiOrg.Tests.Harness;

namespace MultiOrg.Tests.Data;

public sealed class TenantFilterTests : IDisposable
{
    private readonly TestDatabase database = new();

    public void Dispose() => database.Dispose();

    private async Task<(Guid A, Guid B)> TwoOrganizationsWithNotesAsync()
    {
        var a = new Organization { Name = "A" };
        var b = new Organization { Name = "B" };
        await using (var db = database.CreateContext())
        {
            db.Organizations.AddRange(a, b);
            await db.SaveChangesAsync();
        }

        await AddNoteAsync(a.Id, "note of A");
        await AddNoteAsync(b.Id, "note of B");
        return (a.Id, b.Id);
    }

    private static TenantContext Tenant(Guid organizationId)
    {
        var tenant = new TenantContext();
        tenant.SetUser("test-user");
        tenant.Enter(organizationId, "", OrganizationRole.Owner);
        return tenant;
    }

    private async Task AddNoteAsync(Guid organizationId, string text)
    {
        await using var db = database.CreateContext(Tenant(organizationId));
        db.OrganizationNotes.Add(new OrganizationNote { Text = text, AuthorUserId = "test-user" });
        await db.SaveChangesAsync();
    }

    [Fact]
    public async Task One_tenant_sees_only_its_own_rows_and_the_next_tenant_only_its_own()
    {
        var (a, b) = await TwoOrganizationsWithNotesAsync();

        await using var asA = database.CreateContext(Tenant(a));
        await using var asB = database.CreateContext(Tenant(b));

        (await asA.OrganizationNotes.Select(n => n.Text).ToListAsync()).Should().Equal("note of A");
        (await asB.OrganizationNotes.Select(n => n.Text).ToListAsync()).Should().Equal("note of B");
    }

    [Fact]
    public async Task A_context_stays_in_the_organization_it_was_created_for_when_the_circuit_switches()
    {
        var (a, b) = await TwoOrganizationsWithNotesAsync();
        var tenant = Tenant(a);
        await using var db = database.CreateContext(tenant);

        tenant.Enter(b, "", OrganizationRole.Owner);
        var rows = await db.OrganizationNotes.AsNoTracking().Select(n => n.Text).ToListAsync();
        await using var next = database.CreateContext(tenant);
        var nextRows = await next.OrganizationNotes.AsNoTracking().Select(n => n.Text).ToListAsync();

        rows.Should().Equal("note of A");
        nextRows.Should().Equal("note of B");
    }

    [Fact]
    public async Task The_tenant_is_sent_as_a_parameter_never_baked_into_the_query()
    {
        var (a, _) = await TwoOrganizationsWithNotesAsync();
        await using var db = database.CreateContext(Tenant(a));

        // ToQueryString prints parameter values above the statement (".param set" on SQLite, a "-- @name=" comment on
        // PostgreSQL); the statement must not hold them.
        var statement = string.Join('\n', db.OrganizationNotes.ToQueryString().Split('\n')
            .Where(line => !line.StartsWith(".param", StringComparison.Ordinal) && !line.StartsWith("--", StringComparison.Ordinal)));

        statement.Should().Contain("\"OrganizationId\" = @ef_filter__CurrentOrganizationId");
        statement.Should().NotContainEquivalentOf(a.ToString(), "a literal tenant id would be cached for every later tenant");
    }

    [Fact]
    public async Task With_no_organization_the_filter_matches_nothing()
    {
        await TwoOrganizationsWithNotesAsync();
        await using var db = database.CreateContext();

        (await db.OrganizationNotes.CountAsync()).Should().Be(0);
    }

    [Fact]
    public async Task Inserts_are_stamped_with_the_current_organization()
    {
        var (a, _) = await TwoOrganizationsWithNotesAsync();
        var note = new OrganizationNote { Text = "stamped", AuthorUserId = "u" };
        await using var db = database.CreateContext(Tenant(a));

        db.OrganizationNotes.Add(note);
        await db.SaveChangesAsync();

        note.OrganizationId.Should().Be(a);
    }

    [Fact]
    public async Task Inserting_into_another_organization_throws_and_writes_nothing()
    {
        var (a, b) = await TwoOrganizationsWithNotesAsync();
        await using var db = database.CreateContext(Tenant(a));

        db.OrganizationNotes.Add(new OrganizationNote { OrganizationId = b, Text = "smuggled", AuthorUserId = "u" });
        var act = () => db.SaveChangesAsync();

        await act.Should().ThrowAsync<TenantViolationException>();
        await using var asB = database.CreateContext(Tenant(b));
        (await asB.OrganizationNotes.CountAsync()).Should().Be(1);
    }

    [Fact]
    public async Task Updating_or_deleting_another_organizations_row_throws()
    {
        var (a, b) = await TwoOrganizationsWithNotesAsync();
        OrganizationNote noteOfB;
        await using (var asB = database.CreateContext(Tenant(b)))
        {
            noteOfB = await asB.OrganizationNotes.AsNoTracking().SingleAsync();
        }

        await using var asA = database.CreateContext(Tenant(a));
        asA.OrganizationNotes.Attach(noteOfB);
        noteOfB.Text = "overwritten";
        var update = () => asA.SaveChangesAsync();
        await update.Should().ThrowAsync<TenantViolationException>();

        asA.ChangeTracker.Clear();
        asA.OrganizationNotes.Remove(noteOfB);
        var delete = () => asA.SaveChangesAsync();
        await delete.Should().ThrowAsync<TenantViolationException>();
    }

    [Fact]
    public async Task Moving_a_row_to_another_organization_throws()
    {
        var (a, b) = await TwoOrganizationsWithNotesAsync();
        await using var db = database.CreateContext(Tenant(a));
        var note = await db.OrganizationNotes.SingleAsync();

        note.OrganizationId = b;
        var act = () => db.SaveChangesAsync();

        await act.Should().ThrowAsync<TenantViolationException>();
    }

    [Fact]
    public async Task Saving_tenant_owned_rows_with_no_organization_selected_throws()
    {
        await using var db = database.CreateContext();
        db.OrganizationNotes.Add(new OrganizationNote { Text = "orphan", AuthorUserId = "u" });

        var act = () => db.SaveChangesAsync();

        await act.Should().ThrowAsync<TenantViolationException>();
    }

    [Fact]
    public void Every_tenant_owned_type_has_the_named_tenant_filter()
    {
        using var db = database.CreateContext();

        var tenantOwned = db.Model.GetEntityTypes().Where(t => typeof(ITenantOwned).IsAssignableFrom(t.ClrType)).ToList();

        tenantOwned.Should().NotBeEmpty();
        foreach (var entityType in tenantOwned)
        {
            entityType.GetDeclaredQueryFilters().Should().Contain(
                f => f.Key == MultiOrgDbContext.TenantFilter,
                "{0} is tenant-owned", entityType.ClrType.Name);
        }

        var domainTypes = typeof(ITenantOwned).Assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(ITenantOwned).IsAssignableFrom(t));
        domainTypes.Should().BeSubsetOf(tenantOwned.Select(t => t.ClrType), "every tenant-owned class must be mapped");
    }

    [Fact]
    public async Task Ignoring_another_named_filter_keeps_the_tenant_filter()
    {
        var (a, _) = await TwoOrganizationsWithNotesAsync();
        await using var db = database.CreateContext(Tenant(a));

        var rows = await db.OrganizationNotes.IgnoreQueryFilters(["SoftDelete"]).ToListAsync();

        rows.Should().ContainSingle().Which.OrganizationId.Should().Be(a);
    }
}
