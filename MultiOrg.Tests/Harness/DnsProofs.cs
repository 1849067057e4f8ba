using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MultiOrg.Data;
using MultiOrg.Domain.Joining;
using MultiOrg.Domain.Organizations;
using MultiOrg.Web.Email;
using MultiOrg.Web.Outbound;
using MultiOrg.Web.Features.Joining;

namespace MultiOrg.Tests.Harness;

/// <summary>
/// Proving a domain by DNS the way an owner does: publish the claim's TXT record (here on the tests' dnsmasq) and run the
/// app's own check (DnsClient over UDP), for tests that need a DNS-verified domain or test the check itself.
/// </summary>
public static class DnsProofs
{
    /// <summary>The app's DNS check for <paramref name="actor"/>'s organization, asking <paramref name="nameServer"/>, mailing into <paramref name="mailbox"/>.</summary>
    public static DomainVerificationService Service(TestWorld world, Actor actor, string nameServer, Mailbox? mailbox = null, TimeProvider? time = null) =>
        actor.Create<DomainVerificationService>(Lookup(nameServer), time ?? TimeProvider.System, Notices(world.Database, mailbox));

    public static DnsTxtLookup Lookup(string nameServer) => new(NameServerResolver.CreateLookupClient([IPEndPoint.Parse(nameServer)]));

    public static IOwnerNotices Notices(TestDatabase database, Mailbox? mailbox)
    {
        var directory = mailbox?.Directory ?? Path.Combine(Path.GetTempPath(), $"multiorg-mail-{Guid.NewGuid():N}");
        var mail = new MailSender(Options.Create(new EmailOptions { PickupDirectory = directory }), new HostingEnvironment { ContentRootPath = directory },
            NullLogger<MailSender>.Instance);
        return new NoticeMailer(mail, new AppLinks(Options.Create(new MultiOrg.Web.Hosting.AppOptions())), TestOutbox.Over(database, mail));
    }

    /// <summary>Publishes the claim's record on a dnsmasq of its own and checks it: the domain is then DNS-verified.</summary>
    public static async Task<DomainCheckResult> ProveAsync(TestWorld world, Actor actor, string domain)
    {
        var joining = actor.Create<JoinPolicyService>(TimeProvider.System);
        var claim = (await joining.GetAsync()).Domains.Single(d => d.Domain == domain);
        await using var dns = await DnsServer.StartAsync(txtRecords: [new(domain, claim.DnsRecord!)]);
        return await Service(world, actor, dns.NameServer).CheckAsync(claim.Id);
    }

    /// <summary>
    /// The same over the API, for an app whose <c>Dns:NameServers</c> is <c>127.0.0.1:<paramref name="port"/></c>: the
    /// record is served on that port only while the check runs.
    /// </summary>
    public static async Task<JsonElement> ProveOverApiAsync(HttpClient owner, Guid organizationId, string domain, int port)
    {
        var policy = await owner.GetFromJsonAsync<JsonElement>($"/api/organizations/{organizationId}/join-policy");
        var claim = policy.GetProperty("domains").EnumerateArray().Single(d => d.GetProperty("domain").GetString() == domain);
        await using var dns = await DnsServer.StartAsync(txtRecords: [new(domain, claim.GetProperty("dnsRecord").GetString()!)], port: port);
        var check = await owner.PostAsync($"/api/organizations/{organizationId}/join-policy/domains/{claim.GetProperty("id").GetGuid()}/check", null);
        check.EnsureSuccessStatusCode();
        var result = await check.Content.ReadFromJsonAsync<JsonElement>();
        result.GetProperty("outcome").GetString().Should().Be("Verified", result.ToString());
        return result;
    }

    /// <summary>
    /// What a passed check writes, straight in the database: for tests of single sign-on itself whose app cannot be pointed
    /// at a test name server (a separate process, or one whose dnsmasq serves other records). The check has its own tests.
    /// </summary>
    public static async Task MarkProvedAsync(MultiOrgDbContext db, Guid organizationId, string domain)
    {
        ArgumentNullException.ThrowIfNull(db);
        var updated = await db.Set<VerifiedDomain>().IgnoreQueryFilters().Where(d => d.OrganizationId == organizationId && d.Domain == domain)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.DnsVerifiedDomain, domain).SetProperty(d => d.DnsVerifiedAt, DateTime.UtcNow));
        updated.Should().Be(1, $"{domain} is claimed by the organization first");
    }
}
