using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using MultiOrg.Data;
using MultiOrg.Domain.Billing;
using MultiOrg.Domain.Errors;
using MultiOrg.Domain.FeatureSwitches;
using MultiOrg.Domain.Invitations;
using MultiOrg.Domain.Members;
using MultiOrg.Domain.Organizations;
using MultiOrg.Domain.Tenancy;
using MultiOrg.Domain.Users;
using MultiOrg.Tests.Harness;

namespace MultiOrg.Tests.Billing;

/// <summary>Proration, period close, statements, payments, past due, feature switches and consolidated billing.</summary>
public sealed class StatementTests : IDisposable
{
    private readonly TestWorld world = new();
    private readonly FakeTimeProvider clock = new(new DateTimeOffset(2026, 10, 5, 9, 0, 0, TimeSpan.Zero));

    public StatementTests() => world.Time = clock;

    public void Dispose() => world.Dispose();

    private static async Task<DomainException> Refused(Func<Task> action) =>
        (await action.Should().ThrowAsync<DomainException>()).Which;

    private async Task<(Actor Owner, Guid OrganizationId)> OrganizationAsync(string name = "Acme Corp")
    {
        var owner = await world.CreateUserAsync("Olivia");
        var organization = await owner.Organizations.CreateAsync(name);
        return (owner, organization.Id);
    }

    private async Task<Actor> SupportAsync()
    {
        var sid = await world.CreateUserAsync("Sid");
        await world.GrantAsync(sid, GlobalRole.Support);
        return sid;
    }

    private async Task<List<Statement>> StatementsOfAsync(Guid organizationId)
    {
        await using var db = world.Database.CreateContext();
        return await db.Set<Statement>().IgnoreQueryFilters().Include(s => s.Lines).Where(s => s.OrganizationId == organizationId)
            .OrderBy(s => s.PeriodStart).ToListAsync();
    }

