using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using MultiOrg.Data;
using MultiOrg.Domain.Audit;
using MultiOrg.Domain.Errors;
using MultiOrg.Domain.Joining;
using MultiOrg.Domain.Organizations;
using MultiOrg.Domain.Security;
using MultiOrg.Domain.SingleSignOn;
using MultiOrg.Domain.Tenancy;
using MultiOrg.Domain.Users;
using MultiOrg.Tests.Harness;
using MultiOrg.Web.Features.SingleSignOn;

namespace MultiOrg.Tests.SingleSignOn;

/// <summary>An organization's single sign-on settings, where an address is sent, and who joins by signing in.</summary>
public sealed class SingleSignOnTests : IDisposable
{
    private const string Secret = "provider-secret-7f3c9a1e-do-not-show";

    private readonly TestWorld world = new();
    private readonly ISsoSecretProtector protector = new DataProtectionSsoSecretProtector(new EphemeralDataProtectionProvider());

    public void Dispose() => world.Dispose();

    private SingleSignOnService Sso(Actor actor, OutboundAddresses? outbound = null) =>
        actor.Create<SingleSignOnService>(protector, TimeProvider.System, outbound ?? OutboundAddresses.PublicOnly);

    private SsoLookup Lookup() => world.Unscoped<SsoLookup>(protector);

    private SsoProvisioning Provisioning() => world.Unscoped<SsoProvisioning>(TimeProvider.System);

    private static SsoSettingsInput Settings(
        string authority = "https://login.acme.example", string? secret = Secret, string[]? domains = null, bool enabled = true, bool required = false,
        OrganizationRole role = OrganizationRole.Member) =>
        new(authority, "multiorg", secret, domains ?? ["acme.example"], enabled, required, role);

    /// <summary>
    /// Acme, whose owner claimed acme.example (their own confirmed address is there) and, unless told otherwise, proved it
    /// by its DNS TXT record.
    /// </summary>
    private async Task<(Actor Owner, Guid Acme)> AcmeAsync(string name = "Acme", string domain = "acme.example", bool provedByDns = true)
    {
        var owner = await world.CreateUserAsync("Olivia", $"olivia.{Guid.NewGuid():N}@{domain}");
        var organization = await owner.Organizations.CreateAsync(name);
        await owner.Create<JoinPolicyService>(TimeProvider.System)
            .AddDomainAsync(domain);
        if (provedByDns)
        {
            (await DnsProofs.ProveAsync(world, owner, domain)).Outcome.Should().Be(DomainCheckOutcome.Verified);
        }

        return (owner, organization.Id);
    }

    private static async Task<DomainException> Refused(Func<Task> act) => (await act.Should().ThrowAsync<DomainException>()).Which;

    [Fact]
    public async Task The_client_secret_is_stored_encrypted_and_never_shown_or_audited()
    {
        var (owner, acme) = await AcmeAsync();

        var view = await Sso(owner).SaveAsync(Settings());

        view.ClientSecretSet.Should().BeTrue();
        view.ToString().Should().NotContain(Secret);
        await using var db = world.Database.CreateContext();
        var stored = await db.Set<SsoConnection>().IgnoreQueryFilters().SingleAsync(c => c.OrganizationId == acme);
        stored.ProtectedClientSecret.Should().NotContain(Secret).And.NotBeEmpty();
        protector.Unprotect(stored.ProtectedClientSecret).Should().Be(Secret, "the sign-in handler decrypts it");
        var audit = await owner.Audit.ListAsync(new AuditQuery(Action: "SsoConnection"));
        audit.Items.Should().ContainSingle().Which.Changes.Should().Contain("login.acme.example").And.NotContain(Secret).And.NotContain(stored.ProtectedClientSecret);
    }

    [Fact]
    public async Task Saving_again_without_a_secret_keeps_the_stored_one_and_raises_the_version()
    {
        var (owner, acme) = await AcmeAsync();
        await Sso(owner).SaveAsync(Settings());
        var first = await Lookup().GetClientAsync(acme);

        await Sso(owner).SaveAsync(Settings(secret: null, required: true));

        var second = await Lookup().GetClientAsync(acme);
        second!.ClientSecret.Should().Be(Secret);
        second.Version.Should().Be(first!.Version + 1, "every server builds a new sign-in handler from the new settings");
        (await Lookup().FindForEmailAsync("ana@ACME.example"))!.Required.Should().BeTrue();
    }

