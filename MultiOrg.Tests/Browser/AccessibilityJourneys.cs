using System.Reflection;
using Microsoft.AspNetCore.Components;
using Microsoft.Data.Sqlite;
using Microsoft.Playwright;
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
        ["/Account/ConfirmEmail"] = "needs the one-time code of a mail; without it redirects to the sign-in page (swept)",
        ["/Account/ConfirmEmailChange"] = "needs the one-time code of a mail; without it redirects to the sign-in page (swept)",
        ["/Account/ResetPassword"] = "needs the one-time code of a mail; without it redirects to InvalidPasswordReset (swept)",
        ["/Account/Invitation"] = "needs an invitation token of a mail; the invitation journeys open it",
        ["/Account/ConnectAssistant"] = "needs an OAuth authorization request; AssistantConnectionJourneys opens it",
        ["/Account/ExternalLogin"] = "the callback of an external identity provider (single sign-on journeys)",
        ["/Account/LoginWith2fa"] = "only between password and second factor of an account with two-factor on",
        ["/Account/LoginWithRecoveryCode"] = "only between password and second factor of an account with two-factor on",
        ["/Account/Sso/StepUp"] = "only in a single sign-on step-up (single sign-on journeys)",
        ["/Account/Manage/Disable2fa"] = "only for an account with two-factor on",
        ["/Account/Manage/GenerateRecoveryCodes"] = "only for an account with two-factor on",
        ["/Account/Manage/SetPassword"] = "only for an account without a password (single sign-on only)",
        ["/Account/Manage/RenamePasskey/{Id}"] = "needs a registered passkey (PasskeyJourneys)",
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

        async Task DialogAsync(IPage page, ILocator opener)
        {
            await opener.ClickAsync();
            var dialog = page.Locator(".mud-dialog").Last;
            await dialog.WaitForAsync();
            found.AddRange(await Accessibility.DialogViolationsAsync(page, dialog));
            await page.Keyboard.PressAsync("Escape");
            await Expect(page.Locator(".mud-dialog")).ToHaveCountAsync(0);
        }

        var anonymous = await fixture.NewPageAsync(dark);
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

        var owner = await fixture.NewPageAsync(dark);
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
        var partner = await fixture.NewPageAsync(dark);
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
        var support = await fixture.NewPageAsync(dark);
        await support.SignInAsync("sid.support@demo.multiorg.test", check: false);
        await VisitAsync(support, "/support");
        await support.Locator("input[data-testid='support-search']").FillAsync("Acme Corp");
        await Expect(support.Locator("[data-testid='support-org-name']")).ToHaveTextAsync(["Acme Corp"]);
        await support.Locator("[data-testid='support-impersonate']").ClickAsync();
        var impersonate = support.Locator("[data-testid='impersonate-dialog']");
        await impersonate.WaitForAsync();
        found.AddRange(await Accessibility.DialogViolationsAsync(support, support.Locator(".mud-dialog").Last));
        await support.Locator("textarea[data-testid='impersonate-reason']").FillAsync("Accessibility sweep: reading Acme as support");
        await support.Locator("[data-testid='impersonate-start']").ClickAsync();
        await support.WaitForURLAsync(url => url.EndsWith("/dashboard", StringComparison.Ordinal));
        await CheckAsync(support);
        await VisitAsync(support, $"/organizations/{acme}/members");
        await support.Locator("[data-testid='impersonation-end']").ClickAsync();
        await support.WaitForURLAsync(url => url.EndsWith("/support", StringComparison.Ordinal));

        var admin = await fixture.NewPageAsync(dark);
        await admin.SignInAsync("ada.sysadmin@demo.multiorg.test", check: false);
        await VisitAsync(admin, "/support/internal-users");

        var sweptRoutes = Swept.Select(template => RouteTemplate().Replace(template, "{id}")).ToHashSet(StringComparer.Ordinal);
        sweptRoutes.Except(visited).Should().BeEmpty("the sweep visits every route it claims to");
        if (found.Count > 0)
        {
            throw new AccessibilityException(found, $" in the {(dark ? "dark" : "light")} theme ({Accessibility.RunTimeSummary})");
        }

        Console.WriteLine($"Accessibility sweep, {(dark ? "dark" : "light")}: {Accessibility.RunTimeSummary}");
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"\{[^}]+\}")]
    private static partial System.Text.RegularExpressions.Regex RouteTemplate();
}
