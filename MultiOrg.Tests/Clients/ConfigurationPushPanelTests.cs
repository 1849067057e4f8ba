using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MultiOrg.Data;
using MultiOrg.Domain.Accounting;
using MultiOrg.Domain.Clients;
using MultiOrg.Domain.Organizations;
using MultiOrg.Domain.Tenancy;
using MultiOrg.Tests.Harness;
using MultiOrg.Web.Features.Clients;

namespace MultiOrg.Tests.Clients;

/// <summary>
/// The partner's configuration push panel over a real database: two clients copied from Brightside, of which Local Rates
/// changed its own CA tax rate (a conflict) and Untouched did not; Brightside then adds a GST tax code neither client has.
/// </summary>
[Trait(TestDatabase.Trait, TestDatabase.Independent)]
public sealed class ConfigurationPushPanelTests : ComponentTestBase
{
    private readonly TestWorld world = new();
    private Actor partner = null!;
    private Guid localRates;
    private Guid untouched;

    public override async Task InitializeAsync()
    {
        Guid partnerId;
        (partner, partnerId) = await world.OrganizationAsync("Brightside Accounting", "Paula");
        await world.MakePartnerAsync(partnerId);
        var entityId = await SeedAsync(partnerId);
        localRates = (await partner.Onboarding.CreateByCopyAsync(new CopyOnboarding("Local Rates Ltd", partnerId, entityId))).OrganizationId;
        untouched = (await partner.Onboarding.CreateByCopyAsync(new CopyOnboarding("Untouched Ltd", partnerId, entityId))).OrganizationId;
        await using (var db = ContextFor(localRates))
        {
            (await db.Set<TaxCode>().SingleAsync(t => t.Code == "CA")).RatePercent = 8m;
            await db.SaveChangesAsync();
        }

        await partner.Accounting.SaveTaxCodeAsync(null, "GST", "Goods and services", 5m, TaxDirection.Sales);
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        world.Dispose();
    }

    private MultiOrgDbContext ContextFor(Guid organizationId)
    {
        var tenant = new TenantContext();
        tenant.SetUser("client-staff");
        tenant.Enter(organizationId, "", OrganizationRole.Owner);
        return world.Database.CreateContext(tenant);
    }

    /// <summary>A small chart of accounts, two tax codes, a payment term and a legal entity to copy clients from.</summary>
    private async Task<Guid> SeedAsync(Guid organizationId)
    {
        await using var db = ContextFor(organizationId);
        db.Set<Account>().Add(new Account { Number = "4000", Name = "Revenue", Type = AccountType.Revenue });
        db.Set<TaxCode>().AddRange(
            new TaxCode { Code = "CA", Name = "California", RatePercent = 7.25m, Direction = TaxDirection.Sales },
            new TaxCode { Code = "EX", Name = "Exempt", RatePercent = 0m });
        db.Set<PaymentTerm>().Add(new PaymentTerm { Code = "NET30", Name = "Net 30", DueDays = 30 });
        var entity = new LegalEntity { Code = "HQ", Name = "Head office", CountryCode = "US", CurrencyCode = "USD" };
        db.Set<LegalEntity>().Add(entity);
        await db.SaveChangesAsync();
        return entity.Id;
    }

    private async Task<decimal?> RateAsync(Guid clientId, string code)
    {
        await using var db = ContextFor(clientId);
        return await db.Set<TaxCode>().Where(t => t.Code == code).Select(t => (decimal?)t.RatePercent).SingleOrDefaultAsync();
    }

    private IRenderedComponent<ConfigurationPushPanel> Render(Actor actor)
    {
        var factory = new MultiOrgDbFactory(world.Database.Provider, actor.Tenant, TimeProvider.System);
        var aggregation = new PartnerAggregationService(factory, actor.Tenant, TimeProvider.System, world.Plans);
        Context.Services.AddSingleton(new ConfigurationPushService(factory, actor.Tenant, aggregation));
        Context.Services.AddSingleton(actor.Onboarding);
        RenderProviders();
        var cut = Context.Render<ConfigurationPushPanel>();
        cut.WaitForAssertion(() => cut.FindAll("[data-testid='push-item-key'], [data-testid='push-empty']").Should().NotBeEmpty(), Loaded);
        return cut;
    }

