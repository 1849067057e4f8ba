using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using MultiOrg.Domain.Users;
using MultiOrg.Tests.Harness;

namespace MultiOrg.Tests.Joining;

/// <summary>
/// Domain claims over real HTTP (the app's DNS check asks the tests' dnsmasq through <c>Dns:NameServers</c>): a confirmed
/// address at a shared domain cannot lock that domain's people out, a DNS proof is one organization's, and the break-glass
/// owner gets in with password plus two-factor, seen by every owner.
/// </summary>
public sealed class DomainClaimTests : IDisposable
{
    private const string Provider = "https://login.provider.example";

    private readonly int dnsPort = DnsServer.ReservePort();
    private readonly Mailbox mailbox = new();
    private readonly ApiFactory app;

    public DomainClaimTests() =>
        app = new ApiFactory(new Dictionary<string, string>
        {
            ["Dns:NameServers:0"] = $"127.0.0.1:{dnsPort}",
            ["Email:PickupDirectory"] = mailbox.Directory,
        });

    public void Dispose()
    {
        app.Dispose();
        mailbox.Dispose();
    }

    private async Task<ApiUser> PersonAsync(string email)
    {
        using var anonymous = app.CreateClient();
        (await anonymous.PostAsJsonAsync("/api/auth/register", new { email, password = ApiFactory.Password })).EnsureSuccessStatusCode();
        await app.ConfirmEmailAsync(email);
        using var scope = app.Services.CreateScope();
        var id = (await scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>().FindByEmailAsync(email))!.Id;
        return new ApiUser(id, email, app.CreateClient());
    }

    private async Task<ApiUser> SignedInAsync(string email)
    {
        var person = await PersonAsync(email);
        return person with { Client = await app.LoginAsync(email, ApiFactory.Password) };
    }

    private Task<HttpResponseMessage> PasswordLoginAsync(string email, string? twoFactorCode = null) =>
        app.CreateClient().PostAsJsonAsync("/api/auth/login", new { email, password = ApiFactory.Password, twoFactorCode });

    private static Task<HttpResponseMessage> RequireSsoAsync(ApiUser owner, Guid organizationId, string domain) =>
        owner.Client.PutAsJsonAsync($"/api/organizations/{organizationId}/sso", new
        {
            authority = Provider, clientId = "multiorg", clientSecret = "provider-secret", domains = new[] { domain }, enabled = true, required = true,
        });

    [Fact]
    public async Task An_organization_that_claimed_a_shared_domain_by_a_confirmed_address_cannot_lock_its_people_out()
    {
        // shared.example: a university or a mail host where the attacker holds an ordinary confirmed address.
        var attacker = await SignedInAsync("mallory@shared.example");
        var victim = await PersonAsync("victor@shared.example");
        var outsider = await PersonAsync("oscar@shared.example");
        var elsewhere = await PersonAsync("alice@other-company.test");
        var organization = await attacker.CreateOrganizationAsync("Attacker");
        (await attacker.Client.PostAsJsonAsync($"/api/organizations/{organization}/join-policy/domains", new { domain = "shared.example" }))
            .StatusCode.Should().Be(HttpStatusCode.Created, "a confirmed address still claims a domain for auto-join and approval");
        await attacker.AddMemberAsync(organization, victim, "MEMBER");
        await attacker.AddMemberAsync(organization, elsewhere, "MEMBER");

        var required = await RequireSsoAsync(attacker, organization, "shared.example");

        required.StatusCode.Should().Be(HttpStatusCode.BadRequest, await required.Content.ReadAsStringAsync());
        (await required.JsonAsync()).GetProperty("detail").GetString().Should().Contain("shared.example is not DNS-verified for this organization");
        foreach (var person in new[] { victim, outsider, elsewhere })
        {
            (await PasswordLoginAsync(person.Email)).StatusCode.Should().Be(HttpStatusCode.OK, $"{person.Email} still signs in with their password");
        }
    }

