using System.Net.Http.Json;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;
using MultiOrg.Tests.Harness;

namespace MultiOrg.Tests.Browser;

/// <summary>
/// Settings → Joining in Chromium: a domain claimed by the owner's confirmed address says so, shows the TXT record to
/// publish, and "Check now" (against a real dnsmasq serving that record) makes it DNS-verified, which single sign-on offers.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class DomainJourneys(BrowserFixture fixture)
{
    private const string Password = "Secure!Passw0rd";

    [Fact]
    public async Task An_owner_adds_the_txt_record_shown_and_check_now_makes_the_domain_dns_verified()
    {
        var domain = $"dns{Guid.NewGuid():N}"[..14] + ".test";
        var ownerEmail = $"olivia@{domain}";
        var owner = await fixture.NewPageAsync(dark: true);
        await owner.RegisterAsync(ownerEmail, Password);
        await owner.GotoAsync(await fixture.Server.Mailbox.WaitForLinkToAsync(ownerEmail, "/Account/ConfirmEmail"));
        using var api = new HttpClient { BaseAddress = new Uri(fixture.Server.BaseUrl) };
        var login = await api.PostAsJsonAsync("/api/auth/login", new { email = ownerEmail, password = Password });
        api.DefaultRequestHeaders.Authorization = new("Bearer", (await login.JsonAsync()).GetProperty("accessToken").GetString());
        var organizationId = (await (await api.PostAsJsonAsync("/api/organizations", new { name = "Domain Journey" })).JsonAsync()).GetProperty("id").GetGuid();
        try
        {
            await owner.GotoAsync($"/organizations/{organizationId}/settings");
            await owner.WaitForCircuitAsync();
            await owner.Locator("input[data-testid='domain-input']").FillAsync(domain);
            await owner.Locator("[data-testid='add-domain']").ClickAsync();
            var row = owner.Locator("[data-testid='domain']", new() { HasText = domain });
            await Expect(row.Locator("[data-testid='domain-kind']")).ToHaveTextAsync("Confirmed address");
            await Expect(row).ToContainTextAsync("Not DNS-verified: it cannot be used for single sign-on.");
            var record = await row.Locator("input[data-testid='dns-record']").InputValueAsync();
            record.Should().MatchRegex("^multiorg-verification=[0-9a-f]{32}$");

            // Before the record is published, the check says what is missing.
            await using (var empty = await DnsServer.StartAsync(txtRecords: [new(domain, "v=spf1 -all")], port: fixture.DnsPort))
            {
                await row.Locator("[data-testid='check-domain']").ClickAsync();
                await Expect(row.Locator("[data-testid='domain-check-result']")).ToContainTextAsync($"No TXT record “{record}” found at {domain}");
            }

            await using (var published = await DnsServer.StartAsync(txtRecords: [new(domain, "v=spf1 -all"), new(domain, record)], port: fixture.DnsPort))
            {
                await row.Locator("[data-testid='check-domain']").ClickAsync();
                await Expect(row.Locator("[data-testid='domain-check-result']")).ToHaveTextAsync($"{domain} is DNS-verified: it can now be used for single sign-on.");
            }

            await Expect(row.Locator("[data-testid='domain-kind']")).ToHaveTextAsync("DNS-verified");
            await Expect(row.Locator("[data-testid='dns-record']")).ToHaveCountAsync(0);
            await owner.ScreenshotAsync("domain-dns-verified-dark");

            await owner.GotoAsync($"/organizations/{organizationId}/settings/security");
            await owner.WaitForCircuitAsync();
            await Expect(owner.Locator("[data-testid='sso-no-domains']")).ToHaveCountAsync(0);
            await owner.Locator("[data-testid='sso-domains']").ClickAsync();
            await Expect(owner.GetByRole(AriaRole.Option, new() { Name = domain })).ToBeVisibleAsync();
        }
        finally
        {
            await api.DeleteAsync($"/api/organizations/{organizationId}");
        }
    }
}
