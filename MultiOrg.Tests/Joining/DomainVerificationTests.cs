using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using MultiOrg.Data;
using MultiOrg.Domain.Audit;
using MultiOrg.Domain.Errors;
using MultiOrg.Domain.Joining;
using MultiOrg.Domain.Security;
using MultiOrg.Domain.SingleSignOn;
using MultiOrg.Domain.Tenancy;
using MultiOrg.Tests.Harness;
using MultiOrg.Web.Features.SingleSignOn;

namespace MultiOrg.Tests.Joining;

/// <summary>
/// Domains proved by a DNS TXT record, checked by the app's DnsClient lookup against the tests' real dnsmasq: what proves
/// a domain, that one organization holds a proof, and the daily re-check that lapses a proof whose record is gone.
/// </summary>
public sealed class DomainVerificationTests : IDisposable
{
    private const string Domain = "acme.example";

    /// <summary>A domain usually carries other TXT records; dnsmasq answers "refused" for a name it knows nothing of.</summary>
    private static readonly KeyValuePair<string, string> OtherRecord = new(Domain, "v=spf1 -all");

    private readonly TestWorld world = new();
    private readonly Mailbox mailbox = new();
    private readonly ISsoSecretProtector protector = new DataProtectionSsoSecretProtector(new EphemeralDataProtectionProvider());

    public void Dispose()
    {
        mailbox.Dispose();
        world.Dispose();
    }

    private JoinPolicyService Joining(Actor actor) => actor.Create<JoinPolicyService>(TimeProvider.System);

    /// <summary>An organization whose owner has a confirmed address at the domain, and its claim (not yet proved by DNS).</summary>
    private async Task<(Actor Owner, Guid OrganizationId, VerifiedDomainView Claim)> ClaimAsync(string name = "Acme", string domain = Domain)
    {
        var owner = await world.CreateUserAsync($"{name} Owner", $"owner.{Guid.NewGuid():N}@{domain}");
        var organization = await owner.Organizations.CreateAsync(name);
        var claim = await Joining(owner).AddDomainAsync(domain);
        return (owner, organization.Id, claim);
    }

    private DomainVerificationService Job(string nameServer) =>
        world.Unscoped<DomainVerificationService>(DnsProofs.Lookup(nameServer), TimeProvider.System, DnsProofs.Notices(mailbox));

    [Fact]
    public async Task A_txt_record_carrying_the_claims_token_proves_the_domain()
    {
        var (owner, _, claim) = await ClaimAsync();
        claim.DnsRecord.Should().MatchRegex("^multiorg-verification=[0-9a-f]{32}$");
        claim.DnsVerified.Should().BeFalse("a confirmed address is the weaker claim");
        await using var dns = await DnsServer.StartAsync(txtRecords: [OtherRecord, new(Domain, claim.DnsRecord!)]);

        var result = await DnsProofs.Service(world, owner, dns.NameServer).CheckAsync(claim.Id);

        result.Outcome.Should().Be(DomainCheckOutcome.Verified, result.Message);
        result.Message.Should().Be("acme.example is DNS-verified: it can now be used for single sign-on.");
        (await Joining(owner).GetAsync()).Domains.Single().Should().BeEquivalentTo(new { DnsVerified = true, Method = "admin-email" });
        var again = await DnsProofs.Service(world, owner, dns.NameServer).CheckAsync(claim.Id);
        again.Outcome.Should().Be(DomainCheckOutcome.StillVerified);
    }

    [Fact]
    public async Task Without_the_record_the_check_says_which_record_to_add_and_proves_nothing()
    {
        var (owner, _, claim) = await ClaimAsync();
        await using var dns = await DnsServer.StartAsync(txtRecords: [OtherRecord, new(Domain, "multiorg-verification=0123456789abcdef0123456789abcdef")]);

        var result = await DnsProofs.Service(world, owner, dns.NameServer).CheckAsync(claim.Id);

        result.Outcome.Should().Be(DomainCheckOutcome.RecordMissing);
        result.Message.Should().Contain($"No TXT record “{claim.DnsRecord}” found at acme.example");
        result.Domain.DnsVerified.Should().BeFalse("another claim's token proves nothing for this one");
    }

