using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using MultiOrg.Tests.Support;

namespace MultiOrg.Tests.Api;

public sealed class BillingApiTests
{
    [Fact]
    public async Task Api_key_requests_cost_credits_and_an_empty_balance_answers_402_with_the_numbers()
    {
        using var factory = new ApiFactory(new Dictionary<string, string> { ["Billing:UsageCosts:api-request"] = "60" });
        var owner = await factory.RegisterAsync("Owner");
        var organizationId = await owner.CreateOrganizationAsync("Metered");
        var created = await owner.Client.PostAsJsonAsync($"/api/organizations/{organizationId}/api-keys", new { name = "Nightly sync", role = "ADMIN" });
        var secret = (await created.JsonAsync()).GetProperty("secret").GetString()!;
        using var key = factory.CreateClient();
        key.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);

        var first = await key.GetAsync($"/api/organizations/{organizationId}/members");
        var second = await key.GetAsync($"/api/organizations/{organizationId}/members");

        first.StatusCode.Should().Be(HttpStatusCode.OK);
        second.StatusCode.Should().Be(HttpStatusCode.PaymentRequired);
        var problem = await second.JsonAsync();
        problem.GetProperty("detail").GetString().Should().Be("Insufficient credits: balance 40, needed 60.");
        var ledger = await owner.Client.GetFromJsonAsync<System.Text.Json.JsonElement>($"/api/organizations/{organizationId}/billing/ledger?kind=Usage");
        var usage = ledger.GetProperty("items").EnumerateArray().Should().ContainSingle().Subject;
        (usage.GetProperty("amount").GetInt64(), usage.GetProperty("usageSource").GetString()).Should().Be((-60, "Nightly sync"));
    }

    [Fact]
    public async Task Buying_credits_with_the_same_idempotency_key_twice_buys_once_and_members_get_403()
    {
        using var factory = new ApiFactory();
        var owner = await factory.RegisterAsync("Owner");
        var member = await factory.RegisterAsync("Member");
        var organizationId = await owner.CreateOrganizationAsync("Buyer");
        await owner.AddMemberAsync(organizationId, member, "MEMBER");

        async Task<HttpResponseMessage> BuyAsync()
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/organizations/{organizationId}/billing/credits")
            {
                Content = JsonContent.Create(new { packs = 2 }),
            };
            request.Headers.Add("Idempotency-Key", "order-42");
            return await owner.Client.SendAsync(request);
        }

        var first = await BuyAsync();
        var replay = await BuyAsync();

        first.StatusCode.Should().Be(HttpStatusCode.OK);
        (await replay.JsonAsync()).GetProperty("replayed").GetBoolean().Should().BeTrue();
        var summary = await owner.Client.GetFromJsonAsync<System.Text.Json.JsonElement>($"/api/organizations/{organizationId}/billing");
        summary.GetProperty("balance").GetInt64().Should().Be(100 + 2_000);
        (await member.Client.GetAsync($"/api/organizations/{organizationId}/billing")).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await owner.Client.PostAsJsonAsync($"/api/organizations/{organizationId}/billing/credits", new { packs = 0 })).StatusCode
            .Should().Be(HttpStatusCode.BadRequest);
    }
}
