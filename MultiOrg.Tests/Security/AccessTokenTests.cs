using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using MultiOrg.Domain.Users;
using MultiOrg.Tests.Harness;

namespace MultiOrg.Tests.Security;

/// <summary>
/// Bearer access tokens end with the session behind them, and a refresh token works once. The host re-checks a person's
/// security stamp after <c>AccessTokens:RecheckAfter</c> at the latest; here it is zero, so every request checks.
/// </summary>
public sealed class AccessTokenTests : IDisposable
{
    private readonly ApiFactory factory = new(new Dictionary<string, string> { ["AccessTokens:RecheckAfter"] = "00:00:00" });

    public void Dispose() => factory.Dispose();

    [Fact]
    public async Task An_access_token_is_refused_after_its_owner_is_signed_out_everywhere()
    {
        var (organization, owner, target) = await OrganizationWithMemberAsync(factory);
        (await target.Client.GetAsync("/api/auth/me")).StatusCode.Should().Be(HttpStatusCode.OK);

        (await owner.Client.PostAsync($"/api/organizations/{organization}/security/members/{target.Id}/sign-out-everywhere", null))
            .StatusCode.Should().Be(HttpStatusCode.NoContent);

        (await target.Client.GetAsync("/api/auth/me")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await target.Client.GetAsync("/api/auth/manage/info")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task An_access_token_is_refused_after_a_password_change()
    {
        var person = await factory.RegisterAsync("changer");
        using var other = await factory.LoginAsync(person.Email, ApiFactory.Password);

        var change = await person.Client.PostAsJsonAsync("/api/auth/manage/info", new { oldPassword = ApiFactory.Password, newPassword = "An0ther!Passw0rd" });

        change.StatusCode.Should().Be(HttpStatusCode.OK);
        (await other.GetAsync("/api/auth/me")).StatusCode.Should().Be(HttpStatusCode.Unauthorized, "a token issued before the change");
        (await person.Client.GetAsync("/api/auth/me")).StatusCode.Should().Be(HttpStatusCode.Unauthorized, "the token that made the change too");
        using var fresh = await factory.LoginAsync(person.Email, "An0ther!Passw0rd");
        (await fresh.GetAsync("/api/auth/me")).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task An_access_token_is_refused_while_its_account_is_locked_out()
    {
        var person = await factory.RegisterAsync("locked");
        using var anonymous = factory.CreateClient();
        for (var attempt = 0; attempt < 5; attempt++)
        {
            (await anonymous.PostAsJsonAsync("/api/auth/login", new { email = person.Email, password = "Wrong!Passw0rd" }))
                .StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        }

        (await person.Client.GetAsync("/api/auth/me")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task An_access_token_is_refused_after_its_account_is_deleted()
    {
        var person = await factory.RegisterAsync("deleted");
        using (var scope = factory.Services.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            (await users.DeleteAsync((await users.FindByIdAsync(person.Id))!)).Succeeded.Should().BeTrue();
        }

        (await person.Client.GetAsync("/api/auth/manage/info")).StatusCode.Should().Be(HttpStatusCode.Unauthorized, "no one stands behind the token");
    }

    [Fact]
    public async Task A_refresh_token_works_once_and_presenting_it_again_ends_its_family_and_is_audited_in_each_organization()
    {
        var person = await factory.RegisterAsync("refresher");
        var first = await person.CreateOrganizationAsync("Refresh One");
        var second = await person.CreateOrganizationAsync("Refresh Two");
        using var anonymous = factory.CreateClient();
        var login = await TokensAsync(await anonymous.PostAsJsonAsync("/api/auth/login", new { email = person.Email, password = ApiFactory.Password }));

        var refreshed = await TokensAsync(await anonymous.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = login.Refresh }));
        using var refreshedClient = Bearer(factory, refreshed.Access);
        (await refreshedClient.GetAsync("/api/auth/me")).StatusCode.Should().Be(HttpStatusCode.OK);

        var replay = await anonymous.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = login.Refresh });

        replay.StatusCode.Should().Be(HttpStatusCode.Unauthorized, "a used refresh token is refused");
        (await anonymous.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = refreshed.Refresh }))
            .StatusCode.Should().Be(HttpStatusCode.Unauthorized, "the refresh token derived from the replayed one belongs to the ended family");
        (await refreshedClient.GetAsync("/api/auth/me")).StatusCode.Should().Be(HttpStatusCode.Unauthorized, "and so does its access token");
        using (var loginClient = Bearer(factory, login.Access))
        {
            (await loginClient.GetAsync("/api/auth/me")).StatusCode.Should().Be(HttpStatusCode.Unauthorized, "the family's first access token too");
        }

