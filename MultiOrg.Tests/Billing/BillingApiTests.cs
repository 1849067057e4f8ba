using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using MultiOrg.Tests.Harness;

namespace MultiOrg.Tests.Billing;

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
    public async Task Reading_billing_writes_nothing_and_shows_the_allowance_the_next_write_grants()
    {
        using var factory = new ApiFactory();
        var owner = await factory.RegisterAsync("Owner");
        var organizationId = await owner.CreateOrganizationAsync("Reader");
        var before = await BillingRowsAsync(factory, organizationId);

        var summary = await owner.Client.GetFromJsonAsync<System.Text.Json.JsonElement>($"/api/organizations/{organizationId}/billing");
        await owner.Client.GetFromJsonAsync<System.Text.Json.JsonElement>($"/api/organizations/{organizationId}/billing");

        (await BillingRowsAsync(factory, organizationId)).Should().Be(before, "a GET reads; the period grant is the job's or the first write's");
        summary.GetProperty("balance").GetInt64().Should().Be(100, "the Free allowance the first write will grant");
        (await owner.Client.PostAsJsonAsync($"/api/organizations/{organizationId}/billing/credits", new { packs = 1 })).EnsureSuccessStatusCode();
        var ledger = await owner.Client.GetFromJsonAsync<System.Text.Json.JsonElement>($"/api/organizations/{organizationId}/billing/ledger");
        ledger.GetProperty("items").EnumerateArray().Select(e => (e.GetProperty("kind").GetString(), e.GetProperty("balanceAfter").GetInt64()))
            .Should().Equal(("Purchase", 1_100L), ("Grant", 100L));
    }

    [Fact]
    public async Task Support_adjusts_credits_over_the_support_api_with_a_reason_and_owners_keys_and_bad_input_are_refused()
    {
        using var factory = new ApiFactory();
        var owner = await factory.RegisterAsync("Owner");
        var organizationId = await owner.CreateOrganizationAsync("Adjusted");
        var support = await factory.RegisterAsync("Support");
        await using (var db = factory.Database.CreateContext())
        {
            await db.Users.Where(u => u.Email == support.Email).ExecuteUpdateAsync(s => s.SetProperty(u => u.GlobalRole, MultiOrg.Domain.Users.GlobalRole.Support));
        }

        var created = await owner.Client.PostAsJsonAsync($"/api/organizations/{organizationId}/api-keys", new { name = "Sync", role = "ADMIN" });
        using var key = factory.CreateClient();
        key.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", (await created.JsonAsync()).GetProperty("secret").GetString());
        var url = $"/api/support/organizations/{organizationId}/credits/adjustments";
        var goodwill = new { amount = 50, reason = "Goodwill for the outage on 3 May" };

        (await owner.Client.PostAsJsonAsync(url, goodwill)).StatusCode.Should().Be(HttpStatusCode.Forbidden, "an owner does not adjust their own credits");
        (await key.PostAsJsonAsync(url, goodwill)).StatusCode.Should().Be(HttpStatusCode.Unauthorized, "an API key reaches only its organization's routes");
        var zero = await support.Client.PostAsJsonAsync(url, new { amount = 0, reason = goodwill.reason });
        zero.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await zero.JsonAsync()).GetProperty("errors").TryGetProperty("amount", out _).Should().BeTrue();
        var huge = await support.Client.PostAsJsonAsync(url, new { amount = 2_000_000, reason = goodwill.reason });
        (await huge.JsonAsync()).GetProperty("errors").TryGetProperty("amount", out _).Should().BeTrue();
        var noReason = await support.Client.PostAsJsonAsync(url, new { amount = 50 });
        (await noReason.JsonAsync()).GetProperty("errors").TryGetProperty("reason", out _).Should().BeTrue();

        async Task<HttpResponseMessage> AdjustAsync()
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = JsonContent.Create(goodwill) };
            request.Headers.Add("Idempotency-Key", "ticket-4711");
            return await support.Client.SendAsync(request);
        }

        var first = await AdjustAsync();
        var replay = await AdjustAsync();

        first.StatusCode.Should().Be(HttpStatusCode.OK);
        (await first.JsonAsync()).GetProperty("entry").GetProperty("balanceAfter").GetInt64().Should().Be(150, "the Free allowance and the adjustment");
        (await replay.JsonAsync()).GetProperty("replayed").GetBoolean().Should().BeTrue();
        var audit = await owner.Client.GetFromJsonAsync<System.Text.Json.JsonElement>($"/api/organizations/{organizationId}/audit?action=CreditEntry");
        audit.GetProperty("items").EnumerateArray().Should().Contain(e => e.GetProperty("changes").GetString()!.Contains("Goodwill for the outage"),
            "the owner sees who changed the balance and why");
    }

    /// <summary>Subscriptions, ledger entries, statements and audit entries of the organization.</summary>
    private static async Task<(int, int, int, int)> BillingRowsAsync(ApiFactory factory, Guid organizationId)
    {
        await using var db = factory.Database.CreateContext(MultiOrg.Domain.Tenancy.TenantContext.ForJob(organizationId, ""));
        return (await db.Set<MultiOrg.Domain.Billing.Subscription>().CountAsync(), await db.Set<MultiOrg.Domain.Billing.CreditEntry>().CountAsync(),
            await db.Set<MultiOrg.Domain.Billing.Statement>().CountAsync(), await db.AuditEntries.CountAsync());
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
