using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MultiOrg.Tests.Harness;

namespace MultiOrg.Tests.Security;

/// <summary>The app behind a trusted proxy (10.1.1.1), so a test chooses each request's client address with X-Forwarded-For.</summary>
public sealed class ProxiedApiWorld : IAsyncLifetime
{
    public const string Office = "203.0.113.10";
    public const string Home = "198.51.100.7";

    public ApiFactory Factory { get; } = new(new Dictionary<string, string>
    {
        ["ForwardedHeaders:KnownProxies:0"] = "10.1.1.1",
        ["Security:AuditRetentionJob"] = "false",
    });

    public ApiUser Owner { get; private set; } = null!;

    public ApiUser Member { get; private set; } = null!;

    public ApiUser OtherOwner { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Owner = await Factory.RegisterAsync("owner");
        Member = await Factory.RegisterAsync("member");
        OtherOwner = await Factory.RegisterAsync("other");
    }

    public Task DisposeAsync()
    {
        Factory.Dispose();
        return Task.CompletedTask;
    }
}

public sealed class SecurityPoliciesApiTests(ProxiedApiWorld world) : IClassFixture<ProxiedApiWorld>
{
    private static Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string url, string from, object? body = null)
    {
        var request = new HttpRequestMessage(method, url);
        request.Headers.Add("X-Forwarded-For", from);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        return client.SendAsync(request);
    }

    private static Task<HttpResponseMessage> PutPolicyAsync(ApiUser user, Guid organizationId, object body, string from = ProxiedApiWorld.Office) =>
        SendAsync(user.Client, HttpMethod.Put, $"/api/organizations/{organizationId}/security", from, body);

    /// <summary>Acme (Owner, with Member) and the member's own organization.</summary>
    private async Task<(Guid Acme, Guid MembersOwn)> OrganizationsAsync()
    {
        var acme = await world.Owner.CreateOrganizationAsync("Acme");
        await world.Owner.AddMemberAsync(acme, world.Member, "MEMBER");
        var own = await world.Member.CreateOrganizationAsync("Member's own");
        return (acme, own);
    }

    [Fact]
    public async Task An_address_outside_the_allow_list_gets_403_problem_details_for_that_organization_only()
    {
        var (acme, own) = await OrganizationsAsync();
        (await PutPolicyAsync(world.Owner, acme, new { ipAllowList = new[] { "203.0.113.0/24" } })).StatusCode.Should().Be(HttpStatusCode.OK);

        var fromHome = await SendAsync(world.Member.Client, HttpMethod.Get, $"/api/organizations/{acme}/members", ProxiedApiWorld.Home);
        var fromOffice = await SendAsync(world.Member.Client, HttpMethod.Get, $"/api/organizations/{acme}/members", ProxiedApiWorld.Office);
        var ownFromHome = await SendAsync(world.Member.Client, HttpMethod.Get, $"/api/organizations/{own}/members", ProxiedApiWorld.Home);

        fromHome.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        fromHome.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        var problem = await fromHome.JsonAsync();
        problem.GetProperty("detail").GetString().Should().Contain(ProxiedApiWorld.Home).And.Contain("Acme");
        problem.GetProperty("refusal").GetString().Should().Be("AddressNotAllowed");
        fromOffice.StatusCode.Should().Be(HttpStatusCode.OK);
        ownFromHome.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task An_api_key_used_from_outside_the_allow_list_is_refused_too()
    {
        var (acme, _) = await OrganizationsAsync();
        var created = await SendAsync(world.Owner.Client, HttpMethod.Post, $"/api/organizations/{acme}/api-keys", ProxiedApiWorld.Office, new { name = "Sync", role = "ADMIN" });
        var secret = (await created.JsonAsync()).GetProperty("secret").GetString()!;
        await PutPolicyAsync(world.Owner, acme, new { ipAllowList = new[] { "203.0.113.0/24" } });
        using var key = world.Factory.CreateClient();
        key.DefaultRequestHeaders.Add("X-Api-Key", secret);

        (await SendAsync(key, HttpMethod.Get, $"/api/organizations/{acme}/members", ProxiedApiWorld.Home)).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await SendAsync(key, HttpMethod.Get, $"/api/organizations/{acme}/members", ProxiedApiWorld.Office)).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task An_invalid_range_is_a_400_naming_the_entry()
    {
        var (acme, _) = await OrganizationsAsync();

        var response = await PutPolicyAsync(world.Owner, acme, new { ipAllowList = new[] { "203.0.113.0/24", "not-a-range" } });

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        var problem = await response.JsonAsync();
        problem.GetProperty("errors").GetProperty("ipAllowList")[0].GetString().Should().Contain("“not-a-range”");
    }

    [Fact]
    public async Task A_list_excluding_the_callers_address_is_a_409_until_confirmed()
    {
        var (acme, _) = await OrganizationsAsync();

        var unconfirmed = await PutPolicyAsync(world.Owner, acme, new { ipAllowList = new[] { "192.0.2.0/24" } });
        var confirmed = await PutPolicyAsync(world.Owner, acme, new { ipAllowList = new[] { "192.0.2.0/24" }, confirmExcludesMyAddress = true });

        unconfirmed.StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await unconfirmed.JsonAsync()).GetProperty("detail").GetString().Should().Contain(ProxiedApiWorld.Office);
        confirmed.StatusCode.Should().Be(HttpStatusCode.OK);
        (await SendAsync(world.Owner.Client, HttpMethod.Get, $"/api/organizations/{acme}/security", ProxiedApiWorld.Office))
            .StatusCode.Should().Be(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Required_two_factor_refuses_a_member_without_an_authenticator_in_that_organization_only()
    {
        var (acme, own) = await OrganizationsAsync();
        (await PutPolicyAsync(world.Owner, acme, new { requireTwoFactor = true })).StatusCode.Should().Be(HttpStatusCode.OK);

        var inAcme = await SendAsync(world.Member.Client, HttpMethod.Get, $"/api/organizations/{acme}", ProxiedApiWorld.Office);
        var inOwn = await SendAsync(world.Member.Client, HttpMethod.Get, $"/api/organizations/{own}", ProxiedApiWorld.Office);

        inAcme.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await inAcme.JsonAsync()).GetProperty("refusal").GetString().Should().Be("TwoFactorSetup");
        inOwn.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_member_reads_nothing_and_an_owner_of_another_organization_reaches_nothing_by_swapping_ids()
    {
        var (acme, _) = await OrganizationsAsync();
        var other = await world.OtherOwner.CreateOrganizationAsync("Other");

        (await SendAsync(world.Member.Client, HttpMethod.Get, $"/api/organizations/{acme}/security", ProxiedApiWorld.Office)).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await PutPolicyAsync(world.Member, acme, new { requireTwoFactor = true })).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await SendAsync(world.OtherOwner.Client, HttpMethod.Get, $"/api/organizations/{acme}/security", ProxiedApiWorld.Office)).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await PutPolicyAsync(world.OtherOwner, acme, new { requireTwoFactor = true })).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await PutPolicyAsync(world.Owner, other, new { requireTwoFactor = true })).StatusCode.Should().Be(HttpStatusCode.Forbidden);

        var acmePolicy = await (await SendAsync(world.Owner.Client, HttpMethod.Get, $"/api/organizations/{acme}/security", ProxiedApiWorld.Office)).JsonAsync();
        acmePolicy.GetProperty("requireTwoFactor").GetBoolean().Should().BeFalse();
    }

    [Fact]
    public async Task Without_trusted_proxies_a_forwarded_address_is_not_believed()
    {
        using var direct = new ApiFactory(new Dictionary<string, string> { ["Security:AuditRetentionJob"] = "false" });
        var owner = await direct.RegisterAsync("owner");
        var acme = await owner.CreateOrganizationAsync("Acme");
        await SendAsync(owner.Client, HttpMethod.Put, $"/api/organizations/{acme}/security", ProxiedApiWorld.Office,
            new { ipAllowList = new[] { "203.0.113.0/24" }, confirmExcludesMyAddress = true });

        // The test host has no client address of its own; a header claiming the office address changes nothing.
        var response = await SendAsync(owner.Client, HttpMethod.Get, $"/api/organizations/{acme}", ProxiedApiWorld.Office);

        response.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await response.JsonAsync()).GetProperty("detail").GetString().Should().Contain("unknown");
    }

    [Fact]
    public async Task A_stricter_password_rule_is_enforced_when_the_member_changes_their_password()
    {
        var (acme, _) = await OrganizationsAsync();
        var person = await world.Factory.RegisterAsync("changer");
        await world.Owner.AddMemberAsync(acme, person, "MEMBER");
        await PutPolicyAsync(world.Owner, acme, new { passwordMinLength = 20, passwordRequireSymbol = true });
        (await person.Client.GetAsync($"/api/organizations/{acme}")).StatusCode.Should().Be(HttpStatusCode.Forbidden, "the password predates the rule");

        var tooShort = await person.Client.PostAsJsonAsync("/api/auth/manage/info", new { oldPassword = ApiFactory.Password, newPassword = "Short!Passw0rd" });
        var longEnough = await person.Client.PostAsJsonAsync("/api/auth/manage/info", new { oldPassword = ApiFactory.Password, newPassword = "A-much-longer-passphrase-1" });

        tooShort.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await tooShort.Content.ReadAsStringAsync()).Should().Contain("at least 20 characters (Acme)");
        longEnough.StatusCode.Should().Be(HttpStatusCode.OK);
        (await person.Client.GetAsync($"/api/organizations/{acme}")).StatusCode.Should().Be(HttpStatusCode.OK, "the new password meets the rule");
    }
}