    [Theory]
    [InlineData("http://login.acme.example", "authority", "https://")]
    [InlineData("not a url", "authority", "provider's address")]
    [InlineData("https://login.acme.example/?tenant=1", "authority", "provider's address")]
    public async Task A_bad_authority_is_refused_naming_the_field(string authority, string field, string message)
    {
        var (owner, _) = await AcmeAsync();

        var error = await Refused(() => Sso(owner).SaveAsync(Settings(authority: authority)));

        error.Field.Should().Be(field);
        error.Message.Should().Contain(message);
        (await Sso(owner).GetAsync()).Configured.Should().BeFalse("nothing of a refused save is written");
    }

    [Theory]
    [InlineData("http://127.0.0.1:5055/", "https://")]
    [InlineData("http://localhost:5055/", "https://")]
    [InlineData("https://127.0.0.1:5055/", "private network")]
    [InlineData("https://10.0.0.5/", "private network")]
    [InlineData("https://[::ffff:192.168.1.1]/", "private network")]
    public async Task A_provider_in_a_private_network_is_refused_unless_the_operator_allows_it(string authority, string message)
    {
        var (owner, _) = await AcmeAsync();

        var error = await Refused(() => Sso(owner).SaveAsync(Settings(authority: authority)));

        error.Field.Should().Be("authority");
        error.Message.Should().Contain(message);
        (await Sso(owner, OutboundAddresses.FromSetting(["127.0.0.0/8", "10.0.0.0/8", "192.168.0.0/16"])).SaveAsync(Settings(authority: authority)))
            .Authority.Should().Be(authority, "plain http and private addresses are accepted inside the networks the operator allows");
    }

    [Fact]
    public async Task Single_sign_on_takes_only_domains_the_organization_proved_by_dns()
    {
        var (owner, _) = await AcmeAsync();
        var (globexOwner, _) = await AcmeAsync("Globex", "globex.example");

        var unverified = await Refused(() => Sso(owner).SaveAsync(Settings(domains: ["globex.example"])));
        unverified.Field.Should().Be("domains");
        unverified.Message.Should().Contain("globex.example is not DNS-verified for this organization");

        // Initech's owner also has a confirmed address at acme.example (a shared domain): that claim opens auto-join, not
        // single sign-on, whoever saves first.
        var (initech, _) = await AcmeAsync("Initech", "acme.example", provedByDns: false);
        var weak = await Refused(() => Sso(initech).SaveAsync(Settings()));
        weak.Field.Should().Be("domains");
        weak.Message.Should().Contain("acme.example is not DNS-verified for this organization");
        (await Sso(initech).GetAsync()).VerifiedDomains.Should().BeEmpty("the settings offer only DNS-verified domains");
        (await Sso(owner).SaveAsync(Settings())).Domains.Should().Equal("acme.example");
        (await Sso(globexOwner).SaveAsync(Settings(domains: ["globex.example"]))).Domains.Should().Equal("globex.example");
    }

    [Fact]
    public async Task Only_an_owner_changes_single_sign_on_an_admin_reads_it_and_a_member_sees_nothing()
    {
        var (owner, acme) = await AcmeAsync();
        var admin = await world.JoinAsync(owner, acme, "Adam", OrganizationRole.Admin);
        var member = await world.JoinAsync(owner, acme, "Mia", OrganizationRole.Member);
        await Sso(owner).SaveAsync(Settings());

        (await Refused(() => Sso(admin).SaveAsync(Settings()))).Kind.Should().Be(DomainErrorKind.Forbidden);
        (await Refused(() => Sso(admin).RemoveAsync())).Kind.Should().Be(DomainErrorKind.Forbidden);
        var read = await Sso(admin).GetAsync();
        read.CanEdit.Should().BeFalse();
        read.Authority.Should().Be("https://login.acme.example");
        (await Refused(() => Sso(member).GetAsync())).Kind.Should().Be(DomainErrorKind.Forbidden);
    }

    [Fact]
    public async Task New_people_can_join_as_member_or_admin_but_never_as_owner()
    {
        var (owner, _) = await AcmeAsync();

        var error = await Refused(() => Sso(owner).SaveAsync(Settings(role: OrganizationRole.Owner)));

        error.Field.Should().Be("defaultRole");
    }

    [Fact]
    public async Task An_address_is_sent_to_the_provider_of_its_domain_only_while_it_is_turned_on()
    {
        var (owner, acme) = await AcmeAsync();
        await Sso(owner).SaveAsync(Settings());

        var route = await Lookup().FindForEmailAsync("Ana@Acme.Example");
        route.Should().BeEquivalentTo(new { OrganizationId = acme, Domain = "acme.example", Required = false });
        (await Lookup().FindForEmailAsync("ana@sub.acme.example")).Should().BeNull("a subdomain is another domain");
        (await Lookup().FindForEmailAsync("ana@other.example")).Should().BeNull();

        await Sso(owner).SaveAsync(Settings(enabled: false, secret: null));
        (await Lookup().FindForEmailAsync("ana@acme.example")).Should().BeNull("turned off, people sign in with passwords");
        (await Lookup().GetClientAsync(acme)).Should().BeNull();

        await Sso(owner).SaveAsync(Settings(secret: null));
        await Sso(owner).RemoveAsync();
        (await Lookup().FindForEmailAsync("ana@acme.example")).Should().BeNull("removed");
    }

