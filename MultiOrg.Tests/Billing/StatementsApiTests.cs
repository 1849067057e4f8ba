using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MultiOrg.Domain.Billing;
using MultiOrg.Domain.Tenancy;
using MultiOrg.Domain.Users;
using MultiOrg.Tests.Harness;

namespace MultiOrg.Tests.Billing;

/// <summary>Statements, payments, feature switches and partner costs over real HTTP.</summary>
public sealed class StatementsApiTests(ApiWorld world) : IClassFixture<ApiWorld>
{
    /// <summary>Moves an organization's current period back one month, as if it had begun last month on its plan (set-up only).</summary>
    private async Task StartedLastMonthAsync(Guid organizationId)
    {
        await using var db = world.Factory.Database.CreateContext(TenantContext.ForJob(organizationId, ""));
        var (start, end) = Subscription.PeriodOf(DateTime.UtcNow.AddMonths(-1));
        await db.Set<Subscription>().ExecuteUpdateAsync(s => s.SetProperty(x => x.PeriodStart, start).SetProperty(x => x.PeriodEnd, end)
            .SetProperty(x => x.PeriodPlanCode, x => x.PlanCode).SetProperty(x => x.PeriodSeats, x => x.Seats));
    }

    /// <summary>One run of the period-close job, as the app's scheduler makes it (reading billing closes nothing).</summary>
    private async Task CloseDuePeriodsAsync()
    {
        using var scope = world.Factory.Services.CreateScope();
        var run = await scope.ServiceProvider.GetRequiredService<StatementService>().CloseDuePeriodsAsync();
        run.Failures.Should().BeEmpty();
    }

    [Fact]
    public async Task A_closed_period_gives_a_statement_members_get_403_admins_download_it_and_only_support_records_the_payment()
    {
        var organizationId = await world.FullOrganizationAsync("Statemented");
        await StartedLastMonthAsync(organizationId);
        var url = $"/api/organizations/{organizationId}/billing";

        await CloseDuePeriodsAsync();
        var statements = await world.Admin.Client.GetFromJsonAsync<JsonElement>($"{url}/statements");
        var statement = statements.EnumerateArray().Should().ContainSingle().Subject;
        var id = statement.GetProperty("id").GetGuid();
        (statement.GetProperty("total").GetDecimal(), statement.GetProperty("status").GetString()).Should().Be((29m, "Open"));

        (await world.Member.Client.GetAsync($"{url}/statements")).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        var csv = await world.Admin.Client.GetAsync($"{url}/statements/{id}/csv");
        csv.Content.Headers.ContentType!.MediaType.Should().Be("text/csv");
        (await csv.Content.ReadAsStringAsync()).Should().Contain("PlanFee").And.Contain("29.00");

        var payment = new { reference = "INV-1", amount = 29m };
        var paymentUrl = $"/api/support/organizations/{organizationId}/statements/{id}/payments";
        (await world.Owner.Client.PostAsJsonAsync(paymentUrl, payment)).StatusCode.Should().Be(HttpStatusCode.Forbidden, "owners do not mark their own statements paid");
        var support = await world.Factory.RegisterAsync("support");
        await using (var db = world.Factory.Database.CreateContext())
        {
            await db.Users.Where(u => u.Email == support.Email).ExecuteUpdateAsync(s => s.SetProperty(u => u.GlobalRole, GlobalRole.Support));
        }

        var wrong = await support.Client.PostAsJsonAsync(paymentUrl, new { reference = "INV-1", amount = 30m });
        wrong.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await wrong.JsonAsync()).GetProperty("detail").GetString().Should().Contain("has 29.00 EUR left to pay of 29.00 EUR; the payment is 30.00 EUR");
        var paid = await support.Client.PostAsJsonAsync(paymentUrl, payment);
        paid.StatusCode.Should().Be(HttpStatusCode.OK);
        (await paid.JsonAsync()).GetProperty("payment").GetProperty("reference").GetString().Should().Be("INV-1");
        (await world.Owner.Client.GetAsync($"{url}/statements/{Guid.NewGuid()}")).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    private async Task<ApiUser> SupportAsync(string name)
    {
        var support = await world.Factory.RegisterAsync(name);
        await using var db = world.Factory.Database.CreateContext();
        await db.Users.Where(u => u.Email == support.Email).ExecuteUpdateAsync(s => s.SetProperty(u => u.GlobalRole, GlobalRole.Support));
        return support;
    }

