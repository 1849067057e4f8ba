using System.Reflection;
using Microsoft.AspNetCore.Components;
using Microsoft.Data.Sqlite;
using Microsoft.Playwright;
using MultiOrg.Tests.Harness;
using static Microsoft.Playwright.Assertions;

namespace MultiOrg.Tests.Browser;

/// <summary>
/// Every routed page of the app, light and dark, as the person who can see it, and the main dialogs, checked with
/// axe-core's WCAG 2.1 A/AA rules (issue 27). The sweep collects every violation before it fails, so one run lists them all.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed partial class AccessibilityJourneys(BrowserFixture fixture)
{
    private const string Olivia = "olivia.owner@demo.multiorg.test";

    /// <summary>The routes the sweep visits (each <c>@page</c> template as written).</summary>
    public static readonly IReadOnlySet<string> Swept = new HashSet<string>(StringComparer.Ordinal)
    {
        "/Account/Login", "/Account/Register", "/Account/ForgotPassword", "/Account/ForgotPasswordConfirmation",
        "/Account/ResendEmailConfirmation", "/Account/RegisterConfirmation", "/Account/AccessDenied", "/Account/Lockout",
        "/Account/InvalidPasswordReset", "/Account/InvalidUser", "/Account/ResetPasswordConfirmation", "/Account/Sso/Error",
        "/Account/ConfirmEmail", "/Account/ConfirmEmailChange", "/Account/ResetPassword", "/Account/Invitation",
        "/Account/LoginWith2fa", "/Account/LoginWithRecoveryCode", "/Account/Manage/Disable2fa", "/Account/Manage/GenerateRecoveryCodes",
        "/Account/Manage/SetPassword",
        "/Account/Manage", "/Account/Manage/ChangePassword", "/Account/Manage/Email", "/Account/Manage/TwoFactorAuthentication",
        "/Account/Manage/EnableAuthenticator", "/Account/Manage/ResetAuthenticator", "/Account/Manage/ExternalLogins",
        "/Account/Manage/PersonalData", "/Account/Manage/DeletePersonalData", "/Account/Manage/Passkeys",
        "/Account/Manage/Sessions", "/Account/Manage/Assistants",
        "/directory", "/left-organization", "/not-found", "/organizations/new",
        "/organizations/{OrgId:guid}/dashboard", "/organizations/{OrgId:guid}/members", "/organizations/{OrgId:guid}/teams",
        "/organizations/{OrgId:guid}/accounting", "/organizations/{OrgId:guid}/organizations", "/organizations/{OrgId:guid}/api-keys",
        "/organizations/{OrgId:guid}/audit", "/organizations/{OrgId:guid}/billing", "/organizations/{OrgId:guid}/settings",
        "/organizations/{OrgId:guid}/settings/security", "/organizations/{OrgId:guid}/partner",
        "/organizations/{OrgId:guid}/billing/statements/{StatementId:guid}", "/support", "/support/internal-users",
    };

    /// <summary>Routes the sweep does not visit, each with why.</summary>
    public static readonly IReadOnlyDictionary<string, string> NotSwept = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["/"] = "redirects at once to the organization's dashboard (swept)",
        ["/Error"] = "only shown after an unhandled exception in production",
        ["/Account/ConnectAssistant"] = "needs an OAuth authorization request with a registered client and PKCE; AssistantConnectionJourneys opens it",
        ["/Account/ExternalLogin"] = "the callback of an external identity provider: needs the OpenID Connect provider of the single sign-on journeys",
        ["/Account/Sso/StepUp"] = "only in a single sign-on step-up, which needs the OpenID Connect provider of the single sign-on journeys",
        ["/Account/Manage/RenamePasskey/{Id}"] = "needs a passkey registered through Chromium's virtual authenticator (PasskeyJourneys); its form is the one of Passkeys (swept)",
    };

    [Fact]
    public void Every_routed_page_is_in_the_sweep_or_excluded_with_a_reason()
    {
        var routes = typeof(MultiOrg.Web.Shell.MainLayout).Assembly.GetTypes()
            .SelectMany(type => type.GetCustomAttributes<RouteAttribute>())
            .Select(route => route.Template)
            .ToHashSet(StringComparer.Ordinal);

        routes.Except(Swept).Except(NotSwept.Keys).Should().BeEmpty("every page is checked for accessibility by the sweep (add it to Swept, or to NotSwept with a reason)");
        Swept.Concat(NotSwept.Keys).Except(routes).Should().BeEmpty("the lists name only routes the app has");
        Swept.Intersect(NotSwept.Keys).Should().BeEmpty();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Every_page_and_main_dialog_has_no_WCAG_violations(bool dark)
    {
        // The pages follow the browser's light or dark setting while a person has chosen none (other journeys flip
        // the demo logins' theme and leave a choice behind).
        await using (var connection = new SqliteConnection($"Data Source={fixture.Server.DatabasePath};Pooling=False"))
        {
            await connection.OpenAsync();
            await using var forget = connection.CreateCommand();
            forget.CommandText = "UPDATE AspNetUsers SET PrefersDarkMode = NULL";
            await forget.ExecuteNonQueryAsync();
        }

        var found = new List<string>();
        var visited = new HashSet<string>(StringComparer.Ordinal);

        async Task VisitAsync(IPage page, string path)
        {
            await page.GotoAsync(path);

            // The account pages are static: complete at load. The others render in the circuit.
            if (!path.StartsWith("/Account", StringComparison.Ordinal))
            {
                await page.WaitForCircuitAsync(check: false);
                await CheckAsync(page);
                return;
            }

            await CheckAccountPageAsync(page);
        }

        async Task CheckAccountPageAsync(IPage page)
        {
            visited.Add(Accessibility.Route(page.Url));
            found.AddRange(await Accessibility.PageViolationsAsync(page));
        }

        async Task CheckAsync(IPage page)
        {
            // The page's own heading: its data has loaded and it is the page, not the loading bar; and the theme has
            // followed the browser's (the circuit switches to dark just after its first render).
            await Expect(page.Locator("h1").First).ToBeVisibleAsync();
            await page.WaitForFunctionAsync(
                "dark => (getComputedStyle(document.body).backgroundColor.match(/\\d+/g).slice(0, 3).map(Number).reduce((a, b) => a + b, 0) < 384) === dark", dark);
            visited.Add(Accessibility.Route(page.Url));
            found.AddRange(await Accessibility.PageViolationsAsync(page));
        }

        // The pages' dialog hook adds a dialog's violations to found (once per title and look in the test run); waiting
        // for the dialog may already have run it, the direct call makes sure before Escape closes it.
        async Task DialogAsync(IPage page, ILocator opener)
        {
            await opener.ClickAsync();
            await page.Locator(".mud-dialog").Last.WaitForAsync();
            await Accessibility.CheckOpenDialogsAsync(page, found);
            await page.Keyboard.PressAsync("Escape");
            await Expect(page.Locator(".mud-dialog")).ToHaveCountAsync(0);
        }

        var anonymous = await fixture.NewPageAsync(dark, found);
        foreach (var path in new[]
        {
            "/Account/Login", "/Account/Register", "/Account/ForgotPassword", "/Account/ForgotPasswordConfirmation",
            "/Account/ResendEmailConfirmation", "/Account/RegisterConfirmation?email=olivia.owner%40demo.multiorg.test", "/Account/AccessDenied",
            "/Account/Lockout", "/Account/InvalidPasswordReset", "/Account/InvalidUser", "/Account/ResetPasswordConfirmation",
            "/Account/Sso/Error",
        })
        {
            await VisitAsync(anonymous, path);
        }

        var owner = await fixture.NewPageAsync(dark, found);
        await owner.SignInAsync(Olivia, check: false);
        var acme = owner.OrganizationIdFromUrl();
        foreach (var path in new[] { "dashboard", "members", "teams", "accounting", "organizations", "api-keys", "audit", "billing", "settings", "settings/security" })
        {
            await VisitAsync(owner, $"/organizations/{acme}/{path}");
            switch (path)
            {
                case "members":
                    await DialogAsync(owner, owner.Locator("[data-testid='add-member']"));
                    await DialogAsync(owner, owner.Locator("[data-testid='invite-members']"));
                    await DialogAsync(owner, owner.Locator("[data-testid='remove-member']").First);
                    break;
                case "teams":
                    // The teams' buttons and the departments' ⋮ menu open dialogs no journey opens.
                    await DialogAsync(owner, owner.Locator("[data-testid='team-edit']").First);
                    await DialogAsync(owner, owner.Locator("[data-testid='team-delete']").First);
                    await owner.GetByRole(AriaRole.Button, new() { Name = "More actions for Finance" }).ClickAsync();
                    await DialogAsync(owner, owner.GetByRole(AriaRole.Menuitem, new() { Name = "Rename" }));
                    break;
                case "api-keys":
                    await DialogAsync(owner, owner.Locator("[data-testid='create-key']"));
                    break;
                case "settings":
                    await DialogAsync(owner, owner.Locator("[data-testid='delete-org']"));
                    break;
            }
        }

        foreach (var path in new[] { "/organizations/new", "/directory", "/left-organization", "/not-found" })
        {
            await VisitAsync(owner, path);
        }

        foreach (var path in new[]
        {
            "/Account/Manage", "/Account/Manage/ChangePassword", "/Account/Manage/Email", "/Account/Manage/TwoFactorAuthentication",
            "/Account/Manage/EnableAuthenticator", "/Account/Manage/ResetAuthenticator", "/Account/Manage/ExternalLogins",
            "/Account/Manage/PersonalData", "/Account/Manage/DeletePersonalData", "/Account/Manage/Passkeys",
            "/Account/Manage/Sessions", "/Account/Manage/Assistants",
        })
        {
            await VisitAsync(owner, path);
        }

        // Partner staff: the partner dashboard, a client to create, a consolidated statement.
        var partner = await fixture.NewPageAsync(dark, found);
        await partner.SignInAsync("paula.partner@demo.multiorg.test", check: false);
        await partner.Locator("[data-testid='org-switcher-button']").ClickAsync();
        await partner.Locator("[data-testid='org-switcher-item']", new() { HasText = "Brightside Accounting" }).ClickAsync();
        await Expect(partner.Locator("[data-testid='partner-dashboard-link']")).ToBeVisibleAsync();
        var brightside = partner.OrganizationIdFromUrl();
        await VisitAsync(partner, $"/organizations/{brightside}/partner");
        await VisitAsync(partner, $"/organizations/{brightside}/organizations");
        await DialogAsync(partner, partner.Locator("[data-testid='create-client']"));
        await VisitAsync(partner, $"/organizations/{brightside}/billing");
        await partner.Locator("[data-testid='statement-row']").First.Locator("a").ClickAsync();
        await Expect(partner.Locator("[data-testid='statement-client']").First).ToBeVisibleAsync();
        await CheckAsync(partner);

        // Support: the console, then Acme as support sees it while impersonating (read-only).
        var support = await fixture.NewPageAsync(dark, found);
        await support.SignInAsync("sid.support@demo.multiorg.test", check: false);
        await VisitAsync(support, "/support");
        await support.Locator("input[data-testid='support-search']").FillAsync("Acme Corp");
        await Expect(support.Locator("[data-testid='support-org-name']")).ToHaveTextAsync(["Acme Corp"]);
        await support.Locator("[data-testid='support-impersonate']").ClickAsync();
        var impersonate = support.Locator("[data-testid='impersonate-dialog']");
        await impersonate.WaitForAsync();
        await Accessibility.CheckOpenDialogsAsync(support, found);
        await support.Locator("textarea[data-testid='impersonate-reason']").FillAsync("Accessibility sweep: reading Acme as support");
        await support.Locator("[data-testid='impersonate-start']").ClickAsync();
        await support.WaitForURLAsync(url => url.EndsWith("/dashboard", StringComparison.Ordinal));
        await CheckAsync(support);
        await VisitAsync(support, $"/organizations/{acme}/members");
        await support.Locator("[data-testid='impersonation-end']").ClickAsync();
        await support.WaitForURLAsync(url => url.EndsWith("/support", StringComparison.Ordinal));

        var admin = await fixture.NewPageAsync(dark, found);
        await admin.SignInAsync("ada.sysadmin@demo.multiorg.test", check: false);
        await VisitAsync(admin, "/support/internal-users");

        await AccountPagesOfANewPersonAsync(dark, found, VisitAsync, CheckAccountPageAsync);

        var sweptRoutes = Swept.Select(template => RouteTemplate().Replace(template, "{id}")).ToHashSet(StringComparer.Ordinal);
        sweptRoutes.Except(visited).Should().BeEmpty("the sweep visits every route it claims to");
        if (found.Count > 0)
        {
            throw new AccessibilityException(found, $" in the {(dark ? "dark" : "light")} theme ({Accessibility.RunTimeSummary})");
        }

        Console.WriteLine($"Accessibility sweep, {(dark ? "dark" : "light")}: {Accessibility.RunTimeSummary}");
    }

    /// <summary>
    /// The account pages a person reaches only with a mailed code, an invitation, two-factor on or no password: a new
    /// person registers, confirms the address, resets the password, turns two-factor on and signs in with it, has the
    /// password removed (as an account made through single sign-on has none), changes the address and invites someone.
    /// </summary>
    private async Task AccountPagesOfANewPersonAsync(bool dark, List<string> found, Func<IPage, string, Task> visit, Func<IPage, Task> check)
    {
        const string Password = "Sweep!Passw0rd";
        var mailbox = fixture.Server.Mailbox;
        var email = $"sweep.{Guid.NewGuid():N}@example.test";
        var person = await fixture.NewPageAsync(dark, found);
        await person.RegisterAsync(email, Password, "Sam Sweep", check: false);
        var visitor = await fixture.NewPageAsync(dark, found);
        await visit(visitor, new Uri(await mailbox.WaitForLinkToAsync(email, "/Account/ConfirmEmail")).PathAndQuery);

        await visitor.GotoAsync("/Account/ForgotPassword");
        await visitor.Locator("[name='Input.Email']").FillAsync(email);
        await visitor.GetByRole(AriaRole.Button, new() { Name = "Reset password" }).ClickAsync();
        await visit(visitor, new Uri(await mailbox.WaitForLinkToAsync(email, "/Account/ResetPassword")).PathAndQuery);

        await person.GotoAsync("/Account/Manage/EnableAuthenticator");
        var key = await person.Locator("kbd").InnerTextAsync();
        await person.Locator("[name='Input.Code']").FillAsync(Totp.Code(key));
        await person.GetByRole(AriaRole.Button, new() { Name = "Verify" }).ClickAsync();
        await Expect(person.GetByText("Your authenticator app has been verified.")).ToBeVisibleAsync();
        await visit(person, "/Account/Manage/Disable2fa");
        await visit(person, "/Account/Manage/GenerateRecoveryCodes");

        var signIn = await fixture.NewPageAsync(dark, found);
        await signIn.GotoAsync("/Account/Login");
        await signIn.Locator("[name='Input.Email']").FillAsync(email);
        await signIn.Locator("[name='Input.Password']").FillAsync(Password);
        await signIn.GetByRole(AriaRole.Button, new() { Name = "Log in", Exact = true }).ClickAsync();
        await signIn.WaitForURLAsync(url => url.Contains("/Account/LoginWith2fa", StringComparison.Ordinal));
        await check(signIn);
        await signIn.GetByRole(AriaRole.Link, new() { Name = "log in with a recovery code" }).ClickAsync();
        await signIn.WaitForURLAsync(url => url.Contains("/Account/LoginWithRecoveryCode", StringComparison.Ordinal));
        await check(signIn);

        // An invitation to the person's own new organization.
        var invited = $"sweep.invited.{Guid.NewGuid():N}@example.test";
        await person.GotoAsync("/organizations/new");
        await person.WaitForCircuitAsync(check: false);
        await person.Locator("input[data-testid='org-name']").FillAsync($"Sweep {Guid.NewGuid():N}"[..20]);
        await person.Locator("[data-testid='create-org']").ClickAsync();
        await person.WaitForURLAsync(url => url.EndsWith("/dashboard", StringComparison.Ordinal));
        await person.GotoAsync($"/organizations/{person.OrganizationIdFromUrl()}/members");
        await person.WaitForCircuitAsync(check: false);
        await person.Locator("[data-testid='invite-members']").ClickAsync();
        await person.Locator("[data-testid='invite-emails']").FillAsync(invited);
        await person.Locator("[data-testid='invite-submit']").ClickAsync();
        await Expect(person.GetByText("1 invitation was sent.")).ToBeVisibleAsync();
        await visit(visitor, new Uri(await mailbox.WaitForLinkToAsync(invited)).PathAndQuery);

        await using (var connection = new SqliteConnection($"Data Source={fixture.Server.DatabasePath};Pooling=False"))
        {
            await connection.OpenAsync();
            await using var forget = connection.CreateCommand();
            forget.CommandText = "UPDATE AspNetUsers SET PasswordHash = NULL WHERE NormalizedEmail = $email";
            forget.Parameters.AddWithValue("$email", email.ToUpperInvariant());
            (await forget.ExecuteNonQueryAsync()).Should().Be(1);
        }

        await visit(person, "/Account/Manage/SetPassword");

        var changed = $"sweep.changed.{Guid.NewGuid():N}@example.test";
        await person.GotoAsync("/Account/Manage/Email");
        await person.Locator("[name='Input.NewEmail']").FillAsync(changed);
        await person.GetByRole(AriaRole.Button, new() { Name = "Change email" }).ClickAsync();

        // The person follows the link: the change signs their other sessions out.
        await visit(person, new Uri(await mailbox.WaitForLinkToAsync(changed, "/Account/ConfirmEmailChange")).PathAndQuery);
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"\{[^}]+\}")]
    private static partial System.Text.RegularExpressions.Regex RouteTemplate();
}