    /// <summary>The item's row in step 1, found by its key.</summary>
    private static AngleSharp.Dom.IElement Row(IRenderedComponent<ConfigurationPushPanel> cut, string key) =>
        cut.FindAll("[data-testid='push-items'] tbody tr").Single(r => r.QuerySelector("[data-testid='push-item-key']")?.TextContent == key);

    private static void Choose(IRenderedComponent<ConfigurationPushPanel> cut, string key) =>
        Row(cut, key).QuerySelector("input[type='checkbox']:not([data-testid='push-overwrite'])")!.Change(true);

    private static string Text(IRenderedComponent<ConfigurationPushPanel> cut, string testId) => Squash(cut.Find($"[data-testid='{testId}']").TextContent);

    private static IEnumerable<string> PlannedActions(IRenderedComponent<ConfigurationPushPanel> cut, string client) =>
        cut.FindAll("[data-testid='push-plan'] tbody tr")
            .Single(r => r.QuerySelector("[data-testid='push-plan-client']")?.TextContent == client)
            .QuerySelectorAll("[data-testid='push-item-action']").Select(a => a.TextContent.Trim());

    [Fact]
    public void Push_panel_lists_the_partners_own_items_and_both_clients()
    {
        var cut = Render(partner);

        cut.FindAll("[data-testid='push-item-key']").Select(k => k.TextContent).Should().Contain(["4000", "CA", "EX", "GST", "NET30"]);
        cut.Markup.Should().Contain("All clients (2)");
        Text(cut, "push-selected-count").Should().Be("0 selected");
    }

    [Fact]
    public void Push_preview_with_no_item_chosen_is_refused_naming_the_items()
    {
        var cut = Render(partner);

        cut.Find("[data-testid='push-preview']").Click();

        // The refusal comes from the service: on a server database its answer renders after the click returns.
        cut.WaitForAssertion(() => Text(cut, "push-item-error").Should().Be("Items: choose at least one item to push."), Loaded);
        cut.FindAll("[data-testid='push-preview-summary']").Should().BeEmpty();
    }

    [Fact]
    public void Push_preview_for_selected_clients_with_none_chosen_is_refused_naming_the_clients()
    {
        var cut = Render(partner);
        Choose(cut, "GST");

        cut.Find("[data-testid='push-some'] input, input[data-testid='push-some']").Click();
        cut.WaitForElement("[data-testid='push-clients']", Loaded);
        cut.Find("[data-testid='push-preview']").Click();

        cut.WaitForAssertion(() => cut.Markup.Should().Contain("Clients: choose at least one client, or all clients."), Loaded);
        cut.FindAll("[data-testid='push-preview-summary']").Should().BeEmpty();
    }

    [Fact]
    public void Overwrite_is_offered_only_for_a_chosen_item()
    {
        var cut = Render(partner);

        Row(cut, "CA").QuerySelector("input[data-testid='push-overwrite']")!.HasAttribute("disabled").Should().BeTrue();
        Choose(cut, "CA");

        cut.WaitForAssertion(() => Row(cut, "CA").QuerySelector("input[data-testid='push-overwrite']")!.HasAttribute("disabled").Should().BeFalse(), Loaded);
        Row(cut, "GST").QuerySelector("input[data-testid='push-overwrite']")!.HasAttribute("disabled").Should().BeTrue();
        Text(cut, "push-selected-count").Should().Be("1 selected");
    }

    [Fact]
    public void Push_panel_previews_each_clients_changes_and_counts_only_the_clients_that_change()
    {
        var cut = Render(partner);
        Choose(cut, "CA");
        Choose(cut, "GST");

        cut.Find("[data-testid='push-preview']").Click();

        cut.WaitForAssertion(() => Text(cut, "push-preview-summary").Should().Be(
            "2 of 2 clients will change: 2 to add, 0 to update, 1 identical (skipped), 1 conflicts kept, 0 blocked."), Loaded);
        PlannedActions(cut, "Local Rates Ltd").Should().BeEquivalentTo("CA: conflict (kept)", "GST: add");
        PlannedActions(cut, "Untouched Ltd").Should().BeEquivalentTo("CA: identical", "GST: add");
        Text(cut, "push-apply").Should().Be("Apply to 2 clients");
    }