    [Fact]
    public async Task A_dns_proof_is_checked_over_the_api_held_by_one_organization_and_checked_only_by_editors()
    {
        var acmeOwner = await SignedInAsync("olivia@acme-dns.test");
        var acme = await acmeOwner.CreateOrganizationAsync("Acme");
        var member = await SignedInAsync("mia@acme-dns.test");
        await acmeOwner.AddMemberAsync(acme, member, "MEMBER");
        var claimed = await (await acmeOwner.Client.PostAsJsonAsync($"/api/organizations/{acme}/join-policy/domains", new { domain = "acme-dns.test" })).JsonAsync();
        claimed.GetProperty("dnsVerified").GetBoolean().Should().BeFalse();

        // Permission before binding: a member is refused whatever the id.
        (await member.Client.PostAsync($"/api/organizations/{acme}/join-policy/domains/{claimed.GetProperty("id").GetGuid()}/check", null))
            .StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await member.Client.PostAsync($"/api/organizations/{acme}/join-policy/domains/not-a-guid/check", null))
            .StatusCode.Should().BeOneOf(HttpStatusCode.Forbidden, HttpStatusCode.NotFound);

        var proved = await DnsProofs.ProveOverApiAsync(acmeOwner.Client, acme, "acme-dns.test", dnsPort);
        proved.GetProperty("domain").GetProperty("dnsVerified").GetBoolean().Should().BeTrue();
        (await RequireSsoAsync(acmeOwner, acme, "acme-dns.test")).StatusCode.Should().Be(HttpStatusCode.OK);

