using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using MultiOrg.Tests.Harness;

namespace MultiOrg.Tests.Partner;

/// <summary>The partner operations of the design document over the API: list and create clients, generate a client's key.</summary>
public sealed class PartnerApiTests(ApiWorld world) : IClassFixture<ApiWorld>
{
    private async Task<Guid> PartnerAsync(string name)
    {
        var id = await world.Owner.CreateOrganizationAsync(name);
        await world.MakePartnerAsync(id);
        return id;
    }

    [Fact]
    public async Task A_partner_creates_a_client_from_templates_and_lists_it_and_the_clients_own_key_reaches_only_the_client()
    {
        var partner = await PartnerAsync("API Partner");

        var response = await world.Owner.Client.PostAsJsonAsync($"/api/organizations/{partner}/clients",
            new { name = "API Client GmbH", path = "Template", countryCode = "DE", accountingStandard = "Ifrs", chartOfAccounts = "Standard", taxSystem = "AutoDetect" });

        response.StatusCode.Should().Be(HttpStatusCode.Created);
        var created = await response.JsonAsync();
        var clientId = created.GetProperty("organizationId").GetGuid();
        created.GetProperty("warnings").GetArrayLength().Should().Be(0);
        var clients = await world.Owner.Client.GetFromJsonAsync<JsonElement>($"/api/organizations/{partner}/clients");
        clients.EnumerateArray().Select(c => c.GetProperty("name").GetString()).Should().Contain("API Client GmbH");

        using var keyClient = world.Factory.CreateClient();
        keyClient.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", created.GetProperty("apiKey").GetString());
        (await keyClient.GetAsync($"/api/organizations/{clientId}")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await keyClient.GetAsync($"/api/organizations/{partner}")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        var taxCodes = await keyClient.GetFromJsonAsync<JsonElement>($"/api/organizations/{clientId}/tax-codes");
        taxCodes.EnumerateArray().Should().Contain(t => t.GetProperty("code").GetString() == "VAT-STD" && t.GetProperty("ratePercent").GetDecimal() == 19m);
    }

    [Fact]
    public async Task Partner_staff_generate_a_clients_api_key_through_the_clients_route()
    {
        var partner = await PartnerAsync("Key Partner");
        var created = await (await world.Owner.Client.PostAsJsonAsync($"/api/organizations/{partner}/clients",
            new { name = "Keyless Client", path = "Template", countryCode = "US" })).JsonAsync();
        var clientId = created.GetProperty("organizationId").GetGuid();

        await world.Owner.AddMemberAsync(partner, world.Admin, "ADMIN");

        var key = await world.Admin.Client.PostAsJsonAsync($"/api/organizations/{clientId}/api-keys", new { name = "Client integration", role = "ADMIN" });
        var tooStrong = await world.Admin.Client.PostAsJsonAsync($"/api/organizations/{clientId}/api-keys", new { name = "Owner key", role = "OWNER" });
        var byPartnerOwner = await world.Owner.Client.PostAsJsonAsync($"/api/organizations/{clientId}/api-keys", new { name = "Owner key", role = "OWNER" });

        key.StatusCode.Should().Be(HttpStatusCode.Created);
        tooStrong.StatusCode.Should().Be(HttpStatusCode.Forbidden, "the partner's ADMINs act as ADMIN in a client");
        byPartnerOwner.StatusCode.Should().Be(HttpStatusCode.Created, "the partner's OWNERs act as the client's owners");
    }

    [Fact]
    public async Task A_standard_organization_cannot_create_clients_and_bad_onboarding_input_is_400()
    {
        var standard = await world.Owner.CreateOrganizationAsync("Plain company");
        var partner = await PartnerAsync("Strict Partner");

        var fromStandard = await world.Owner.Client.PostAsJsonAsync($"/api/organizations/{standard}/clients", new { name = "x", path = "Template", countryCode = "US" });
        var noPath = await world.Owner.Client.PostAsJsonAsync($"/api/organizations/{partner}/clients", new { name = "x" });
        var badCountry = await world.Owner.Client.PostAsJsonAsync($"/api/organizations/{partner}/clients", new { name = "x", path = "Template", countryCode = "ZZ" });

        fromStandard.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        noPath.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        badCountry.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await badCountry.JsonAsync()).GetProperty("errors").TryGetProperty("countryCode", out _).Should().BeTrue();
    }

    [Fact]
    public async Task The_dashboard_drift_and_push_of_one_partner_never_reach_another_partners_clients()
    {
        var mine = await PartnerAsync("Dashboard Partner A");
        var theirs = await world.Outsider.CreateOrganizationAsync("Dashboard Partner B");
        await world.MakePartnerAsync(theirs);
        async Task<Guid> ClientAsync(ApiUser owner, Guid partner, string name) =>
            (await (await owner.Client.PostAsJsonAsync($"/api/organizations/{partner}/clients", new { name, path = "Template", countryCode = "US" })).JsonAsync())
                .GetProperty("organizationId").GetGuid();
        var myClient = await ClientAsync(world.Owner, mine, "A's Client");
        var theirClient = await ClientAsync(world.Outsider, theirs, "B's Client");

        var dashboard = await world.Owner.Client.GetFromJsonAsync<JsonElement>($"/api/organizations/{mine}/partner/dashboard");
        var drift = await world.Owner.Client.GetAsync($"/api/organizations/{mine}/partner/drift?clientId={theirClient}");
        var preview = await world.Owner.Client.PostAsJsonAsync($"/api/organizations/{mine}/partner/push/preview",
            new { items = Array.Empty<object>(), clientIds = new[] { theirClient } });
        var foreignDashboard = await world.Owner.Client.GetAsync($"/api/organizations/{theirs}/partner/dashboard");

        dashboard.GetProperty("clients").EnumerateArray().Select(c => c.GetProperty("id").GetGuid()).Should().Equal(myClient);
        drift.StatusCode.Should().Be(HttpStatusCode.NotFound);
        preview.StatusCode.Should().Be(HttpStatusCode.BadRequest, "no items chosen");
        (await world.Owner.Client.PostAsJsonAsync($"/api/organizations/{mine}/tax-codes",
            new { code = "PUSH-ME", name = "Pushed rate", ratePercent = 5.5m, direction = "Both" })).EnsureSuccessStatusCode();
        var named = await world.Owner.Client.PostAsJsonAsync($"/api/organizations/{mine}/partner/push/preview",
            new { items = new[] { new { kind = "TaxCode", key = "PUSH-ME" } }, clientIds = new[] { myClient, theirClient } });
        named.StatusCode.Should().Be(HttpStatusCode.OK);
        (await named.JsonAsync()).EnumerateArray().Select(c => c.GetProperty("clientId").GetGuid())
            .Should().Equal([myClient], "another partner's client is never a push target");
        foreignDashboard.StatusCode.Should().Be(HttpStatusCode.Forbidden);
    }
}
