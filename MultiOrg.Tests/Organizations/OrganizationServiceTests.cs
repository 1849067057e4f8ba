using Microsoft.EntityFrameworkCore;
using MultiOrg.Domain.Errors;
using MultiOrg.Domain.Organizations;
using MultiOrg.Tests.Harness;

namespace MultiOrg.Tests.Organizations;

public sealed class OrganizationServiceTests : IDisposable
{
    private readonly TestWorld world = new();

    public void Dispose() => world.Dispose();

    [Fact]
    public async Task An_organizations_own_api_key_lists_it_as_reached_directly_never_via_a_partner()
    {
        var (olivia, acme) = await world.OrganizationAsync("Acme");
        var key = world.NewScope(olivia.UserId, olivia.Email);
        key.Get<MultiOrg.Domain.Tenancy.OrganizationDoor>().Admit(
            MultiOrg.Domain.Tenancy.Caller.Key(new MultiOrg.Domain.ApiKeys.ApiKeyIdentity(Guid.NewGuid(), acme, OrganizationRole.Admin, olivia.UserId, "Nightly sync")),
            MultiOrg.Domain.Tenancy.Door.ApiKey, clientIp: null);

        var listed = await key.Organizations.ListMineAsync();

        listed.Should().ContainSingle().Which.Should().Match<OrganizationSummary>(o => o.Id == acme && !o.ViaPartner && o.PartnerId == null,
            "Acme is no partner's client: its own key reaches it as itself");
    }