        // Another organization whose owner is at the same domain publishes its own record too: the proof stays Acme's.
        var rival = await SignedInAsync("rita@acme-dns.test");
        var initech = await rival.CreateOrganizationAsync("Initech");
        var rivalClaim = await (await rival.Client.PostAsJsonAsync($"/api/organizations/{initech}/join-policy/domains", new { domain = "acme-dns.test" })).JsonAsync();
        await using var dns = await DnsServer.StartAsync(txtRecords: [new("acme-dns.test", rivalClaim.GetProperty("dnsRecord").GetString()!)], port: dnsPort);
        var taken = await rival.Client.PostAsync($"/api/organizations/{initech}/join-policy/domains/{rivalClaim.GetProperty("id").GetGuid()}/check", null);
        taken.StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await taken.JsonAsync()).GetProperty("detail").GetString().Should().StartWith("Another organization already holds the DNS verification of acme-dns.test.");
    }

    /// <summary>Turns on the authenticator for an account, as the account page does, and returns the authenticator's key.</summary>
    private async Task<string> EnableTwoFactorAsync(string email)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var user = (await users.FindByEmailAsync(email))!;
        await users.ResetAuthenticatorKeyAsync(user);
        await users.SetTwoFactorEnabledAsync(user, true);
        return (await users.GetAuthenticatorKeyAsync(user))!;
    }

    [Fact]
    public async Task The_break_glass_owner_signs_in_with_password_and_two_factor_where_sso_is_required_and_every_owner_is_mailed()
    {
        const string domain = "acme-glass.test";
        var olivia = await SignedInAsync($"olivia@{domain}");
        var organization = await olivia.CreateOrganizationAsync("Acme Glass");
        var bea = await PersonAsync($"bea@{domain}");
        var owen = await PersonAsync($"owen@{domain}");
        var mia = await PersonAsync($"mia@{domain}");
        await olivia.AddMemberAsync(organization, bea, "OWNER");
        await olivia.AddMemberAsync(organization, owen, "OWNER");
        await olivia.AddMemberAsync(organization, mia, "MEMBER");
        var beaKey = await EnableTwoFactorAsync(bea.Email);
        var owenKey = await EnableTwoFactorAsync(owen.Email);
        (await olivia.Client.PostAsJsonAsync($"/api/organizations/{organization}/join-policy/domains", new { domain })).EnsureSuccessStatusCode();
        await DnsProofs.ProveOverApiAsync(olivia.Client, organization, domain, dnsPort);
        (await RequireSsoAsync(olivia, organization, domain)).EnsureSuccessStatusCode();

        var notOwner = await olivia.Client.PutAsJsonAsync($"/api/organizations/{organization}/sso/break-glass", new { userId = mia.Id });
        notOwner.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await notOwner.JsonAsync()).GetProperty("detail").GetString().Should().Be("The break-glass owner must be one of this organization's owners.");
        var named = await olivia.Client.PutAsJsonAsync($"/api/organizations/{organization}/sso/break-glass", new { userId = bea.Id });
        named.StatusCode.Should().Be(HttpStatusCode.OK);
        (await named.JsonAsync()).GetProperty("breakGlass").GetProperty("twoFactorEnabled").GetBoolean().Should().BeTrue();

        (await PasswordLoginAsync(owen.Email, Totp.Code(owenKey))).StatusCode.Should().Be(HttpStatusCode.Forbidden, "another owner is bound by SSO");
        (await PasswordLoginAsync(bea.Email)).StatusCode.Should().Be(HttpStatusCode.Unauthorized, "never a password alone");
        mailbox.Messages().Should().NotContain(m => (m.Subject ?? "").Contains("break-glass", StringComparison.Ordinal), "nothing happened yet");
        var signedIn = await PasswordLoginAsync(bea.Email, Totp.Code(beaKey));

        signedIn.StatusCode.Should().Be(HttpStatusCode.OK, await signedIn.Content.ReadAsStringAsync());
        foreach (var owner in new[] { olivia, bea, owen })
        {
            mailbox.To(owner.Email).Where(m => (m.Subject ?? "").Contains("break-glass", StringComparison.Ordinal)).Should().ContainSingle()
                .Which.Subject.Should().Be($"Acme Glass: break-glass sign-in by {bea.Email}");
        }

        mailbox.To(mia.Email).Should().NotContain(m => (m.Subject ?? "").Contains("break-glass", StringComparison.Ordinal), "owners are told, not members");
        var audit = await olivia.Client.GetFromJsonAsync<JsonElement>($"/api/organizations/{organization}/audit?action=SsoConnection");
        audit.GetProperty("items").EnumerateArray().Should().Contain(e =>
            e.GetProperty("changes").GetString()!.Contains("BreakGlassUsedAt") && e.GetProperty("actorUserId").GetString() == bea.Id);
    }
    [Fact]
    public async Task Break_glass_candidates_and_owner_notices_are_this_organizations_owners_and_no_one_elses()
    {
        const string domain = "glass-two.test";
        var olga = await SignedInAsync("olga@other-company.test");
        await olga.CreateOrganizationAsync("Other Company");
        var olivia = await SignedInAsync($"olivia@{domain}");
        var organization = await olivia.CreateOrganizationAsync("Glass Two");
        (await olivia.Client.PostAsJsonAsync($"/api/organizations/{organization}/join-policy/domains", new { domain })).EnsureSuccessStatusCode();
        await DnsProofs.ProveOverApiAsync(olivia.Client, organization, domain, dnsPort);
        (await RequireSsoAsync(olivia, organization, domain)).EnsureSuccessStatusCode();

        var settings = await olivia.Client.GetFromJsonAsync<JsonElement>($"/api/organizations/{organization}/sso");
        settings.GetProperty("owners").EnumerateArray().Select(o => o.GetProperty("userId").GetString())
            .Should().Equal([olivia.Id], "the picker lists this organization's owners, never another organization's");
        var outsider = await olivia.Client.PutAsJsonAsync($"/api/organizations/{organization}/sso/break-glass", new { userId = olga.Id });
        outsider.StatusCode.Should().Be(HttpStatusCode.BadRequest, "an owner of another organization is no owner here");

        var key = await EnableTwoFactorAsync(olivia.Email);
        (await olivia.Client.PutAsJsonAsync($"/api/organizations/{organization}/sso/break-glass", new { userId = olivia.Id })).EnsureSuccessStatusCode();
        (await PasswordLoginAsync(olivia.Email, Totp.Code(key))).StatusCode.Should().Be(HttpStatusCode.OK);

        mailbox.To(olivia.Email).Should().Contain(m => (m.Subject ?? "").Contains("break-glass", StringComparison.Ordinal));
        mailbox.To(olga.Email).Should().NotContain(m => (m.Subject ?? "").Contains("Glass Two", StringComparison.Ordinal),
            "a notice about Glass Two goes to its owners only");
    }
}