    [Fact]
    public async Task A_partners_statement_row_its_total_and_its_amount_due_are_one_figure_with_the_clients_sections()
    {
        var partner = await world.Owner.CreateOrganizationAsync("Summing Partner");
        await world.MakePartnerAsync(partner);
        var client = (await (await world.Owner.Client.PostAsJsonAsync($"/api/organizations/{partner}/clients",
            new { name = "Summed Bakery", path = "Template", countryCode = "US", billToPartner = true })).JsonAsync()).GetProperty("organizationId").GetGuid();
        (await world.Owner.Client.PostAsJsonAsync($"/api/organizations/{client}/billing/plan", new { plan = "team" })).EnsureSuccessStatusCode();
        await StartedLastMonthAsync(partner);
        await StartedLastMonthAsync(client);
        await CloseDuePeriodsAsync();

        var row = (await world.Owner.Client.GetFromJsonAsync<JsonElement>($"/api/organizations/{partner}/billing/statements")).EnumerateArray().Single();
        var id = row.GetProperty("id").GetGuid();
        var statement = await world.Owner.Client.GetFromJsonAsync<JsonElement>($"/api/organizations/{partner}/billing/statements/{id}");
        var csv = await (await world.Owner.Client.GetAsync($"/api/organizations/{partner}/billing/statements/{id}/csv")).Content.ReadAsStringAsync();
        var support = await SupportAsync("support-sums");
        var supportRow = (await support.Client.GetFromJsonAsync<JsonElement>($"/api/support/organizations/{partner}/statements")).EnumerateArray().Single();

        (row.GetProperty("total").GetDecimal(), statement.GetProperty("amountDue").GetDecimal(), supportRow.GetProperty("total").GetDecimal())
            .Should().Be((178m, 178m, 178m), "the Partner plan's 149.00 and the billed client's Team 29.00, in the list, the statement and support's list alike");
        csv.Should().Contain("Amount due,1,178.00");
    }

    [Fact]
    public async Task Support_records_part_payments_up_to_the_amount_due_with_the_remaining_balance_and_the_last_part_marks_the_statement_paid()
    {
        var organizationId = await world.FullOrganizationAsync("Paying In Parts");
        await StartedLastMonthAsync(organizationId);
        await CloseDuePeriodsAsync();
        var id = (await world.Owner.Client.GetFromJsonAsync<JsonElement>($"/api/organizations/{organizationId}/billing/statements"))[0].GetProperty("id").GetGuid();
        var support = await SupportAsync("support-parts");
        var paymentUrl = $"/api/support/organizations/{organizationId}/statements/{id}/payments";

        var first = await support.Client.PostAsJsonAsync(paymentUrl, new { reference = "PART-1", amount = 20m });
        first.StatusCode.Should().Be(HttpStatusCode.OK, await first.Content.ReadAsStringAsync());
        var part = (await first.JsonAsync()).GetProperty("summary");
        (part.GetProperty("status").GetString(), part.GetProperty("paid").GetDecimal(), part.GetProperty("remaining").GetDecimal()).Should().Be(("Open", 20m, 9m));

        var tooMuch = await support.Client.PostAsJsonAsync(paymentUrl, new { reference = "PART-2", amount = 10m });
        tooMuch.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        var problem = await tooMuch.JsonAsync();
        problem.GetProperty("detail").GetString().Should().Contain("has 9.00 EUR left to pay of 29.00 EUR; the payment is 10.00 EUR");
        problem.GetProperty("errors").TryGetProperty("amount", out _).Should().BeTrue("the error names the field");
        (await support.Client.PostAsJsonAsync(paymentUrl, new { reference = "PART-2", amount = -1m })).StatusCode.Should().Be(HttpStatusCode.BadRequest);

        var last = await (await support.Client.PostAsJsonAsync(paymentUrl, new { reference = "PART-2", amount = 9m })).JsonAsync();
        (last.GetProperty("summary").GetProperty("status").GetString(), last.GetProperty("summary").GetProperty("remaining").GetDecimal()).Should().Be(("Paid", 0m));
        last.GetProperty("payments").EnumerateArray().Select(p => (p.GetProperty("reference").GetString(), p.GetProperty("amount").GetDecimal()))
            .Should().Equal(("PART-1", 20m), ("PART-2", 9m));
        (await support.Client.PostAsJsonAsync(paymentUrl, new { reference = "PART-3", amount = 1m })).StatusCode.Should().Be(HttpStatusCode.Conflict, "a paid statement takes no more payments");
    }

