using System.Net;
using System.Net.Http.Json;
using MultiOrg.Tests.Harness;

namespace MultiOrg.Tests.Api;

/// <summary>Enums travel as names only and every number a request carries has an upper bound, refused naming the field.</summary>
public sealed class BoundedInputApiTests : IAsyncLifetime
{
    private ApiFactory factory = null!;
    private ApiUser owner = null!;
    private Guid organizationId;

    public async Task InitializeAsync()
    {
        factory = new ApiFactory();
        owner = await factory.RegisterAsync("owner");
        organizationId = await owner.CreateOrganizationAsync("Bounded");
    }

    public Task DisposeAsync()
    {
        factory.Dispose();
        return Task.CompletedTask;
    }

    private string Url(string path) => $"/api/organizations/{organizationId}{path}";

    private static async Task ShouldBeRefusedNamingAsync(HttpResponseMessage response, string field)
    {
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(HttpStatusCode.BadRequest, body);
        body.Should().Contain(field, "the problem names the field");
    }

    [Fact]
    public async Task An_invitation_role_given_as_a_number_is_refused_naming_role()
    {
        var response = await owner.Client.PostAsJsonAsync(Url("/invitations"), new { emails = new[] { "someone@example.test" }, role = 7 });

        await ShouldBeRefusedNamingAsync(response, "role");
        (await owner.Client.GetFromJsonAsync<System.Text.Json.JsonElement>(Url("/invitations"))).GetArrayLength().Should().Be(0, "nothing was invited as MEMBER");
    }

    [Fact]
    public async Task An_invitation_role_given_as_a_known_number_is_refused_too()
    {
        var response = await owner.Client.PostAsJsonAsync(Url("/invitations"), new { emails = new[] { "someone@example.test" }, role = 2 });

        await ShouldBeRefusedNamingAsync(response, "role");
    }

    [Fact]
    public async Task An_unknown_invitation_role_name_is_refused_naming_role()
    {
        var response = await owner.Client.PostAsJsonAsync(Url("/invitations"), new { emails = new[] { "someone@example.test" }, role = "SUPERUSER" });

        await ShouldBeRefusedNamingAsync(response, "role");
    }

    [Fact]
    public async Task A_role_name_is_still_accepted()
    {
        var response = await owner.Client.PostAsJsonAsync(Url("/invitations"), new { emails = new[] { "someone@example.test" }, role = "ADMIN" });

        response.IsSuccessStatusCode.Should().BeTrue(await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_huge_credit_purchase_is_refused_naming_packs()
    {
        await ShouldBeRefusedNamingAsync(await owner.Client.PostAsJsonAsync(Url("/billing/credits"), new { packs = 1_000_000 }), "packs");
        await ShouldBeRefusedNamingAsync(await owner.Client.PostAsJsonAsync(Url("/billing/credits"), new { packs = 99_999_999_999L }), "packs");
    }

    [Theory]
    [InlineData("/members?pageSize=100000")]
    [InlineData("/audit?pageSize=100000")]
    [InlineData("/billing/ledger?pageSize=100000")]
    [InlineData("/members?pageSize=0")]
    [InlineData("/members?pageSize=99999999999")]
    public async Task A_page_size_beyond_the_bound_is_refused_naming_page_size(string path)
    {
        await ShouldBeRefusedNamingAsync(await owner.Client.GetAsync(Url(path)), "pageSize");
    }

    [Theory]
    [InlineData("/members?page=2147483647")]
    [InlineData("/audit?page=0")]
    public async Task A_page_beyond_the_bound_is_refused_naming_page(string path)
    {
        await ShouldBeRefusedNamingAsync(await owner.Client.GetAsync(Url(path)), "page");
    }

    [Fact]
    public async Task A_directory_page_size_beyond_the_bound_is_refused_naming_page_size()
    {
        await ShouldBeRefusedNamingAsync(await owner.Client.GetAsync("/api/directory?pageSize=100000"), "pageSize");
    }

    [Fact]
    public async Task A_sort_given_as_a_number_in_the_query_is_refused_naming_sort()
    {
        await ShouldBeRefusedNamingAsync(await owner.Client.GetAsync(Url("/members?sort=7")), "sort");
        await ShouldBeRefusedNamingAsync(await owner.Client.GetAsync(Url("/members?sort=1")), "sort");
    }

    [Fact]
    public async Task An_unknown_sort_name_in_the_query_is_refused_naming_sort()
    {
        await ShouldBeRefusedNamingAsync(await owner.Client.GetAsync(Url("/members?sort=KING")), "sort");
    }

    [Fact]
    public async Task A_sort_name_in_the_query_is_still_accepted()
    {
        (await owner.Client.GetAsync(Url("/members?sort=Name"))).StatusCode.Should().Be(HttpStatusCode.OK);
    }
}

/// <summary>Numbers from configuration are bounded too: a bad one stops the app at start, naming the setting.</summary>
public sealed class BoundedSettingsTests
{
    [Fact]
    public void An_invitation_expiry_beyond_90_days_stops_the_app_at_start_naming_the_setting()
    {
        using var factory = new ApiFactory(new Dictionary<string, string> { ["Invitations:ExpiryDays"] = "100000" });

        var start = () => factory.CreateClient();

        start.Should().Throw<Exception>().Where(e => e.ToString().Contains("Invitations:ExpiryDays must be between 1 and 90", StringComparison.Ordinal));
    }
}
