using System.Net.Http.Json;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;
using MultiOrg.Tests.Harness;

namespace MultiOrg.Tests.Browser;

/// <summary>
/// SAML single sign-on in Chromium against the pysaml2 IdP on a loopback port: the owner uploads the IdP's metadata on
/// the Security page and reads the values to give the IdP; a new person signs in at the IdP and lands in the organization;
/// the same response posted again ends on the error page.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class SamlJourneys(BrowserFixture fixture)
{
    private const string Password = "Secure!Passw0rd";

    [Fact]
    public async Task The_owner_uploads_the_idp_metadata_and_a_new_person_signs_in_at_the_idp_and_lands_in_the_organization()
    {
        await using var idp = await SamlIdp.StartAsync();
        var domain = $"saml{Guid.NewGuid():N}"[..14] + ".test";
        var ownerEmail = $"olivia@{domain}";
        var owner = await fixture.NewPageAsync(dark: true);
        await owner.RegisterAsync(ownerEmail, Password);
        await owner.GotoAsync(await fixture.Server.Mailbox.WaitForLinkToAsync(ownerEmail, "/Account/ConfirmEmail"));
        await owner.GotoAsync("/organizations/new");
        await owner.WaitForCircuitAsync();
        await owner.Locator("input[data-testid='org-name']").FillAsync("Initech SAML");
        await owner.Locator("[data-testid='create-org']").ClickAsync();
        await Expect(owner).ToHaveURLAsync(new Regex("/organizations/[0-9a-f-]{36}/dashboard$"));
        var organizationId = owner.OrganizationIdFromUrl();
        using var api = new HttpClient { BaseAddress = new Uri(fixture.Server.BaseUrl) };
        var login = await api.PostAsJsonAsync("/api/auth/login", new { email = ownerEmail, password = Password });
        api.DefaultRequestHeaders.Authorization = new("Bearer", (await login.JsonAsync()).GetProperty("accessToken").GetString());
        try
        {
            (await api.PostAsJsonAsync($"/api/organizations/{organizationId}/join-policy/domains", new { domain })).EnsureSuccessStatusCode();
            await using (var proof = new MultiOrg.Data.MultiOrgDbProvider(MultiOrg.Data.DatabaseProvider.Sqlite, $"Data Source={fixture.Server.DatabasePath}").Create(new MultiOrg.Domain.Tenancy.TenantContext()))
            {
                await DnsProofs.MarkProvedAsync(proof, organizationId, domain);
            }

            // The owner uploads the metadata file the IdP offers and chooses the domain.
            await owner.GotoAsync($"/organizations/{organizationId}/settings/security");
            await owner.WaitForCircuitAsync();
            await Expect(owner.Locator("[data-testid='saml-status']")).ToHaveTextAsync("Not set up");
            await owner.Locator("[data-testid='saml-section'] input[type='file']").SetInputFilesAsync(new FilePayload
            {
                Name = "idp-metadata.xml", MimeType = "application/xml", Buffer = Encoding.UTF8.GetBytes(await idp.MetadataAsync()),
            });
            await Expect(owner.Locator("[data-testid='saml-metadata-pending']")).ToContainTextAsync($"{idp.BaseUrl}/idp");
            await owner.GetByLabel("Sign in through the SAML provider").CheckAsync();
            await owner.Locator("[data-testid='saml-domains']").ClickAsync();
            await owner.GetByRole(AriaRole.Option, new() { Name = domain }).ClickAsync();
            await owner.Keyboard.PressAsync("Escape");
            await owner.Locator("[data-testid='saml-save']").ClickAsync();
            await Expect(owner.GetByText("SAML single sign-on saved.")).ToBeVisibleAsync();
            await Expect(owner.Locator("[data-testid='saml-status']")).ToHaveTextAsync("On");
            await Expect(owner.Locator("[data-testid='saml-idp-entity-id']")).ToHaveTextAsync($"{idp.BaseUrl}/idp");
            await Expect(owner.Locator("[data-testid='saml-sp-acs']")).ToHaveTextAsync($"{fixture.Server.BaseUrl.TrimEnd('/')}/saml/{organizationId:N}/acs");
            await owner.Locator("[data-testid='saml-section']").ScrollIntoViewIfNeededAsync();
            await owner.ScreenshotAsync("saml-settings-dark");

            // A new person at the domain: the sign-in page sends her to the IdP; she lands in Initech as MEMBER.
            var nina = await fixture.NewPageAsync();
            string? samlResponse = null;
            nina.Request += (_, request) =>
            {
                if (request.Method == "POST" && request.Url.EndsWith($"/saml/{organizationId:N}/acs", StringComparison.Ordinal))
                {
                    samlResponse = request.PostData;
                }
            };
            await nina.GotoAsync("/Account/Login");
            await nina.Locator("[name='Input.Email']").FillAsync($"nina@{domain}");
            await nina.Locator("[data-testid='continue-with-sso']").ClickAsync();
            await Expect(nina.GetByRole(AriaRole.Heading, new() { Name = "Test IdP" })).ToBeVisibleAsync();
            await nina.Locator("#idp-email").FillAsync($"nina@{domain}");
            await nina.Locator("#idp-name").FillAsync("Nina New");
            await nina.Locator("#idp-sign-in").ClickAsync();
            await nina.WaitForURLAsync(url => url.Contains($"/organizations/{organizationId}", StringComparison.Ordinal));
            await nina.WaitForCircuitAsync();
            await nina.GotoAsync($"/organizations/{organizationId}/members");
            await nina.WaitForCircuitAsync();
            await Expect(nina.Locator("tr", new() { HasText = "Nina New" })).ToContainTextAsync("MEMBER");

            // The same response again, from another browser: refused on the error page, nobody signed in.
            samlResponse.Should().NotBeNull("the IdP's page posted the response to MultiOrg's ACS");
            var replay = await fixture.NewPageAsync();
            await replay.GotoAsync($"{idp.BaseUrl}/");
            await replay.SetContentAsync($"""<form method="post" action="{fixture.Server.BaseUrl.TrimEnd('/')}/saml/{organizationId:N}/acs">{Inputs(samlResponse!)}<button id="post">Post</button></form>""");
            await replay.Locator("#post").ClickAsync();
            await Expect(replay).ToHaveURLAsync(new Regex("/Account/Sso/Error\\?reason=saml-replayed"));
            await Expect(replay.Locator("[data-testid='sso-error']")).ToContainTextAsync("already used once");
            await replay.ScreenshotAsync("saml-error-light");
            await replay.GotoAsync($"/organizations/{organizationId}/members");
            await Expect(replay).ToHaveURLAsync(new Regex("/Account/Login"));
        }
        finally
        {
            await api.DeleteAsync($"/api/organizations/{organizationId}");
        }
    }

    /// <summary>The posted form's fields as hidden inputs (the body is application/x-www-form-urlencoded).</summary>
    private static string Inputs(string body) => string.Concat(body.Split('&').Select(pair =>
    {
        var parts = pair.Split('=', 2);
        var value = System.Net.WebUtility.HtmlEncode(Uri.UnescapeDataString(parts[1].Replace('+', ' ')));
        return $"""<input type="hidden" name="{Uri.UnescapeDataString(parts[0])}" value="{value}"/>""";
    }));
}