    [Fact]
    public async Task Only_one_organization_holds_the_dns_proof_of_a_domain_and_the_database_keeps_it_so()
    {
        var (acmeOwner, _, acme) = await ClaimAsync("Acme");
        var (initechOwner, initechId, initech) = await ClaimAsync("Initech");
        await using var dns = await DnsServer.StartAsync(txtRecords: [OtherRecord, new(Domain, acme.DnsRecord!), new(Domain, initech.DnsRecord!)]);

        (await DnsProofs.Service(world, acmeOwner, dns.NameServer).CheckAsync(acme.Id)).Outcome.Should().Be(DomainCheckOutcome.Verified);
        var second = () => DnsProofs.Service(world, initechOwner, dns.NameServer).CheckAsync(initech.Id);

        var refused = (await second.Should().ThrowAsync<DomainException>()).Which;
        refused.Kind.Should().Be(DomainErrorKind.Conflict);
        refused.Message.Should().StartWith("Another organization already holds the DNS verification of acme.example.");
        await using var db = world.Database.CreateContext();
        var sneaked = () => db.Set<VerifiedDomain>().IgnoreQueryFilters().Where(d => d.OrganizationId == initechId)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.DnsVerifiedDomain, Domain));
        (await sneaked.Should().ThrowAsync<System.Data.Common.DbException>()).Which.Message.Should()
            .ContainAny(["UNIQUE constraint failed: VerifiedDomains.DnsVerifiedDomain", "\"IX_VerifiedDomains_DnsVerifiedDomain\""], "the database holds the rule too");
    }

    [Fact]
    public async Task The_daily_recheck_lapses_a_proof_whose_record_is_gone_stops_its_single_sign_on_and_mails_the_owners()
    {
        var (owner, acme, claim) = await ClaimAsync();
        var coOwner = await world.JoinAsync(owner, acme, "Cora", MultiOrg.Domain.Organizations.OrganizationRole.Owner);
        (await DnsProofs.ProveAsync(world, owner, Domain)).Outcome.Should().Be(DomainCheckOutcome.Verified);
        var sso = Sso(owner);
        await sso.SaveAsync(new SsoSettingsInput("https://login.acme.example", "multiorg", "secret", [Domain], Enabled: true, Required: true));
        var directory = world.Unscoped<SsoLookup>(protector);
        (await directory.FindForEmailAsync($"ana@{Domain}")).Should().NotBeNull();

        await using (var kept = await DnsServer.StartAsync(txtRecords: [OtherRecord, new(Domain, claim.DnsRecord!)]))
        {
            (await Job(kept.NameServer).RecheckAllAsync()).Should().Be(new DomainRecheckRun(1, 0, 0));
        }

        await using var gone = await DnsServer.StartAsync(txtRecords: [OtherRecord]);
        var run = await Job(gone.NameServer).RecheckAllAsync();

        run.Should().Be(new DomainRecheckRun(Checked: 1, Lapsed: 1, Failed: 0));
        (await Joining(owner).GetAsync()).Domains.Single().Should().BeEquivalentTo(new { DnsVerified = false, Method = "admin-email" },
            "the weaker claim stays: people with a confirmed address there may still join");
        (await directory.FindForEmailAsync($"ana@{Domain}")).Should().BeNull("nobody is sent to the provider or bound by it any more");
        (await sso.GetAsync()).Domains.Should().BeEmpty();
        foreach (var person in new[] { owner.Email, coOwner.Email })
        {
            mailbox.To(person).Should().ContainSingle().Which.Subject.Should().Be("Acme: the DNS verification of acme.example lapsed");
        }

        mailbox.To(owner.Email).Single().TextBody.Should().Contain(claim.DnsRecord!).And.Contain("Check now");
        var audit = await owner.Audit.ListAsync(new AuditQuery(Action: "VerifiedDomain.updated"));
        audit.Items.Should().Contain(e => e.Changes.Contains("DnsVerifiedDomain"), "the lapse is in the organization's audit log");
    }

    [Fact]
    public async Task Removing_a_dns_verified_domain_ends_its_single_sign_on_so_the_next_owner_of_the_domain_can_route_it()
    {
        var (acmeOwner, _, acme) = await ClaimAsync("Acme");
        (await DnsProofs.ProveAsync(world, acmeOwner, Domain)).Outcome.Should().Be(DomainCheckOutcome.Verified);
        var settings = new SsoSettingsInput("https://login.acme.example", "multiorg", "secret", [Domain], Enabled: true, Required: true);
        await Sso(acmeOwner).SaveAsync(settings);

        await Joining(acmeOwner).RemoveDomainAsync(acme.Id);

        (await Sso(acmeOwner).GetAsync()).Domains.Should().BeEmpty();
        var (initechOwner, _, _) = await ClaimAsync("Initech");
        (await DnsProofs.ProveAsync(world, initechOwner, Domain)).Outcome.Should().Be(DomainCheckOutcome.Verified);
        (await Sso(initechOwner).SaveAsync(settings)).Domains.Should().Equal(Domain);
    }

    [Fact]
    public async Task Proving_a_domain_by_dns_removes_other_organizations_stale_sso_routing_for_it_audited_in_their_trail()
    {
        // A routing row from before DNS proofs (made on the weaker confirmed-address claim) still names the domain.
        var (staleOwner, staleId, _) = await ClaimAsync("Globex");
        await using (var db = new MultiOrgDbFactory(world.Database.Provider, staleOwner.Tenant, TimeProvider.System).Create())
        {
            db.Set<SsoDomain>().Add(new SsoDomain { OrganizationId = staleId, Domain = Domain });
            await db.SaveChangesAsync();
        }

        var (acmeOwner, _, _) = await ClaimAsync("Acme");
        (await DnsProofs.ProveAsync(world, acmeOwner, Domain)).Outcome.Should().Be(DomainCheckOutcome.Verified);

        var settings = new SsoSettingsInput("https://login.acme.example", "multiorg", "secret", [Domain], Enabled: true, Required: true);
        (await Sso(acmeOwner).SaveAsync(settings)).Domains.Should().Equal([Domain], "the stale routing no longer blocks the domain's owner");
        (await Sso(staleOwner).GetAsync()).Domains.Should().BeEmpty();
        var audit = await staleOwner.Audit.ListAsync(new AuditQuery(Action: "SsoDomain.removed"));
        audit.Items.Should().ContainSingle("the removal is in the trail of the organization that lost the routing")
            .Which.TargetId.Should().Be(Domain);
    }

    private SingleSignOnService Sso(Actor actor) =>
        actor.Create<SingleSignOnService>(protector, TimeProvider.System, OutboundAddresses.PublicOnly);

    [Fact]
    public async Task A_name_server_that_does_not_answer_lapses_nothing()
    {
        var (owner, _, _) = await ClaimAsync();
        (await DnsProofs.ProveAsync(world, owner, Domain)).Outcome.Should().Be(DomainCheckOutcome.Verified);

        // Nothing listens there: the lookup fails, which says nothing about the record.
        var run = await Job($"127.0.0.1:{DnsServer.ReservePort()}").RecheckAllAsync();

        run.Should().Be(new DomainRecheckRun(Checked: 1, Lapsed: 0, Failed: 1));
        (await Joining(owner).GetAsync()).Domains.Single().DnsVerified.Should().BeTrue();
        mailbox.Messages().Should().BeEmpty();
    }

    [Theory]
    [InlineData("qq.com")]
    [InlineData("163.com")]
    [InlineData("yandex.ru")]
    [InlineData("icloud.com")]
    [InlineData("googlemail.com")]
    public async Task Public_mail_domains_cannot_be_claimed_even_by_someone_with_an_address_there(string domain)
    {
        var owner = await world.CreateUserAsync("Pat", $"pat.{Guid.NewGuid():N}@{domain}");
        await owner.Organizations.CreateAsync("Pat's");

        var claim = () => Joining(owner).AddDomainAsync(domain);

        var refused = (await claim.Should().ThrowAsync<DomainException>()).Which;
        refused.Field.Should().Be("domain");
        refused.Message.Should().Be($"Domain {domain} is a public mail provider: anyone can have an address there.");
    }

    [Fact]
    public async Task A_member_cannot_check_a_domain()
    {
        var (owner, acme, claim) = await ClaimAsync();
        var member = await world.JoinAsync(owner, acme, "Mia", MultiOrg.Domain.Organizations.OrganizationRole.Member);
        await using var dns = await DnsServer.StartAsync(txtRecords: [OtherRecord, new(Domain, claim.DnsRecord!)]);

        var check = () => DnsProofs.Service(world, member, dns.NameServer).CheckAsync(claim.Id);

        (await check.Should().ThrowAsync<DomainException>()).Which.Kind.Should().Be(DomainErrorKind.Forbidden);
        (await Joining(owner).GetAsync()).Domains.Single().DnsVerified.Should().BeFalse();
        (await Joining(member).GetAsync()).Domains.Single().DnsRecord.Should().BeNull("the record to publish is shown to those who may check it");
    }
}
