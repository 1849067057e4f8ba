using Microsoft.EntityFrameworkCore;
using MultiOrg.Domain.Errors;
using MultiOrg.Domain.Joining;
using MultiOrg.Domain.Organizations;
using MultiOrg.Domain.Users;
using MultiOrg.Tests.Harness;

namespace MultiOrg.Tests.Joining;

/// <summary>Join policies: verified domains, open auto-join, requests an admin approves or rejects.</summary>
public sealed class JoinPolicyTests : IAsyncLifetime
{
    private readonly TestWorld world = new();
    private readonly Mailbox mailbox = new();
    private Actor owner = null!;
    private InvitationWorld owners = null!;
    private Guid organizationId;

    public async Task InitializeAsync()
    {
        owner = await world.CreateUserAsync("Olivia", "olivia@acme.example");
        organizationId = (await owner.Organizations.CreateAsync("Acme")).Id;
        owners = new InvitationWorld(world, owner, mailbox);
    }

    public Task DisposeAsync()
    {
        mailbox.Dispose();
        world.Dispose();
        return Task.CompletedTask;
    }

    private async Task<(Actor Person, InvitationWorld Services)> ConfirmAsync(string name, string email, bool confirmed = true)
    {
        var person = await world.CreateUserAsync(name, email, confirmed);
        var services = new InvitationWorld(world, person, mailbox);
        await services.AutoJoin.OnEmailConfirmedAsync(person.UserId);
        return (person, services);
    }

    [Fact]
    public async Task Open_mode_joins_confirmed_addresses_of_verified_domains_only()
    {
        await owners.Joining.AddDomainAsync("acme.example");
        await owners.Joining.SetModeAsync(MembershipMode.Open);

        var (ana, _) = await ConfirmAsync("Ana", "ana@acme.example");
        var (ben, _) = await ConfirmAsync("Ben", "ben@acme.example", confirmed: false);
        var (cat, _) = await ConfirmAsync("Cat", "cat@other.example");
        var (dan, _) = await ConfirmAsync("Dan", "dan@sub.acme.example");

        (await ana.Organizations.ListMineAsync()).Should().ContainSingle(o => o.Id == organizationId).Which.Role.Should().Be(OrganizationRole.Member);
        (await ben.Organizations.ListMineAsync()).Should().BeEmpty("an unconfirmed address proves nothing");
        (await cat.Organizations.ListMineAsync()).Should().BeEmpty("another domain");
        (await dan.Organizations.ListMineAsync()).Should().BeEmpty("a subdomain is not the verified domain");
        (await owners.Joining.ListRequestsAsync()).Should().BeEmpty();
    }

    [Fact]
    public async Task Invite_only_ignores_verified_domains()
    {
        await owners.Joining.AddDomainAsync("acme.example");

        var (ana, services) = await ConfirmAsync("Ana", "ana@acme.example");

        (await ana.Organizations.ListMineAsync()).Should().BeEmpty();
        (await owners.Joining.ListRequestsAsync()).Should().BeEmpty();
        (await services.AutoJoin.OnEmailConfirmedAsync(ana.UserId)).Should().BeEmpty();
    }

    [Fact]
    public async Task Approval_mode_files_a_request_that_an_admin_approves_or_rejects()
    {
        await owners.Joining.AddDomainAsync("acme.example");
        await owners.Joining.SetModeAsync(MembershipMode.ApprovalRequired);

        var (ana, anas) = await ConfirmAsync("Ana", "ana@acme.example");
        var (ben, _) = await ConfirmAsync("Ben", "ben@acme.example");
        (await ana.Organizations.ListMineAsync()).Should().BeEmpty("a request is not a membership");
        (await anas.AutoJoin.OnEmailConfirmedAsync(ana.UserId)).Should().BeEmpty("one request per person");

        var requests = await owners.Joining.ListRequestsAsync();
        requests.Select(r => r.Email).Should().BeEquivalentTo("ana@acme.example", "ben@acme.example");

        await owners.Joining.ApproveAsync(requests.Single(r => r.Email == "ana@acme.example").Id);
        await owners.Joining.RejectAsync(requests.Single(r => r.Email == "ben@acme.example").Id);

        (await ana.Organizations.ListMineAsync()).Should().ContainSingle(o => o.Id == organizationId).Which.Role.Should().Be(OrganizationRole.Member);
        (await ben.Organizations.ListMineAsync()).Should().BeEmpty();
        (await owners.Joining.ListRequestsAsync()).Should().BeEmpty();
        var again = () => owners.Joining.ApproveAsync(requests[0].Id);
        (await again.Should().ThrowAsync<DomainException>()).Which.Kind.Should().Be(DomainErrorKind.Conflict);

        await using var db = world.Database.CreateContext(owner.Tenant);
        (await db.AuditEntries.Select(a => a.Action).ToListAsync()).Should().Contain(["JoinRequest.created", "JoinRequest.updated", "OrganizationMember.created"]);
    }

    [Fact]
    public async Task A_domain_is_verified_by_an_owner_or_admin_with_a_confirmed_address_there_or_by_a_system_admin()
    {
        var elsewhere = () => owners.Joining.AddDomainAsync("globex.example");
        var error = (await elsewhere.Should().ThrowAsync<DomainException>()).Which;
        error.Kind.Should().Be(DomainErrorKind.Forbidden);
        error.Field.Should().Be("domain");

        var publicMail = () => owners.Joining.AddDomainAsync("gmail.com");
        (await publicMail.Should().ThrowAsync<DomainException>()).Which.Field.Should().Be("domain");
        var invalid = () => owners.Joining.AddDomainAsync("not a domain");
        (await invalid.Should().ThrowAsync<DomainException>()).Which.Message.Should().StartWith("Domain");

        (await owners.Joining.AddDomainAsync("@ACME.example")).Method.Should().Be("admin-email");
        var twice = () => owners.Joining.AddDomainAsync("acme.example");
        (await twice.Should().ThrowAsync<DomainException>()).Which.Kind.Should().Be(DomainErrorKind.Conflict);

        var sysadmin = await world.CreateUserAsync("Ada", "ada@ops.example");
        await using (var db = world.Database.CreateContext())
        {
            await db.Users.Where(u => u.Id == sysadmin.UserId).ExecuteUpdateAsync(s => s.SetProperty(u => u.GlobalRole, GlobalRole.SystemAdmin));
        }

        await owner.Members.AddByEmailAsync(sysadmin.Email, OrganizationRole.Admin);
        await sysadmin.Organizations.EnterAsync(organizationId);
        (await new InvitationWorld(world, sysadmin, mailbox).Joining.AddDomainAsync("globex.example")).Method.Should().Be("system-admin");
    }

    [Fact]
    public async Task Another_organizations_join_request_is_not_found()
    {
        await owners.Joining.AddDomainAsync("acme.example");
        await owners.Joining.SetModeAsync(MembershipMode.ApprovalRequired);
        await ConfirmAsync("Ana", "ana@acme.example");
        var request = (await owners.Joining.ListRequestsAsync()).Single();
        var other = await world.CreateUserAsync("Oscar");
        await other.Organizations.CreateAsync("Other Corp");

        var approve = () => new InvitationWorld(world, other, mailbox).Joining.ApproveAsync(request.Id);

        (await approve.Should().ThrowAsync<DomainException>()).Which.Kind.Should().Be(DomainErrorKind.NotFound);
        (await owners.Joining.ListRequestsAsync()).Should().ContainSingle();
    }
}