    [Fact]
    public async Task Creator_becomes_owner_and_the_new_organization_is_current_and_last_used()
    {
        var alice = await world.CreateUserAsync("Alice");

        var created = await alice.Organizations.CreateAsync("  Acme Corp  ");

        created.Name.Should().Be("Acme Corp");
        created.Role.Should().Be(OrganizationRole.Owner);
        alice.Tenant.OrganizationId.Should().Be(created.Id);
        alice.Tenant.Role.Should().Be(OrganizationRole.Owner);
        await using var db = world.Database.CreateContext();
        (await db.Users.SingleAsync(u => u.Id == alice.UserId)).LastOrganizationId.Should().Be(created.Id);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public async Task Blank_name_is_refused_naming_the_field_and_nothing_is_written(string? name)
    {
        var alice = await world.CreateUserAsync("Alice");

        var act = () => alice.Organizations.CreateAsync(name);

        (await act.Should().ThrowAsync<DomainException>())
            .Which.Should().Match<DomainException>(e => e.Kind == DomainErrorKind.Validation && e.Field == "name" && e.Message == "Name is required.");
        await using var db = world.Database.CreateContext();
        (await db.Organizations.CountAsync()).Should().Be(0);
    }

    [Fact]
    public async Task Name_longer_than_200_characters_is_refused_and_200_is_accepted()
    {
        var alice = await world.CreateUserAsync("Alice");

        var tooLong = () => alice.Organizations.CreateAsync(new string('x', 201));
        (await tooLong.Should().ThrowAsync<DomainException>()).Which.Message.Should().Be("Name must be at most 200 characters.");

        var exact = await alice.Organizations.CreateAsync(new string('x', 200));
        exact.Name.Should().HaveLength(200);
    }

    [Fact]
    public async Task Unicode_and_markup_are_stored_exactly_as_typed()
    {
        var alice = await world.CreateUserAsync("Alice");
        const string name = "Ünïcødé 会社 <script>alert('x')</script> & \"quotes\"";

        var created = await alice.Organizations.CreateAsync(name);

        (await alice.Organizations.GetCurrentAsync()).Name.Should().Be(name);
        created.Name.Should().Be(name);
    }

    [Fact]
    public async Task List_mine_shows_each_organization_with_my_role_there_alphabetically()
    {
        var alice = await world.CreateUserAsync("Alice");
        var bob = await world.CreateUserAsync("Bob");
        await alice.Organizations.CreateAsync("zeta");
        var beta = await bob.Organizations.CreateAsync("Beta");
        await bob.Members.AddByEmailAsync(alice.Email, OrganizationRole.Admin);
        await bob.Organizations.CreateAsync("Bob only");

        var mine = await alice.Organizations.ListMineAsync();

        mine.Select(o => (o.Name, o.Role)).Should().Equal(("Beta", OrganizationRole.Admin), ("zeta", OrganizationRole.Owner));
        mine.Should().Contain(o => o.Id == beta.Id);
    }

    [Fact]
    public async Task A_non_member_cannot_enter_switch_to_or_read_an_organization()
    {
        var alice = await world.CreateUserAsync("Alice");
        var mallory = await world.CreateUserAsync("Mallory");
        var acme = await alice.Organizations.CreateAsync("Acme");

        var enter = () => mallory.Organizations.EnterAsync(acme.Id);
        var @switch = () => mallory.Organizations.SwitchAsync(acme.Id);

        (await enter.Should().ThrowAsync<DomainException>()).Which.Should()
            .Match<DomainException>(e => e.Kind == DomainErrorKind.Forbidden && e.Message == "You don't have access to this organization");
        await @switch.Should().ThrowAsync<DomainException>();
        mallory.Tenant.OrganizationId.Should().BeNull();
    }

    [Fact]
    public async Task Switching_persists_last_used_and_the_user_context_starts_there()
    {
        var alice = await world.CreateUserAsync("Alice");
        var first = await alice.Organizations.CreateAsync("First");
        await alice.Organizations.CreateAsync("Second");

        await alice.Organizations.SwitchAsync(first.Id);

        var newTab = world.NewScope(alice.UserId, alice.Email);
        var context = await newTab.Organizations.GetUserContextAsync();
        context.CurrentOrganization!.Id.Should().Be(first.Id);
        context.Organizations.Should().HaveCount(2);
    }

    [Fact]
    public async Task Entering_in_one_tab_does_not_change_another_tab()
    {
        var alice = await world.CreateUserAsync("Alice");
        var first = await alice.Organizations.CreateAsync("First");
        var second = await alice.Organizations.CreateAsync("Second");
        var otherTab = world.NewScope(alice.UserId, alice.Email);
        await otherTab.Organizations.EnterAsync(first.Id);

        await alice.Organizations.SwitchAsync(second.Id);

        otherTab.Tenant.OrganizationId.Should().Be(first.Id);
        alice.Tenant.OrganizationId.Should().Be(second.Id);
    }

    [Fact]
    public async Task When_the_last_used_organization_is_gone_the_context_falls_back_to_the_first_available_then_none()
    {
        var alice = await world.CreateUserAsync("Alice");
        var bob = await world.CreateUserAsync("Bob");
        var bobs = await bob.Organizations.CreateAsync("Bob's");
        await bob.Members.AddByEmailAsync(alice.Email);
        await alice.Organizations.CreateAsync("Alice's");

        await alice.Organizations.DeleteAsync();

        (await alice.Organizations.GetUserContextAsync()).CurrentOrganization!.Id.Should().Be(bobs.Id);
        await bob.Members.RemoveAsync(alice.UserId);
        (await alice.Organizations.GetUserContextAsync()).CurrentOrganization.Should().BeNull();
    }

    [Fact]
    public async Task Update_trims_and_validates_and_is_refused_to_members()
    {
        var alice = await world.CreateUserAsync("Alice");
        var mia = await world.CreateUserAsync("Mia");
        var acme = await alice.Organizations.CreateAsync("Acme");
        await alice.Members.AddByEmailAsync(mia.Email);
        await mia.Organizations.EnterAsync(acme.Id);

        (await alice.Organizations.UpdateAsync("  Acme Ltd ")).Name.Should().Be("Acme Ltd");
        var byMember = () => mia.Organizations.UpdateAsync("Hijacked");

        (await byMember.Should().ThrowAsync<DomainException>()).Which.Kind.Should().Be(DomainErrorKind.Forbidden);
        (await alice.Organizations.GetCurrentAsync()).Name.Should().Be("Acme Ltd");
    }

    [Fact]
    public async Task Delete_cascades_members_and_data_and_clears_last_used_for_everyone()
    {
        var alice = await world.CreateUserAsync("Alice");
        var bob = await world.CreateUserAsync("Bob");
        var acme = await alice.Organizations.CreateAsync("Acme");
        await alice.Members.AddByEmailAsync(bob.Email);
        await alice.Notes.AddAsync("Quarter close on the 28th");
        await bob.Organizations.SwitchAsync(acme.Id);

        await alice.Organizations.DeleteAsync();

        await using var db = world.Database.CreateContext();
        (await db.Organizations.AnyAsync(o => o.Id == acme.Id)).Should().BeFalse();
        (await db.OrganizationMembers.AnyAsync(m => m.OrganizationId == acme.Id)).Should().BeFalse();
        (await db.OrganizationNotes.IgnoreQueryFilters().AnyAsync(n => n.OrganizationId == acme.Id)).Should().BeFalse();
        (await db.Users.CountAsync(u => u.LastOrganizationId == acme.Id)).Should().Be(0);
        alice.Tenant.OrganizationId.Should().BeNull();
    }

    [Fact]
    public async Task Only_an_owner_can_delete()
    {
        var alice = await world.CreateUserAsync("Alice");
        var adam = await world.CreateUserAsync("Adam");
        var acme = await alice.Organizations.CreateAsync("Acme");
        await alice.Members.AddByEmailAsync(adam.Email, OrganizationRole.Admin);
        await adam.Organizations.EnterAsync(acme.Id);

        var act = () => adam.Organizations.DeleteAsync();

        (await act.Should().ThrowAsync<DomainException>()).Which.Kind.Should().Be(DomainErrorKind.Forbidden);
        await using var db = world.Database.CreateContext();
        (await db.Organizations.AnyAsync(o => o.Id == acme.Id)).Should().BeTrue();
    }
}