    private static AppUser NewAccount(string email) =>
        new() { UserName = email, Email = email, NormalizedEmail = email.ToUpperInvariant(), NormalizedUserName = email.ToUpperInvariant() };

    private static SsoIdentity Vouched(string email, string subject = "subject-1") => new("https://login.acme.example/", subject, email);

    [Fact]
    public async Task The_first_sign_in_creates_the_account_and_membership_with_the_default_role_and_later_ones_change_nothing()
    {
        var (owner, acme) = await AcmeAsync();
        await Sso(owner).SaveAsync(Settings(role: OrganizationRole.Admin));
        var client = (await Lookup().GetClientAsync(acme))!;

        var first = await Provisioning().SignInAsync(Vouched("ana@acme.example"), client, NewAccount("ana@acme.example"), null);
        var ana = first.User!.Id;
        await owner.Members.ChangeRoleAsync(ana, OrganizationRole.Member);
        var second = await Provisioning().SignInAsync(Vouched("ana@acme.example"), client, NewAccount("ana@acme.example"), null);

        first.Join.Should().BeEquivalentTo(new { Joined = true, Role = OrganizationRole.Admin, OrganizationName = "Acme" });
        second.User!.Id.Should().Be(ana, "the provider's issuer and subject find the account it created");
        second.Join.Should().BeEquivalentTo(new { Joined = false, Role = OrganizationRole.Member }, "a sign-in never changes a member's role");
        (await world.RolesAsync(acme))[ana].Should().Be(OrganizationRole.Member);
        var audit = await owner.Audit.ListAsync(new AuditQuery(Action: "OrganizationMember.created"));
        audit.Items.Should().Contain(e => e.Changes.Contains(ana));
    }

    [Fact]
    public async Task An_existing_account_is_linked_only_for_its_signed_in_holder_and_only_to_the_address_it_holds()
    {
        var (owner, acme) = await AcmeAsync();
        await Sso(owner).SaveAsync(Settings());
        var client = (await Lookup().GetClientAsync(acme))!;
        var ana = await world.CreateUserAsync("Ana", "ana@acme.example");
        var bob = await world.CreateUserAsync("Bob", "bob@acme.example");

        var claimed = await Provisioning().SignInAsync(Vouched("ana@acme.example"), client, NewAccount("ana@acme.example"), null);
        var otherAddress = await Provisioning().SignInAsync(Vouched("bob@acme.example"), client, NewAccount("bob@acme.example"), ana.UserId);
        var connected = await Provisioning().SignInAsync(Vouched("ana@acme.example"), client, NewAccount("ana@acme.example"), ana.UserId);

        claimed.Refusal.Should().Be(SsoRefusal.AccountExists, "an address the provider vouches for is no proof of holding the account");
        otherAddress.Refusal.Should().Be(SsoRefusal.OtherAddress);
        connected.User!.Id.Should().Be(ana.UserId);
        await using var db = world.Database.CreateContext();
        (await db.UserLogins.Select(l => new { l.UserId, l.ProviderKey }).ToListAsync()).Should()
            .Equal(new { ana.UserId, ProviderKey = "https://login.acme.example/#subject-1" });
        (await world.RolesAsync(acme)).Should().ContainKey(ana.UserId).And.NotContainKey(bob.UserId);
    }

    [Fact]
    public async Task A_full_organization_refuses_the_sign_in_and_keeps_no_account_link_or_membership()
    {
        var (owner, acme) = await AcmeAsync();
        await Sso(owner).SaveAsync(Settings());
        for (var i = 1; i < world.Plans.Default.IncludedSeats; i++)
        {
            await world.JoinAsync(owner, acme, $"Member {i}", OrganizationRole.Member);
        }

        var client = (await Lookup().GetClientAsync(acme))!;
        var outcome = await Provisioning().SignInAsync(Vouched("ana@acme.example"), client, NewAccount("ana@acme.example"), null);

        outcome.Refusal.Should().Be(SsoRefusal.SeatLimit);
        await using var db = world.Database.CreateContext();
        (await db.Users.AnyAsync(u => u.Email == "ana@acme.example")).Should().BeFalse("the account, the link and the membership are one unit");
        (await db.UserLogins.AnyAsync()).Should().BeFalse();
    }
}
