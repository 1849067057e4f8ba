using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace MultiOrg.Tests.Browser;

/// <summary>Identity's passkeys (WebAuthn) in Chromium, with its virtual authenticator standing in for a security key.</summary>
[Collection(BrowserCollection.Name)]
public sealed class PasskeyJourneys(BrowserFixture fixture)
{
    [Fact]
    public async Task A_signed_in_user_opens_the_passkeys_page()
    {
        var page = await fixture.NewPageAsync();
        await page.SignInAsync("mia.member@demo.multiorg.test");

        var response = await page.GotoAsync("/Account/Manage/Passkeys");

        response!.Status.Should().Be(200);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Manage your passkeys" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task A_user_registers_a_passkey_signs_out_and_signs_in_with_it()
    {
        var email = $"passkey.{Guid.NewGuid():N}@example.test";

        // WebAuthn refuses an IP address as the relying party's domain: this journey reaches the same server as localhost.
        var context = await fixture.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = new UriBuilder(fixture.Server.BaseUrl) { Host = "localhost" }.Uri.ToString().TrimEnd('/'),
        });
        context.SetDefaultTimeout(15_000);
        context.FailOnCspViolations(fixture.CspViolations);
        context.CheckDialogsAsTheyOpen();
        var page = await context.NewPageAsync();
        await page.RegisterAsync(email, "Passkey!Passw0rd");

        // The authenticator lives in this page's browser: a resident (discoverable) key that verifies its user at once.
        var devtools = await page.Context.NewCDPSessionAsync(page);
        await devtools.SendAsync("WebAuthn.enable");
        var authenticator = await devtools.SendAsync("WebAuthn.addVirtualAuthenticator", new Dictionary<string, object>
        {
            ["options"] = new Dictionary<string, object>
            {
                ["protocol"] = "ctap2",
                ["transport"] = "internal",
                ["hasResidentKey"] = true,
                ["hasUserVerification"] = true,
                ["isUserVerified"] = true,
                ["automaticPresenceSimulation"] = true,
            },
        });
        var authenticatorId = authenticator!.Value.GetProperty("authenticatorId").GetString()!;

        await page.GotoAsync("/Account/Manage/Passkeys");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add a new passkey" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/Account/Manage/RenamePasskey/"));
        await page.Locator("[id='Input.Name']").FillAsync("Test key");
        await page.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/Account/Manage/Passkeys$"));
        await Expect(page.GetByRole(AriaRole.Cell, new() { Name = "Test key" })).ToBeVisibleAsync();

        var credentials = await devtools.SendAsync("WebAuthn.getCredentials", new Dictionary<string, object> { ["authenticatorId"] = authenticatorId });
        credentials!.Value.GetProperty("credentials").GetArrayLength().Should().Be(1, "the authenticator holds the one passkey just registered");

        // Signing out lands on the sign-in page, whose passkey autofill (conditional mediation) asks the authenticator at
        // once; the virtual one answers as a person picking the offered passkey would, and no password is typed.
        var visited = new ConcurrentQueue<string>();
        page.FrameNavigated += (_, frame) => visited.Enqueue(frame.Url);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await page.WaitForURLAsync(url => url.Contains("/organizations/", StringComparison.Ordinal));
        visited.Should().Contain(url => url.Contains("/Account/Login", StringComparison.Ordinal), "signing out ended the session first");

        var passkeys = await page.GotoAsync("/Account/Manage/Passkeys");
        passkeys!.Status.Should().Be(200);
        await Expect(page).ToHaveURLAsync(new Regex("/Account/Manage/Passkeys$"));
        await Expect(page.GetByRole(AriaRole.Cell, new() { Name = "Test key" })).ToBeVisibleAsync();
    }
}