    [Theory]
    [InlineData("2026-11-01T00:00:00", "free", "team", 10, "29.00")] // first instant of a 30-day month: the whole difference
    [InlineData("2026-11-30T12:00:00", "free", "team", 10, "0.48")] // last day, noon: 12 of 720 hours
    [InlineData("2026-11-30T23:59:59", "free", "team", 10, "0.00")] // the last second rounds to nothing
    [InlineData("2026-11-16T00:00:00", "team", "team", 12, "5.00")] // two extra seats for half of November
    [InlineData("2027-01-11T00:00:00", "free", "team", 10, "19.65")] // 21 of 31 days
    [InlineData("2027-02-15T00:00:00", "free", "team", 10, "14.50")] // 14 of 28 days
    [InlineData("2028-02-15T00:00:00", "free", "team", 10, "15.00")] // leap February: 15 of 29 days
    [InlineData("2028-02-29T00:00:00", "team", "business", 50, "2.41")] // its last day: 1 of 29 days of (99 - 29)
    public async Task Proration_is_exact_to_the_cent(string at, string fromPlan, string toPlan, int toSeats, string expected)
    {
        clock.SetUtcNow(new DateTimeOffset(DateTime.Parse(at, System.Globalization.CultureInfo.InvariantCulture), TimeSpan.Zero));
        var (owner, organizationId) = await OrganizationAsync();
        await world.Database.SubscribeAsync(organizationId, world.Plans.Find(fromPlan)!, clock.GetUtcNow().UtcDateTime);

        var preview = await owner.Billing.PreviewChangeAsync(toPlan, toSeats);
        var applied = await owner.Billing.ChangePlanAsync(toPlan, toSeats);

        preview.ProratedCharge.Should().Be(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture));
        applied.ProratedCharge.Should().Be(preview.ProratedCharge, "the clock did not move between preview and change");
        applied.TakesEffectNow.Should().BeTrue();
    }

    [Fact]
    public async Task Period_close_run_twice_makes_one_statement_whose_totals_equal_the_ledger()
    {
        var (owner, organizationId) = await OrganizationAsync();
        var upgrade = await owner.Billing.ChangePlanAsync("team", 12);
        await owner.Billing.BuyCreditsAsync(2);
        for (var i = 0; i < 3; i++)
        {
            await owner.Billing.DebitUsageAsync(UsageKinds.ApiRequest, "CI key");
        }

        await owner.Billing.DebitUsageAsync(UsageKinds.AssistantTool, "list_members");
        var sid = await SupportAsync();
        await sid.Billing.AdjustAsync(organizationId, -7, "Correction for a duplicated import job");

        clock.SetUtcNow(new DateTimeOffset(2026, 11, 1, 0, 5, 0, TimeSpan.Zero));
        var first = await owner.Statements.CloseDuePeriodsAsync();
        var second = await owner.Statements.CloseDuePeriodsAsync();

        (first.Due, first.Updated, first.Failures.Count).Should().Be((1, 1, 0));
        second.Due.Should().Be(0, "the period was closed by the first run");
        var statement = (await StatementsOfAsync(organizationId)).Should().ContainSingle().Subject;
        (statement.PeriodStart, statement.PeriodEnd, statement.PlanCode).Should().Be((new DateTime(2026, 10, 1), new DateTime(2026, 11, 1), "free"));
        statement.Lines.OrderBy(l => l.Position).Select(l => (l.Kind, l.Quantity, l.Amount)).Should().Equal(
            (StatementLineKind.PlanFee, 1, 0m),
            (StatementLineKind.Proration, 1, upgrade.ProratedCharge),
            (StatementLineKind.CreditPurchase, 1, 20m),
            (StatementLineKind.Usage, 3, 0m),
            (StatementLineKind.Usage, 1, 0m));
        statement.Total.Should().Be(upgrade.ProratedCharge + 20m);

        await using (var db = world.Database.CreateContext())
        {
            var october = await db.Set<CreditEntry>().IgnoreQueryFilters()
                .Where(e => e.OrganizationId == organizationId && e.OccurredAt < new DateTime(2026, 11, 1)).ToListAsync();
            var charges = await db.Set<BillingCharge>().IgnoreQueryFilters().Where(c => c.OrganizationId == organizationId).SumAsync(c => c.Amount);
            statement.Total.Should().Be(charges, "the period's charges and the plan fee (0 on Free) are the total");
            statement.CreditsUsed.Should().Be(-october.Where(e => e.Kind == CreditEntryKind.Usage).Sum(e => e.Amount)).And.Be(4);
            statement.CreditsPurchased.Should().Be(2_000);
            statement.CreditsGranted.Should().Be(100 + 4_900, "Free's allowance, then the rest of Team's at the upgrade");
            statement.CreditsAdjusted.Should().Be(-7);
            statement.ClosingBalance.Should().Be(october.MaxBy(e => e.Sequence)!.BalanceAfter).And.Be(october.Sum(e => e.Amount));
        }

        // November began on Team with 12 seats: its statement bills them.
        clock.SetUtcNow(new DateTimeOffset(2026, 12, 1, 3, 0, 0, TimeSpan.Zero));
        await owner.Statements.CloseDuePeriodsAsync();
        var november = (await StatementsOfAsync(organizationId))[1];
        november.Lines.OrderBy(l => l.Position).Select(l => (l.Kind, l.Quantity, l.Amount)).Should().Equal(
            (StatementLineKind.PlanFee, 1, 29m), (StatementLineKind.ExtraSeats, 2, 10m));
        (november.Total, november.OpeningBalance).Should().Be((39m, statement.ClosingBalance));
    }

    [Fact]
    public async Task Statements_are_immutable_once_issued()
    {
        var (owner, organizationId) = await OrganizationAsync();
        await owner.Billing.ChangePlanAsync("team", 10);
        clock.SetUtcNow(new DateTimeOffset(2026, 11, 2, 0, 0, 0, TimeSpan.Zero));
        await owner.Statements.CloseDuePeriodsAsync();

        await using var db = world.Database.CreateContext(TenantContext.ForJob(organizationId, ""));
        var statement = await db.Set<Statement>().Include(s => s.Lines).SingleAsync();
        statement.Total = 0m;
        var editTotal = () => db.SaveChangesAsync();
        await editTotal.Should().ThrowAsync<TenantViolationException>().WithMessage("*immutable*");

        db.ChangeTracker.Clear();
        db.Set<StatementLine>().Remove(await db.Set<StatementLine>().FirstAsync());
        await editTotal.Should().ThrowAsync<TenantViolationException>().WithMessage("*immutable*");
    }

    [Fact]
    public async Task An_unpaid_statement_turns_the_subscription_past_due_which_pauses_paid_features_but_never_reading()
    {
        var (owner, organizationId) = await OrganizationAsync();
        await world.Database.SubscribeAsync(organizationId, world.Plans.Find("team")!, clock.GetUtcNow().UtcDateTime);
        clock.SetUtcNow(new DateTimeOffset(2026, 11, 1, 1, 0, 0, TimeSpan.Zero));
        await owner.Statements.CloseDuePeriodsAsync();
        var statement = (await owner.Statements.ListAsync()).Should().ContainSingle().Subject;
        statement.Status.Should().Be(StatementStatus.Open);

        clock.Advance(TimeSpan.FromDays(29));
        await owner.Statements.CloseDuePeriodsAsync();
        (await owner.Billing.GetSummaryAsync()).Status.Should().Be(SubscriptionStatus.Active, "29 days are within the 30-day term");

        clock.Advance(TimeSpan.FromDays(2));
        await owner.Statements.CloseDuePeriodsAsync();
        (await owner.Billing.GetSummaryAsync()).Status.Should().Be(SubscriptionStatus.PastDue);
        (await Refused(() => owner.ApiKeys.CreateAsync("CI", OrganizationRole.Admin))).Message.Should().Contain("paused because a statement is overdue");
        (await Refused(() => owner.Billing.BuyCreditsAsync(1))).Kind.Should().Be(DomainErrorKind.Conflict);
        await owner.Features.Invoking(f => f.EnsureAvailableAsync(Feature.ApiAccess, reading: true)).Should().NotThrowAsync("reading through the API goes on");
        (await owner.Members.ExportCsvAsync(new MemberQuery())).Should().Contain(owner.Email, "exporting the organization's own data goes on");
        (await owner.Statements.CsvAsync(statement.Id)).Should().Contain("PlanFee");

        var sid = await SupportAsync();
        var wrong = await Refused(() => sid.Statements.RecordPaymentAsync(organizationId, statement.Id, "INV-7731", 30m));
        (wrong.Field, wrong.Message).Should().Be(("amount", $"Statement {statement.Number} has 29.00 EUR left to pay of 29.00 EUR; the payment is 30.00 EUR. Record at most the remaining amount."));
        (await Refused(() => owner.Statements.RecordPaymentAsync(organizationId, statement.Id, "INV-7731", 29m))).Kind.Should().Be(DomainErrorKind.Forbidden);
        (await Refused(() => sid.Statements.RecordPaymentAsync(organizationId, statement.Id, " ", 29m))).Field.Should().Be("reference");
        (await Refused(() => sid.Statements.RecordPaymentAsync(organizationId, statement.Id, "INV-7731", 0m))).Field.Should().Be("amount");

        var part = await sid.Statements.RecordPaymentAsync(organizationId, statement.Id, "INV-7731-A", 20m);
        (part.Summary.Status, part.Summary.Paid, part.Summary.Remaining, part.Payment).Should().Be((StatementStatus.Open, 20m, 9m, (PaymentView?)null));
        (await owner.Billing.GetSummaryAsync()).Status.Should().Be(SubscriptionStatus.PastDue, "a part payment leaves the statement overdue");
        (await Refused(() => sid.Statements.RecordPaymentAsync(organizationId, statement.Id, "INV-7731", 9.01m))).Message.Should().Contain("has 9.00 EUR left to pay of 29.00 EUR");

        var paid = await sid.Statements.RecordPaymentAsync(organizationId, statement.Id, "INV-7731", 9m);

        (paid.Summary.Status, paid.Payment!.Reference, paid.Payment.Amount, paid.Summary.Remaining).Should().Be((StatementStatus.Paid, "INV-7731", 29m, 0m));
        paid.Payments.Select(p => (p.Reference, p.Amount)).Should().Equal(("INV-7731-A", 20m), ("INV-7731", 9m));
        (await owner.Billing.GetSummaryAsync()).Status.Should().Be(SubscriptionStatus.Active);
        (await owner.ApiKeys.CreateAsync("CI", OrganizationRole.Admin)).Secret.Should().StartWith("mo_");
        (await owner.Audit.ListAsync(new(Action: "Statement"))).Items.Should().Contain(e => e.ActorUserId == sid.UserId && e.Changes.Contains("INV-7731"));
    }

    [Fact]
    public async Task A_switched_off_feature_is_refused_by_its_service_and_the_plan_decides_what_is_included()
    {
        var (owner, organizationId) = await OrganizationAsync();
        var member = await world.JoinAsync(owner, organizationId, "Mia", OrganizationRole.Member);

        (await Refused(() => member.Features.SetAsync(Feature.CsvImport, false))).Kind.Should().Be(DomainErrorKind.Forbidden);
        var off = await owner.Features.SetAsync(Feature.CsvImport, false);
        await owner.Features.SetAsync(Feature.ApiAccess, false);

        off.Available.Should().BeFalse();
        (await Refused(() => new InvitationWorld(world, owner).Invitations.PreviewAsync([new InviteRow(2, "ana@acme.example")], InvitationService.CsvSource)))
            .Message.Should().Be("This feature is turned off for this organization (CSV import).");
        (await Refused(() => owner.ApiKeys.CreateAsync("CI", OrganizationRole.Admin))).Message.Should().Be("This feature is turned off for this organization (API access).");
        (await member.Features.ListAsync()).Single(f => f.Feature == Feature.ClientOrganizations)
            .Should().Match<FeatureStatus>(f => f.SwitchedOn && !f.PlanIncludes && !f.Available, "Free does not include client organizations");

        await world.MakePartnerAsync(organizationId);
        await owner.Features.SetAsync(Feature.ApiAccess, true);
        (await owner.Features.ListAsync()).Where(f => f.Available).Select(f => f.Feature)
            .Should().BeEquivalentTo([Feature.ApiAccess, Feature.Assistant, Feature.ClientOrganizations], "the Partner plan includes clients; CSV import stays off");
        (await owner.ApiKeys.CreateAsync("CI", OrganizationRole.Admin)).Secret.Should().StartWith("mo_");
    }

    [Fact]
    public async Task A_partner_on_a_plan_without_client_organizations_cannot_create_clients()
    {
        var (owner, organizationId) = await OrganizationAsync("Brightside");
        await world.MakePartnerAsync(organizationId);
        await world.Database.SubscribeAsync(organizationId, world.Plans.Find("team")!, clock.GetUtcNow().UtcDateTime);

        var refusal = await Refused(() => owner.Onboarding.CreateFromTemplatesAsync(new("Greenfield", "US")));

        refusal.Message.Should().Be("The Team plan does not include client organizations. An owner can change the plan on the Billing page.");
        (await owner.Onboarding.ListClientsAsync()).Should().BeEmpty();
    }

    [Fact]
    public async Task A_partners_consolidated_statement_holds_exactly_its_billed_to_partner_clients()
    {
        var (paula, brightside) = await OrganizationAsync("Brightside");
        await world.MakePartnerAsync(brightside);
        var billed = await paula.Onboarding.CreateFromTemplatesAsync(new("Greenfield Bakery", "US", BillToPartner: true));
        var own = await paula.Onboarding.CreateFromTemplatesAsync(new("Hofmann", "DE"));
        var (peter, otherPartner) = await OrganizationAsync("Other Partner");
        await world.MakePartnerAsync(otherPartner);
        var foreign = await peter.Onboarding.CreateFromTemplatesAsync(new("Foreign Client", "US", BillToPartner: true));
        foreach (var client in new[] { billed.OrganizationId, own.OrganizationId, foreign.OrganizationId })
        {
            await using var db = world.Database.CreateContext(TenantContext.ForJob(client, ""));
            await db.Set<Subscription>().ExecuteUpdateAsync(s => s.SetProperty(x => x.PlanCode, "team").SetProperty(x => x.PeriodPlanCode, "team").SetProperty(x => x.Seats, 10).SetProperty(x => x.PeriodSeats, 10));
        }

        // Usage in a client is the client's: the partner's balance does not move.
        var partnerBalance = (await paula.Billing.GetSummaryAsync()).Balance;
        await paula.Organizations.EnterAsync(billed.OrganizationId);
        await paula.Billing.DebitUsageAsync(UsageKinds.ApiRequest, "Greenfield sync");
        await paula.Organizations.EnterAsync(brightside);
        (await paula.Billing.GetSummaryAsync()).Balance.Should().Be(partnerBalance);

        clock.SetUtcNow(new DateTimeOffset(2026, 11, 1, 0, 1, 0, TimeSpan.Zero));
        await paula.Statements.CloseDuePeriodsAsync();

        var statement = await paula.Statements.GetAsync((await paula.Statements.ListAsync()).Single().Id);
        statement.Clients.Select(c => c.OrganizationName).Should().Equal("Greenfield Bakery");
        statement.Clients[0].Total.Should().Be(29m);
        statement.AmountDue.Should().Be(149m + 29m, "the Partner plan plus Greenfield's Team");
        (statement.Summary.Total, (await paula.Statements.ListAsync()).Single().Total, statement.OwnTotal).Should().Be((178m, 178m, 149m), "the list, the statement and its amount due are one figure");
        var costs = await paula.Statements.ClientCostsAsync();
        costs.Rows.Select(r => (r.OrganizationName, r.BilledToPartner, r.Total)).Should().BeEquivalentTo([("Greenfield Bakery", true, 29m), ("Hofmann", false, 29m)]);
        (await paula.Statements.ClientCostsCsvAsync()).Should().Contain("Greenfield Bakery").And.NotContain("Foreign Client");

        var peterStatement = await peter.Statements.GetAsync((await peter.Statements.ListAsync()).Single().Id);
        peterStatement.Clients.Select(c => c.OrganizationName).Should().Equal("Foreign Client");

        // The client reads its own statement only: billed to Brightside, no other client's lines.
        await paula.Organizations.EnterAsync(billed.OrganizationId);
        var clientView = await paula.Statements.GetAsync((await paula.Statements.ListAsync()).Single().Id);
        (clientView.BilledToName, clientView.Clients.Count, clientView.AmountDue).Should().Be(("Brightside", 0, 29m));
        await paula.Organizations.EnterAsync(brightside);

        // Another partner's client is unknown to Brightside, whatever id is sent.
        (await Refused(() => paula.Statements.SetBilledToPartnerAsync(foreign.OrganizationId, false))).Kind.Should().Be(DomainErrorKind.NotFound);

        var sid = await SupportAsync();
        var clientStatement = (await sid.Statements.ListForSupportAsync(billed.OrganizationId)).Single();
        (await Refused(() => sid.Statements.RecordPaymentAsync(billed.OrganizationId, clientStatement.Id, "X-1", 29m)))
            .Message.Should().Contain("billed to Brightside");
        await sid.Statements.RecordPaymentAsync(brightside, statement.Summary.Id, "WIRE-2026-11", 178m);
        (await sid.Statements.ListForSupportAsync(billed.OrganizationId)).Single().Status.Should().Be(StatementStatus.Paid, "the partner's payment settles its clients' sections");
        (await sid.Statements.ListForSupportAsync(foreign.OrganizationId)).Single().Status.Should().Be(StatementStatus.Open);

        // The partner's owner changes who pays Hofmann; December's statement follows.
        await paula.Statements.SetBilledToPartnerAsync(own.OrganizationId, true);
        clock.SetUtcNow(new DateTimeOffset(2026, 12, 1, 0, 1, 0, TimeSpan.Zero));
        await paula.Statements.CloseDuePeriodsAsync();
        var december = (await paula.Statements.ListAsync()).OrderBy(s => s.PeriodStart).Last();
        (await paula.Statements.GetAsync(december.Id)).Clients.Select(c => c.OrganizationName).Should().Equal("Greenfield Bakery", "Hofmann");
    }
}
