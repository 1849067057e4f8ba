using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using MultiOrg.Tests.Harness;

namespace MultiOrg.Tests.Partner;

/// <summary>
/// What the partner's staff may do in the clients it made (#25.3, #25.9): pay for them, name their admins, reach them
/// without a membership of their own; and what the API says of the way someone reaches an organization.
/// </summary>
public sealed class PartnerStaffApiTests(ApiWorld world) : IClassFixture<ApiWorld>
{
    /// <summary>A partner owned by Owner with Admin as its ADMIN and Member as its MEMBER, and one client made from templates.</summary>
    private async Task<(Guid Partner, Guid Client, string ClientKey)> PartnerWithClientAsync(string name)
    {
        var partner = await world.Owner.CreateOrganizationAsync(name);
        await world.MakePartnerAsync(partner);
        await world.Owner.AddMemberAsync(partner, world.Admin, "ADMIN");
        await world.Owner.AddMemberAsync(partner, world.Member, "MEMBER");
        var created = await world.Owner.Client.PostAsJsonAsync($"/api/organizations/{partner}/clients",
            new { name = $"{name} Client", path = "Template", countryCode = "US", billToPartner = true });
        created.StatusCode.Should().Be(HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var body = await created.JsonAsync();
        return (partner, body.GetProperty("organizationId").GetGuid(), body.GetProperty("apiKey").GetString()!);
    }

    [Fact]
    public async Task Partner_admins_and_owners_buy_credits_and_change_the_plan_of_their_client_so_its_key_stops_answering_402_and_outsiders_get_403()
    {
        var (_, client, secret) = await PartnerWithClientAsync("Paying Partner");
        var billing = $"/api/organizations/{client}/billing";
        using var key = world.Factory.CreateClient();
        key.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);

        // The Free allowance (100 credits, one per request) runs out: the client's own integration stops.
        HttpStatusCode status = HttpStatusCode.OK;
        var requests = 0;
        while (status == HttpStatusCode.OK && requests < 150)
        {
            status = (await key.GetAsync($"/api/organizations/{client}")).StatusCode;
            requests++;
        }

        status.Should().Be(HttpStatusCode.PaymentRequired, $"after {requests} requests the Free allowance is used up");

        foreach (var (who, person) in new[] { ("an outsider", world.Outsider), ("the partner's MEMBER", world.Member) })
        {
            var refused = await person.Client.PostAsJsonAsync($"{billing}/credits", new { packs = 1 });
            refused.StatusCode.Should().Be(HttpStatusCode.Forbidden, $"{who} does not pay for the partner's clients");
        }

        var bought = await world.Admin.Client.PostAsJsonAsync($"{billing}/credits", new { packs = 1 });
        bought.StatusCode.Should().Be(HttpStatusCode.OK, $"the partner's ADMIN buys for its client: {await bought.Content.ReadAsStringAsync()}");
        (await key.GetAsync($"/api/organizations/{client}")).StatusCode.Should().Be(HttpStatusCode.OK, "the client's key works again once the partner bought");

        var plan = await world.Admin.Client.PostAsJsonAsync($"{billing}/plan", new { plan = "team" });
        plan.StatusCode.Should().Be(HttpStatusCode.OK, $"the partner's ADMIN changes its client's plan: {await plan.Content.ReadAsStringAsync()}");
        (await world.Owner.Client.PostAsJsonAsync($"{billing}/credits", new { packs = 1 })).StatusCode.Should().Be(HttpStatusCode.OK, "the partner's OWNER acts as the client's owner");
        (await world.Outsider.Client.PostAsJsonAsync($"{billing}/plan", new { plan = "business" })).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await world.Admin.Client.DeleteAsync($"/api/organizations/{client}")).StatusCode.Should().Be(HttpStatusCode.Forbidden, "paying for a client makes no one its owner");
    }

    [Fact]
    public async Task Partner_admins_name_a_clients_admins_and_its_first_owner_and_partner_owners_its_further_owners()
    {
        var (_, client, _) = await PartnerWithClientAsync("Staffing Partner");
        var members = $"/api/organizations/{client}/members";

        var admin = await world.Admin.Client.PostAsJsonAsync(members, new { email = world.Target.Email, role = "ADMIN" });
        admin.StatusCode.Should().BeOneOf([HttpStatusCode.OK, HttpStatusCode.Created], $"the partner's ADMIN names the client's admins: {await admin.Content.ReadAsStringAsync()}");
        (await world.Member.Client.PostAsJsonAsync(members, new { email = world.Outsider.Email, role = "ADMIN" }))
            .StatusCode.Should().Be(HttpStatusCode.Forbidden, "the partner's MEMBER invites no one");

        var firstOwner = await world.Admin.Client.PostAsJsonAsync(members, new { email = world.SecondOwner.Email, role = "OWNER" });
        firstOwner.StatusCode.Should().BeOneOf([HttpStatusCode.OK, HttpStatusCode.Created], "the partner's ADMIN hands the client its first owner");
        var secondOwner = await world.Admin.Client.PostAsJsonAsync(members, new { email = world.Outsider.Email, role = "OWNER" });
        secondOwner.StatusCode.Should().Be(HttpStatusCode.Forbidden, "once the client has an owner, further owners are named by owners");
        var byPartnerOwner = await world.Owner.Client.PostAsJsonAsync(members, new { email = world.Outsider.Email, role = "OWNER" });
        byPartnerOwner.StatusCode.Should().BeOneOf([HttpStatusCode.OK, HttpStatusCode.Created], "the partner's OWNERs act as the client's owners");
    }

    [Fact]
    public async Task Organizations_say_via_partner_only_where_partner_staff_reach_a_client()
    {
        var (partner, client, _) = await PartnerWithClientAsync("Listing Partner");
        var standard = await world.FullOrganizationAsync("Not A Client Corp");

        var staff = await world.Admin.Client.GetFromJsonAsync<JsonElement>("/api/organizations");
        var listed = staff.EnumerateArray().ToDictionary(o => o.GetProperty("id").GetGuid(), o => o.GetProperty("viaPartner").GetBoolean());
        (listed[client], listed[partner], listed[standard]).Should().Be((true, false, false), "the partner's ADMIN reaches the client as staff, the others as a member");
    }

    [Fact]
    public async Task A_client_copied_from_the_partner_takes_the_country_chosen_and_an_unknown_country_is_400_naming_it()
    {
        var (partner, _, _) = await PartnerWithClientAsync("Copying Partner");
        var url = $"/api/organizations/{partner}/clients";

        var unknown = await world.Owner.Client.PostAsJsonAsync(url, new { name = "Nowhere Ltd", path = "Copy", countryCode = "ZZ" });
        var german = await world.Owner.Client.PostAsJsonAsync(url, new { name = "Kopie GmbH", path = "Copy", countryCode = "DE" });

        unknown.StatusCode.Should().Be(HttpStatusCode.BadRequest, "a country that is not supported is refused, not replaced by the source's");
        (await unknown.JsonAsync()).GetProperty("errors").TryGetProperty("countryCode", out _).Should().BeTrue();
        german.StatusCode.Should().Be(HttpStatusCode.Created, await german.Content.ReadAsStringAsync());
        var clients = await world.Owner.Client.GetFromJsonAsync<JsonElement>(url);
        clients.EnumerateArray().Single(c => c.GetProperty("name").GetString() == "Kopie GmbH").GetProperty("countryCode").GetString().Should().Be("DE");
    }

    [Fact]
    public async Task The_partner_dashboard_shows_a_new_clients_allowance_before_anyone_opened_its_billing()
    {
        var (partner, client, _) = await PartnerWithClientAsync("Dashboard Credits Partner");

        var dashboard = await world.Owner.Client.GetFromJsonAsync<JsonElement>($"/api/organizations/{partner}/partner/dashboard");
        var row = dashboard.GetProperty("clients").EnumerateArray().Single(c => c.GetProperty("id").GetGuid() == client);
        var billing = await world.Owner.Client.GetFromJsonAsync<JsonElement>($"/api/organizations/{client}/billing");

        (row.GetProperty("credits").GetInt64(), billing.GetProperty("balance").GetInt64()).Should().Be((100L, 100L),
            "the dashboard and the client's billing page show the same balance, the Free allowance");
    }
}