        // A new sign-in is a new family; it reads both organizations' logs.
        using var again = await factory.LoginAsync(person.Email, ApiFactory.Password);
        foreach (var organization in new[] { first, second })
        {
            var log = await again.GetFromJsonAsync<JsonElement>($"/api/organizations/{organization}/audit?action=token.refresh-reused");
            var entries = log.GetProperty("items").EnumerateArray().ToList();
            entries.Should().ContainSingle("organization {0} is one of the person's", organization);
            entries[0].GetProperty("actorUserId").GetString().Should().Be(person.Id);
            (await again.GetFromJsonAsync<JsonElement>($"/api/organizations/{organization}/audit/verify")).GetProperty("intact").GetBoolean().Should().BeTrue();
        }
    }

    [Fact]
    public async Task Refreshing_in_turn_keeps_working_while_each_refresh_token_is_used_once()
    {
        var person = await factory.RegisterAsync("rotator");
        using var anonymous = factory.CreateClient();
        var tokens = await TokensAsync(await anonymous.PostAsJsonAsync("/api/auth/login", new { email = person.Email, password = ApiFactory.Password }));

        for (var turn = 0; turn < 3; turn++)
        {
            tokens = await TokensAsync(await anonymous.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = tokens.Refresh }));
        }

        using var client = Bearer(factory, tokens.Access);
        (await client.GetAsync("/api/auth/me")).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task An_access_token_is_refused_once_the_recheck_bound_has_passed_after_sign_out_everywhere()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var bounded = new ApiFactory(new Dictionary<string, string> { ["AccessTokens:RecheckAfter"] = "00:00:30" });
        using var host = bounded.WithWebHostBuilder(builder => builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(clock)));
        var (organization, owner, target) = await OrganizationWithMemberAsync(bounded, host);
        (await target.Client.GetAsync("/api/auth/me")).StatusCode.Should().Be(HttpStatusCode.OK);

        (await owner.Client.PostAsync($"/api/organizations/{organization}/security/members/{target.Id}/sign-out-everywhere", null))
            .StatusCode.Should().Be(HttpStatusCode.NoContent);

        clock.Advance(TimeSpan.FromSeconds(29));
        (await target.Client.GetAsync("/api/auth/me")).StatusCode.Should().Be(HttpStatusCode.OK, "inside the bound the server trusts its check of 29 s ago");
        clock.Advance(TimeSpan.FromSeconds(1));
        (await target.Client.GetAsync("/api/auth/me")).StatusCode.Should().Be(HttpStatusCode.Unauthorized, "30 s after the last check the stamp is read again");
    }

    [Fact]
    public async Task A_used_refresh_token_is_kept_as_long_as_a_token_of_its_family_can_be_valid_then_purged()
    {
        var person = await factory.RegisterAsync("purged");
        using var anonymous = factory.CreateClient();
        var login = await TokensAsync(await anonymous.PostAsJsonAsync("/api/auth/login", new { email = person.Email, password = ApiFactory.Password }));
        await TokensAsync(await anonymous.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = login.Refresh }));
        DateTime usedAt;
        await using (var db = factory.Database.CreateContext())
        {
            usedAt = await db.Set<MultiOrg.Domain.Security.UsedRefreshToken>().Where(t => t.UserId == person.Id).Select(t => t.UsedAt).SingleAsync();
        }

        using var scope = factory.Services.CreateScope();
        var service = scope.ServiceProvider.GetRequiredService<MultiOrg.Domain.Security.RefreshTokenService>();
        var lifetime = TimeSpan.FromDays(14);

        (await service.PurgeExpiredAsync(usedAt + lifetime - TimeSpan.FromSeconds(1))).Should().Be(0, "the refresh token issued at that use is valid until {0:o}", usedAt + lifetime);
        (await service.PurgeExpiredAsync(usedAt + lifetime)).Should().Be(1);
    }

    private sealed record Tokens(string Access, string Refresh);

    private static async Task<Tokens> TokensAsync(HttpResponseMessage response)
    {
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var json = await response.JsonAsync();
        return new Tokens(json.GetProperty("accessToken").GetString()!, json.GetProperty("refreshToken").GetString()!);
    }

    private static HttpClient Bearer(Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program> host, string token)
    {
        var client = host.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>An owner's organization with a member; through <paramref name="host"/> when the test host is reconfigured.</summary>
    private static async Task<(Guid Organization, ApiUser Owner, ApiUser Target)> OrganizationWithMemberAsync(
        ApiFactory factory, Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program>? host = null)
    {
        host ??= factory;
        var owner = await RegisterAsync(factory, host, "owner");
        var target = await RegisterAsync(factory, host, "target");
        var organization = await owner.CreateOrganizationAsync("Tokens");
        await owner.AddMemberAsync(organization, target, "MEMBER");
        return (organization, owner, target);
    }

    private static async Task<ApiUser> RegisterAsync(ApiFactory factory, Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program> host, string name)
    {
        var email = $"{name}.{Guid.NewGuid():N}@example.test";
        using var anonymous = host.CreateClient();
        (await anonymous.PostAsJsonAsync("/api/auth/register", new { email, password = ApiFactory.Password })).EnsureSuccessStatusCode();
        await factory.ConfirmEmailAsync(email);
        var tokens = await TokensAsync(await anonymous.PostAsJsonAsync("/api/auth/login", new { email, password = ApiFactory.Password }));
        var client = Bearer(host, tokens.Access);
        var me = await client.GetFromJsonAsync<JsonElement>("/api/auth/me");
        return new ApiUser(me.GetProperty("user").GetProperty("id").GetString()!, email, client);
    }
}