    [Fact]
    public void Push_panel_offers_no_apply_when_no_client_would_change()
    {
        var cut = Render(partner);
        Choose(cut, "CA");

        cut.Find("[data-testid='push-preview']").Click();

        cut.WaitForAssertion(() => Text(cut, "push-preview-summary").Should().StartWith("0 of 2 clients will change"), Loaded);
        cut.Find("[data-testid='push-apply']").HasAttribute("disabled").Should().BeTrue("a conflict is kept and an identical item is skipped");
        Text(cut, "push-apply").Should().Be("Apply to 0 clients");
    }

    [Fact]
    public async Task Ticking_overwrite_turns_the_conflict_into_an_overwrite_of_that_client_only()
    {
        var cut = Render(partner);
        Choose(cut, "CA");
        cut.WaitForAssertion(() => Row(cut, "CA").QuerySelector("input[data-testid='push-overwrite']")!.HasAttribute("disabled").Should().BeFalse(), Loaded);
        Row(cut, "CA").QuerySelector("input[data-testid='push-overwrite']")!.Change(true);

        cut.Find("[data-testid='push-preview']").Click();
        cut.WaitForAssertion(() => Text(cut, "push-apply").Should().Be("Apply to 1 client"), Loaded);
        PlannedActions(cut, "Local Rates Ltd").Should().Equal("CA: overwrite");
        cut.Find("[data-testid='push-apply']").Click();
        AnswerMessageBox("Push");

        cut.WaitForAssertion(() => Text(cut, "push-report-summary").Should().StartWith("1 changed, 1 unchanged, 0 failed."), Loaded);
        (await RateAsync(localRates, "CA")).Should().Be(7.25m);
        (await RateAsync(untouched, "CA")).Should().Be(7.25m);
    }

    [Fact]
    public async Task Cancelling_the_push_confirmation_changes_no_client()
    {
        var cut = Render(partner);
        Choose(cut, "GST");
        cut.Find("[data-testid='push-preview']").Click();
        cut.WaitForElement("[data-testid='push-apply']", Loaded).Click();

        AnswerMessageBox("Cancel");

        cut.WaitForAssertion(() => Dialogs.FindAll(".mud-dialog").Should().BeEmpty(), Loaded);
        cut.FindAll("[data-testid='push-report-summary']").Should().BeEmpty();
        (await RateAsync(untouched, "GST")).Should().BeNull();
    }

    [Fact]
    public async Task Applying_reports_each_clients_outcome_and_writes_the_new_item_to_both()
    {
        var cut = Render(partner);
        Choose(cut, "GST");
        cut.Find("[data-testid='push-preview']").Click();
        cut.WaitForElement("[data-testid='push-apply']", Loaded).Click();
        Dialogs.WaitForAssertion(() => Dialogs.Markup.Should().Contain("1 item goes to 2 clients, each in its own transaction."), Loaded);

        AnswerMessageBox("Push");

        cut.WaitForAssertion(() => Text(cut, "push-report-summary").Should().StartWith("2 changed, 0 unchanged, 0 failed."), Loaded);
        cut.FindAll("[data-testid='push-outcome']").Select(o => o.TextContent.Trim()).Should().Equal("Changed", "Changed");
        Text(cut, "push-progress-text").Should().Be("2 of 2 clients");
        (await RateAsync(localRates, "GST")).Should().Be(5m);
        (await RateAsync(untouched, "GST")).Should().Be(5m);
    }

    [Fact]
    public async Task A_partner_with_no_configuration_is_told_where_to_set_it_up()
    {
        var (other, otherId) = await world.OrganizationAsync("Empty Partners", "Eve");
        await world.MakePartnerAsync(otherId);

        var cut = Render(other);

        Text(cut, "push-empty").Should().StartWith("Your organization has no accounts, tax codes, payment terms or workflows to push yet.");
    }
}
