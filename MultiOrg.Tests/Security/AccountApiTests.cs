using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using MultiOrg.Tests.Harness;

namespace MultiOrg.Tests.Security;

public sealed class AccountApiTests(ApiWorld world) : IClassFixture<ApiWorld>
{
    [Fact]
    public async Task Sign_in_locks_out_after_five_failures_even_with_the_right_password_next()
    {
        var user = await world.Factory.RegisterAsync("lockme");
        using var anonymous = world.Factory.CreateClient();

        for (var attempt = 0; attempt < 5; attempt++)
        {
            var wrong = await anonymous.PostAsJsonAsync("/api/auth/login", new { email = user.Email, password = "Wrong!Passw0rd" });
            wrong.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        }

        var right = await anonymous.PostAsJsonAsync("/api/auth/login", new { email = user.Email, password = ApiFactory.Password });

        right.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await right.JsonAsync()).GetProperty("detail").GetString().Should().Be("LockedOut");
    }

    [Fact]
    public async Task Register_refuses_a_weak_password_with_400()
    {
        using var anonymous = world.Factory.CreateClient();

        var response = await anonymous.PostAsJsonAsync("/api/auth/register", new { email = "weak@example.test", password = "123" });

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task The_sign_in_page_is_served()
    {
        using var anonymous = world.Factory.CreateClient();

        var page = await anonymous.GetStringAsync("/Account/Login");

        page.Should().Contain("Log in");
    }
}

public sealed class ConfirmedAccountTests
{
    [Fact]
    public async Task With_confirmed_accounts_required_an_unconfirmed_account_cannot_sign_in_until_confirmed()
    {
        using var factory = new ApiFactory(new Dictionary<string, string> { ["Identity:RequireConfirmedAccount"] = "true" });
        using var client = factory.CreateClient();
        var email = $"unconfirmed.{Guid.NewGuid():N}@example.test";
        (await client.PostAsJsonAsync("/api/auth/register", new { email, password = ApiFactory.Password })).EnsureSuccessStatusCode();

        var before = await client.PostAsJsonAsync("/api/auth/login", new { email, password = ApiFactory.Password });
        await using (var db = factory.Database.CreateContext())
        {
            await db.Users.Where(u => u.Email == email).ExecuteUpdateAsync(s => s.SetProperty(u => u.EmailConfirmed, true));
        }

        var after = await client.PostAsJsonAsync("/api/auth/login", new { email, password = ApiFactory.Password });

        before.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await before.JsonAsync()).GetProperty("detail").GetString().Should().Be("NotAllowed");
        after.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task With_confirmed_accounts_required_registering_on_the_page_leads_to_the_confirmation_step()
    {
        using var factory = new ApiFactory(new Dictionary<string, string> { ["Identity:RequireConfirmedAccount"] = "true" });
        using var client = factory.CreateClient();

        var email = $"pending.{Guid.NewGuid():N}@example.test";
        (await client.PostAsJsonAsync("/api/auth/register", new { email, password = ApiFactory.Password })).EnsureSuccessStatusCode();

        var page = await client.GetStringAsync($"/Account/RegisterConfirmation?email={Uri.EscapeDataString(email)}");

        page.Should().Contain("Register confirmation");
    }

    [Fact]
    public async Task The_sign_in_page_follows_the_browsers_dark_preference_with_the_apps_dark_palette()
    {
        using var factory = new ApiFactory();
        using var anonymous = factory.CreateClient();

        var html = await anonymous.GetStringAsync("/Account/Login");

        var dark = html[html.IndexOf("@media (prefers-color-scheme: dark)", StringComparison.Ordinal)..];
        dark.Should().Contain("--mud-palette-background: rgba(15,19,26,1)", "the dark palette's background (#0f131a), only under the media query");
        html[..html.IndexOf("@media (prefers-color-scheme: dark)", StringComparison.Ordinal)].Should().Contain("--mud-palette-background: rgba(246,247,251,1)");
    }
}
