using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using MultiOrg.Domain.Billing;
using MultiOrg.Domain.Organizations;
using MultiOrg.Domain.Tenancy;
using MultiOrg.Domain.Users;
using MultiOrg.Tests.Harness;
using MultiOrg.Web.Features.Billing;

namespace MultiOrg.Tests.Billing;

/// <summary>
/// The billing page with its dialogs and statements over a real database, on a clock the test moves: who may change the
/// plan or buy credits, what each dialog shows before anything is charged, and how statements read as periods close.
/// </summary>
[Trait(TestDatabase.Trait, TestDatabase.Independent)]
public sealed class BillingPageTests : ComponentTestBase
{
    private readonly TestWorld world = new();
    private readonly FakeTimeProvider clock = new(new DateTimeOffset(2026, 10, 16, 9, 0, 0, TimeSpan.Zero));
    private Actor owner = null!;
    private Guid organizationId;

    public BillingPageTests() => world.Time = clock;

    public override async Task InitializeAsync() => (owner, organizationId) = await world.OrganizationAsync("Acme", "Olivia");

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        world.Dispose();
    }

    private IRenderedComponent<BillingPage> RenderAs(Actor actor)
    {
        Context.Services.AddSingleton<TenantContext>(actor.Tenant);
        Context.Services.AddSingleton(actor.Billing);
        Context.Services.AddSingleton(actor.Statements);
        Context.Services.AddSingleton(world.Plans);
        // The page runs in an interactive circuit, as in the app.
        Context.SetRendererInfo(new RendererInfo("Server", isInteractive: true));
        RenderProviders();
        var cut = Context.Render<BillingPage>(p => p.Add(x => x.OrgId, organizationId));
        cut.WaitForAssertion(() => cut.FindAll("[data-testid='billing-plan-name'], [data-testid='billing-forbidden']").Should().ContainSingle(), Loaded);
        return cut;
    }

    private static string Text<T>(IRenderedComponent<T> where, string testId)
        where T : Microsoft.AspNetCore.Components.IComponent => Squash(where.Find($"[data-testid='{testId}']").TextContent);

    [Fact]
    public void An_owner_may_change_the_plan_and_buy_credits()
    {
        var cut = RenderAs(owner);

        Text(cut, "billing-plan-name").Should().Be("Free");
        cut.FindAll("[data-testid='billing-change-plan']").Should().ContainSingle();
        cut.FindAll("[data-testid='billing-buy']").Should().ContainSingle();
        Text(cut, "billing-seats").Should().Be("1 of 5 used");
    }

    [Fact]
    public async Task An_admin_sees_plan_balance_and_statements_but_no_plan_change_or_purchase()
    {
        var admin = await world.JoinAsync(owner, organizationId, "Adam", OrganizationRole.Admin);

        var cut = RenderAs(admin);

        Text(cut, "billing-plan-name").Should().Be("Free");
        cut.FindAll("[data-testid='billing-balance']").Should().ContainSingle();
        cut.FindAll("[data-testid='billing-statements']").Should().ContainSingle();
        cut.FindAll("[data-testid='billing-change-plan']").Should().BeEmpty("only owners change the plan");
        cut.FindAll("[data-testid='billing-buy']").Should().BeEmpty("only owners buy credits");
    }

    [Fact]
    public async Task A_member_is_told_that_billing_is_for_owners_and_admins()
    {
        var member = await world.JoinAsync(owner, organizationId, "Mia", OrganizationRole.Member);

        var cut = RenderAs(member);

        Text(cut, "billing-forbidden").Should().Be("Only owners and admins can see billing.");
        cut.FindAll("[data-testid='billing-plan']").Should().BeEmpty();
        cut.FindAll("[data-testid='billing-change-plan']").Should().BeEmpty();
    }

    [Fact]
    public async Task Buying_credits_shows_the_price_first_then_adds_the_credits_to_the_balance()
    {
        var cut = RenderAs(owner);

        cut.Find("[data-testid='billing-buy']").Click();
        Dialogs.WaitForAssertion(() => Text(Dialogs, "buy-total").Should().Be("1,000 credits now, 10.00 EUR on the next statement."), Loaded);
        Dialogs.Find("input[data-testid='buy-packs']").Input("2");
        Dialogs.WaitForAssertion(() => Text(Dialogs, "buy-total").Should().Be("2,000 credits now, 20.00 EUR on the next statement."), Loaded);
        var ledgerBefore = (await owner.Billing.ListLedgerAsync(new LedgerQuery(CreditEntryKind.Purchase, null, null, 1, 10))).Total;
        Dialogs.Find("[data-testid='buy-confirm']").Click();

        Snackbars.WaitForAssertion(() => Snackbars.Markup.Should().Contain("2,000 credits added. Balance "), Loaded);

        // The dialog closes in a render of its own, which on a server database can come after the snackbar's.
        Dialogs.WaitForAssertion(() => Dialogs.FindAll("[data-testid='buy-credits-dialog']").Should().BeEmpty(), Loaded);
        var purchases = await owner.Billing.ListLedgerAsync(new LedgerQuery(CreditEntryKind.Purchase, null, null, 1, 10));
        (ledgerBefore, purchases.Total).Should().Be((0, 1), "nothing was bought before the Buy button, once after it");
        var after = purchases.Items.Single().BalanceAfter;
        Snackbars.Markup.Should().Contain($"2,000 credits added. Balance {after:N0}.");
        cut.WaitForAssertion(() => Text(cut, "billing-balance").Should().Be($"{after:N0}"), Loaded);
    }

    [Fact]
    public async Task Choosing_a_plan_previews_the_prorated_charge_and_changes_nothing_until_confirmed()
    {
        var expected = await owner.Billing.PreviewChangeAsync("team", 10);
        var cut = RenderAs(owner);

        cut.Find("[data-testid='billing-change-plan']").Click();
        Dialogs.WaitForElement("[data-testid='change-plan-dialog']", Loaded);
        Dialogs.Find("[data-testid='plan-team'] input, input[data-testid='plan-team']").Click();

        Dialogs.WaitForAssertion(() => Text(Dialogs, "plan-preview").Should().Be(expected.Summary), Loaded);
        Text(Dialogs, "plan-confirm").Should().Be($"Pay {expected.ProratedCharge:N2} EUR and change");
        (await owner.Billing.GetSummaryAsync()).Plan.Code.Should().Be("free", "a preview charges nothing");
        Dialogs.Find("[data-testid='plan-confirm']").Click();

        cut.WaitForAssertion(() => Text(cut, "billing-plan-name").Should().Be("Team"), Loaded);
        Snackbars.WaitForAssertion(() => Snackbars.Markup.Should().Contain($"Plan changed. {expected.Summary}"), Loaded);
    }

    [Fact]
    public void Before_the_first_period_closes_the_statements_say_when_the_first_one_comes()
    {
        var cut = RenderAs(owner);

        cut.WaitForAssertion(() => Text(cut, "statements-empty").Should()
            .Be("No statements yet. The first is issued when this period closes on 1 November 2026."), Loaded);
    }

    [Fact]
    public async Task A_closed_period_lists_an_open_statement_with_its_due_date()
    {
        await owner.Billing.ChangePlanAsync("team", 10);
        clock.SetUtcNow(new DateTimeOffset(2026, 11, 1, 0, 5, 0, TimeSpan.Zero));
        await owner.Statements.CloseDuePeriodsAsync();
        var statement = (await owner.Statements.ListAsync()).Single();

        var cut = RenderAs(owner);

        cut.WaitForAssertion(() => cut.FindAll("[data-testid='statement-row']").Should().ContainSingle(), Loaded);
        var row = cut.Find("[data-testid='statement-row']").TextContent;
        row.Should().Contain(statement.Number).And.Contain("October 2026").And.Contain("Open").And.Contain(statement.DueAt.ToString("d MMM yyyy"));
        cut.FindAll("[data-testid='billing-past-due']").Should().BeEmpty();
    }

    [Fact]
    public async Task An_unpaid_statement_past_its_due_date_is_overdue_and_the_page_says_what_is_paused()
    {
        await owner.Billing.ChangePlanAsync("team", 10);
        clock.SetUtcNow(new DateTimeOffset(2026, 11, 1, 0, 5, 0, TimeSpan.Zero));
        await owner.Statements.CloseDuePeriodsAsync();
        clock.Advance(TimeSpan.FromDays(world.Plans.Options.PaymentTermDays + 1));
        await owner.Statements.CloseDuePeriodsAsync();

        var cut = RenderAs(owner);

        Text(cut, "billing-past-due").Should().StartWith("A statement is overdue. API writes, client creation, CSV import and credit purchases are paused");
        cut.WaitForAssertion(() => cut.FindAll("[data-testid='statement-row']").Should().HaveCount(2), Loaded);
        var october = Squash(cut.FindAll("[data-testid='statement-row']").Single(r => r.TextContent.Contains("October 2026", StringComparison.Ordinal)).TextContent);
        october.Should().Contain("Overdue").And.NotContain("Open");
        var november = Squash(cut.FindAll("[data-testid='statement-row']").Single(r => r.TextContent.Contains("November 2026", StringComparison.Ordinal)).TextContent);
        november.Should().Contain("Open", "the period that closed meanwhile is not yet due");
    }

    [Fact]
    public async Task A_paid_statement_reads_paid_with_no_due_date()
    {
        await owner.Billing.ChangePlanAsync("team", 10);
        clock.SetUtcNow(new DateTimeOffset(2026, 11, 1, 0, 5, 0, TimeSpan.Zero));
        await owner.Statements.CloseDuePeriodsAsync();
        var statement = (await owner.Statements.ListAsync()).Single();
        var support = await world.CreateUserAsync("Sid");
        await world.GrantAsync(support, GlobalRole.Support);
        await support.Statements.RecordPaymentAsync(organizationId, statement.Id, "Bank transfer 42", statement.Total);

        var cut = RenderAs(owner);

        cut.WaitForAssertion(() => cut.Find("[data-testid='statement-row']").TextContent.Should().Contain("Paid").And.Contain("—").And.NotContain("Open"), Loaded);
    }
}