    [Fact]
    public async Task A_switched_off_feature_is_refused_by_the_api_with_403_naming_it()
    {
        var organizationId = await world.FullOrganizationAsync("Switched");
        var created = await world.Owner.Client.PostAsJsonAsync($"/api/organizations/{organizationId}/api-keys", new { name = "Sync", role = "ADMIN" });
        var secret = (await created.JsonAsync()).GetProperty("secret").GetString()!;
        using var key = world.Factory.CreateClient();
        key.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        (await key.GetAsync($"/api/organizations/{organizationId}/members")).StatusCode.Should().Be(HttpStatusCode.OK);

        (await world.Member.Client.PutAsJsonAsync($"/api/organizations/{organizationId}/features/ApiAccess", new { enabled = false }))
            .StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await world.Admin.Client.PutAsJsonAsync($"/api/organizations/{organizationId}/features/ApiAccess", new { enabled = false })).EnsureSuccessStatusCode();
        (await world.Admin.Client.PutAsJsonAsync($"/api/organizations/{organizationId}/features/CsvImport", new { enabled = false })).EnsureSuccessStatusCode();

        var refused = await key.GetAsync($"/api/organizations/{organizationId}/members");
        refused.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await refused.JsonAsync()).GetProperty("detail").GetString().Should().Be("This feature is turned off for this organization (API access).");
        using var file = new StringContent("email\nana@example.test\n", System.Text.Encoding.UTF8, "text/csv");
        var import = await world.Owner.Client.PostAsync($"/api/organizations/{organizationId}/invitations/import", file);
        import.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await import.JsonAsync()).GetProperty("detail").GetString().Should().Be("This feature is turned off for this organization (CSV import).");
        var features = await world.Member.Client.GetFromJsonAsync<JsonElement>($"/api/organizations/{organizationId}/features");
        features.EnumerateArray().Single(f => f.GetProperty("feature").GetString() == "ApiAccess").GetProperty("available").GetBoolean().Should().BeFalse();
    }

    [Fact]
    public async Task One_partners_costs_and_billing_choices_never_reach_another_partners_clients()
    {
        var mine = await world.Owner.CreateOrganizationAsync("Costs Partner A");
        var theirs = await world.Outsider.CreateOrganizationAsync("Costs Partner B");
        await world.MakePartnerAsync(mine);
        await world.MakePartnerAsync(theirs);
        async Task<Guid> ClientAsync(ApiUser owner, Guid partner, string name, bool billed) =>
            (await (await owner.Client.PostAsJsonAsync($"/api/organizations/{partner}/clients", new { name, path = "Template", countryCode = "US", billToPartner = billed })).JsonAsync())
            .GetProperty("organizationId").GetGuid();
        var myClient = await ClientAsync(world.Owner, mine, "A's Billed Client", true);
        var theirClient = await ClientAsync(world.Outsider, theirs, "B's Billed Client", true);
        foreach (var organization in new[] { mine, myClient, theirs, theirClient })
        {
            await StartedLastMonthAsync(organization);
        }

        await CloseDuePeriodsAsync();

        var costs = await world.Owner.Client.GetFromJsonAsync<JsonElement>($"/api/organizations/{mine}/partner/costs");
        costs.GetProperty("rows").EnumerateArray().Select(r => r.GetProperty("organizationId").GetGuid()).Should().Equal(myClient);
        var csv = await (await world.Owner.Client.GetAsync($"/api/organizations/{mine}/partner/costs/csv")).Content.ReadAsStringAsync();
        csv.Should().Contain("A's Billed Client").And.NotContain("B's Billed Client");
        var statementId = (await world.Owner.Client.GetFromJsonAsync<JsonElement>($"/api/organizations/{mine}/billing/statements"))[0].GetProperty("id").GetGuid();
        var statement = await world.Owner.Client.GetFromJsonAsync<JsonElement>($"/api/organizations/{mine}/billing/statements/{statementId}");
        statement.GetProperty("clients").EnumerateArray().Select(c => c.GetProperty("organizationId").GetGuid()).Should().Equal(myClient);

        (await world.Owner.Client.PutAsJsonAsync($"/api/organizations/{mine}/partner/clients/{theirClient}/billing", new { billedToPartner = false }))
            .StatusCode.Should().Be(HttpStatusCode.NotFound, "another partner's client answers as a missing one");
        (await world.Owner.Client.GetAsync($"/api/organizations/{mine}/billing/statements/{(await world.Outsider.Client.GetFromJsonAsync<JsonElement>($"/api/organizations/{theirs}/billing/statements"))[0].GetProperty("id").GetGuid()}"))
            .StatusCode.Should().Be(HttpStatusCode.NotFound, "a statement id of another organization is not found in mine");
        (await world.Owner.Client.PutAsJsonAsync($"/api/organizations/{mine}/partner/clients/{myClient}/billing", new { billedToPartner = false }))
            .StatusCode.Should().Be(HttpStatusCode.NoContent);
    }
}
