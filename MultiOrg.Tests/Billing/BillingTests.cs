using Microsoft.EntityFrameworkCore;
using MultiOrg.Data;
using MultiOrg.Domain.Billing;
using MultiOrg.Domain.Errors;
using MultiOrg.Domain.Organizations;
using MultiOrg.Domain.Users;
using MultiOrg.Tests.Harness;

namespace MultiOrg.Tests.Billing;

public sealed class BillingTests : IDisposable
{
    private readonly TestWorld world = new();

    public void Dispose() => world.Dispose();

    private static async Task<DomainException> Refused(Func<Task> action) =>
        (await action.Should().ThrowAsync<DomainException>()).Which;

    private async Task<(Actor Owner, Guid OrganizationId)> OrganizationAsync(int members = 1)
    {
        var owner = await world.CreateUserAsync("Olivia");
        var organization = await owner.Organizations.CreateAsync("Acme Corp");
        for (var i = 1; i < members; i++)
        {
            await owner.Members.AddByEmailAsync((await world.CreateUserAsync($"Member {i}")).Email);
        }

        return (owner, organization.Id);
    }

    /// <summary>A second request of the same person in the same organization, with its own services.</summary>
    private async Task<Actor> RequestAsync(Actor actor, Guid organizationId)
    {
        var scope = world.NewScope(actor.UserId, actor.Email);
        await scope.Organizations.EnterAsync(organizationId);
        return scope;
    }

    [Fact]
    public async Task A_new_organization_is_on_the_free_plan_with_its_monthly_allowance_granted_once()
    {
        var (owner, _) = await OrganizationAsync();

        var first = await owner.Billing.GetSummaryAsync();
        await owner.Statements.CloseDuePeriodsAsync();
        var second = await owner.Billing.GetSummaryAsync();
        await owner.Statements.CloseDuePeriodsAsync();

        first.Plan.Code.Should().Be("free");
        (first.Seats, first.SeatsUsed).Should().Be((5, 1));
        first.Balance.Should().Be(100, "the allowance the period-close job grants is shown before it runs");
        second.Balance.Should().Be(100, "the allowance is granted once per period");
        (await owner.Billing.ListLedgerAsync(new())).Items.Should().ContainSingle().Which.Kind.Should().Be(CreditEntryKind.Grant);
    }

    [Fact]
    public async Task Admins_read_billing_only_owners_change_it_and_members_see_none()
    {
        var (owner, organizationId) = await OrganizationAsync();
        var admin = await world.CreateUserAsync("Adam");
        var member = await world.CreateUserAsync("Mia");
        await owner.Members.AddByEmailAsync(admin.Email, OrganizationRole.Admin);
        await owner.Members.AddByEmailAsync(member.Email);
        await admin.Organizations.EnterAsync(organizationId);
        await member.Organizations.EnterAsync(organizationId);

        (await admin.Billing.GetSummaryAsync()).Plan.Code.Should().Be("free");
        (await Refused(() => admin.Billing.ChangePlanAsync("team", null))).Message.Should().Be("Only owners (and, in a client organization, its partner's owners and admins) can change the plan, seats or buy credits.");
        (await Refused(() => admin.Billing.BuyCreditsAsync(1))).Kind.Should().Be(DomainErrorKind.Forbidden);
        (await Refused(() => member.Billing.GetSummaryAsync())).Kind.Should().Be(DomainErrorKind.Forbidden);
        (await Refused(() => member.Billing.ListLedgerAsync(new()))).Kind.Should().Be(DomainErrorKind.Forbidden);
    }

    [Fact]
    public async Task Adding_a_member_beyond_the_seats_is_refused_with_the_seat_count()
    {
        var (owner, _) = await OrganizationAsync(members: 5);
        var sixth = await world.CreateUserAsync("Sixth");

        var refusal = await Refused(() => owner.Members.AddByEmailAsync(sixth.Email));

        refusal.Message.Should().Be("Seat limit reached (5 of 5 seats used). Add seats or change plan.");
        (await owner.Members.ListAsync(new())).Total.Should().Be(5);
    }

    [Fact]
    public async Task Two_adds_racing_for_the_last_seat_never_both_succeed()
    {
        for (var round = 0; round < 5; round++)
        {
            var (owner, organizationId) = await OrganizationAsync(members: 4);
            var a = await world.CreateUserAsync("A");
            var b = await world.CreateUserAsync("B");
            var first = await RequestAsync(owner, organizationId);
            var second = await RequestAsync(owner, organizationId);

            var results = await Task.WhenAll(Attempt(() => first.Members.AddByEmailAsync(a.Email)), Attempt(() => second.Members.AddByEmailAsync(b.Email)));

            results.Count(ok => ok).Should().Be(1, $"round {round}: one seat was left");
            (await owner.Members.ListAsync(new())).Total.Should().Be(5);
        }

        static async Task<bool> Attempt(Func<Task> add)
        {
            try
            {
                await add();
                return true;
            }
            catch (DomainException e) when (e.Message.StartsWith("Seat limit reached", StringComparison.Ordinal))
            {
                return false;
            }
        }
    }

    [Fact]
    public async Task A_seat_count_beyond_the_bound_is_refused_naming_the_field()
    {
        var (owner, _) = await OrganizationAsync();

        var refused = await Refused(() => owner.Billing.PreviewChangeAsync("team", int.MaxValue));

        refused.Field.Should().Be("seats");
        refused.Message.Should().Be("An organization can have at most 10000 seats; for more, contact us.", "not a charge of billions");
    }

    [Fact]
    public async Task An_upgrade_applies_at_once_with_a_prorated_charge_and_a_downgrade_waits_for_the_period_end()
    {
        var (owner, organizationId) = await OrganizationAsync();

        var preview = await owner.Billing.PreviewChangeAsync("team", 12);
        var applied = await owner.Billing.ChangePlanAsync("team", 12);

        preview.TakesEffectNow.Should().BeTrue();
        preview.NewMonthlyTotal.Should().Be(39m, "29 for Team plus 2 extra seats at 5");
        preview.ProratedCharge.Should().BeInRange(0.01m, 39m);
        applied.ProratedCharge.Should().BeApproximately(preview.ProratedCharge, 0.02m);
        var summary = await owner.Billing.GetSummaryAsync();
        (summary.Plan.Code, summary.Seats, summary.Balance).Should().Be(("team", 12, 5_000), "the allowance rises to Team's at once");
        await using (var db = world.Database.CreateContext())
        {
            (await db.Set<BillingCharge>().IgnoreQueryFilters().SingleAsync(c => c.OrganizationId == organizationId)).Amount.Should().Be(applied.ProratedCharge);
        }

        var downgrade = await owner.Billing.ChangePlanAsync("free", null);

        downgrade.TakesEffectNow.Should().BeFalse();
        summary = await owner.Billing.GetSummaryAsync();
        (summary.Plan.Code, summary.PendingPlanCode, summary.PendingSeats).Should().Be(("team", "free", 5));
    }

    [Fact]
    public async Task Fewer_seats_than_members_is_refused_naming_both_numbers()
    {
        var (owner, _) = await OrganizationAsync(members: 3);
        await owner.Billing.ChangePlanAsync("team", null);
        for (var i = 0; i < 4; i++)
        {
            await owner.Members.AddByEmailAsync((await world.CreateUserAsync($"Extra {i}")).Email);
        }

        var refusal = await Refused(() => owner.Billing.ChangePlanAsync("free", null));

        refusal.Field.Should().Be("seats");
        refusal.Message.Should().Be("Free with 5 seats is fewer than the organization's 7 members. Remove members or keep more seats.");
        (await Refused(() => owner.Billing.ChangePlanAsync("free", 6))).Message.Should().Contain("sells no extra ones");
        (await Refused(() => owner.Billing.ChangePlanAsync("gold", null))).Field.Should().Be("plan");
    }

    [Fact]
    public async Task A_debit_that_does_not_fit_is_refused_and_a_replayed_key_records_nothing_new()
    {
        var (owner, _) = await OrganizationAsync();
        await owner.Billing.GetSummaryAsync();

        var first = await owner.Billing.DebitUsageAsync(UsageKinds.ApiRequest, "CI key", "request-1");
        var replay = await owner.Billing.DebitUsageAsync(UsageKinds.ApiRequest, "CI key", "request-1");

        (first.Replayed, replay.Replayed).Should().Be((false, true));
        replay.Entry.Sequence.Should().Be(first.Entry.Sequence);
        var summary = await owner.Billing.GetSummaryAsync();
        summary.Balance.Should().Be(99);
        summary.UsageLast30Days[^1].Credits.Should().Be(1, "today's usage counts the debit once, not its replay");

        var expensive = owner.Create<BillingService>(
            new PlanCatalog(new BillingOptions { Plans = BillingOptions.Defaults().Plans, UsageCosts = new() { [UsageKinds.AssistantTool] = 500 } }),
            TimeProvider.System);
        var refusal = await Refused(() => expensive.DebitUsageAsync(UsageKinds.AssistantTool, "list_members"));

        refusal.Kind.Should().Be(DomainErrorKind.InsufficientCredits);
        refusal.Message.Should().Be("Insufficient credits: balance 99, needed 500.");
        (await owner.Billing.ListLedgerAsync(new())).Total.Should().Be(2);
    }

    [Fact]
    public async Task Fifty_parallel_debits_of_one_credit_against_twenty_succeed_exactly_twenty_times()
    {
        var (owner, organizationId) = await OrganizationAsync();
        var catalog = new PlanCatalog(new BillingOptions
        {
            Plans = [.. BillingOptions.Defaults().Plans.Select(p => p.Code == "free" ? new PlanDefinition { Code = "free", Name = "Free", IncludedSeats = 5, MonthlyCredits = 20 } : p)],
        });
        var requests = new List<BillingService>();
        for (var i = 0; i < 50; i++)
        {
            var scope = await RequestAsync(owner, organizationId);
            requests.Add(scope.Create<BillingService>(catalog, TimeProvider.System));
        }

        var outcomes = await Race.RunAsync(requests.Select((billing, i) => (Func<Task>)(() => billing.DebitUsageAsync(UsageKinds.ApiRequest, $"request {i}"))));

        outcomes.Count(e => e is null).Should().Be(20, "the allowance of 20 covers twenty debits of 1 ({0})", Race.Tally(outcomes));
        outcomes.OfType<Exception>().Should().AllSatisfy(
            e => e.Should().BeOfType<DomainException>().Which.Kind.Should().Be(DomainErrorKind.InsufficientCredits),
            "a debit beyond the balance is refused as insufficient, never an error ({0})", Race.Tally(outcomes));
        await using var db = world.Database.CreateContext();
        var entries = await db.Set<CreditEntry>().IgnoreQueryFilters().Where(e => e.OrganizationId == organizationId).OrderBy(e => e.Sequence).ToListAsync();
        entries.Sum(e => e.Amount).Should().Be(0).And.Be(entries[^1].BalanceAfter);
        entries.Select(e => e.Sequence).Should().Equal(Enumerable.Range(1, 21).Select(i => (long)i), "one grant and twenty debits, numbered without a gap");
    }

    [Fact]
    public async Task Support_adjusts_credits_with_a_reason_and_the_owner_sees_it_in_the_audit_log()
    {
        var (owner, organizationId) = await OrganizationAsync();
        var sid = await world.CreateUserAsync("Sid");
        await world.GrantAsync(sid, GlobalRole.Support);

        (await Refused(() => sid.Billing.AdjustAsync(organizationId, 50, "oops"))).Field.Should().Be("reason");
        (await Refused(() => owner.Billing.AdjustAsync(organizationId, 50, "Goodwill for the outage on 3 May"))).Kind.Should().Be(DomainErrorKind.Forbidden);
        await sid.Billing.AdjustAsync(organizationId, 50, "Goodwill for the outage on 3 May");

        (await owner.Billing.GetSummaryAsync()).Balance.Should().Be(150);
        var audit = await owner.Audit.ListAsync(new(Action: "CreditEntry"));
        audit.Items.Should().Contain(e => e.ActorUserId == sid.UserId && e.Changes.Contains("Goodwill for the outage"));
    }

    [Fact]
    public async Task Credit_adjustments_are_bounded_name_the_field_and_are_refused_to_a_read_only_impersonation()
    {
        var (_, organizationId) = await OrganizationAsync();
        var sid = await world.CreateUserAsync("Sid");
        await world.GrantAsync(sid, GlobalRole.Support);
        const string reason = "Goodwill for the outage on 3 May";

        (await Refused(() => sid.Billing.AdjustAsync(organizationId, 0, reason))).Field.Should().Be("amount");
        (await Refused(() => sid.Billing.AdjustAsync(organizationId, BillingService.MaxAdjustment + 1, reason))).Field.Should().Be("amount");
        (await Refused(() => sid.Billing.AdjustAsync(organizationId, -BillingService.MaxAdjustment - 1, reason))).Field.Should().Be("amount");
        (await Refused(() => sid.Billing.AdjustAsync(organizationId, 5, "   "))).Field.Should().Be("reason");
        (await Refused(() => sid.Billing.AdjustAsync(organizationId, 5, new string('\0', 11)))).Field.Should().Be("reason", "control characters are not a written reason");
        (await Refused(() => sid.Billing.AdjustAsync(organizationId, 5, "Goodwill \u202eegatuo rof"))).Field.Should().Be("reason", "a text-direction override would make the ledger read otherwise");
        (await Refused(() => sid.Billing.AdjustAsync(organizationId, -101, reason))).Kind.Should().Be(DomainErrorKind.InsufficientCredits);
        (await Refused(() => sid.Billing.AdjustAsync(Guid.NewGuid(), 5, reason))).Kind.Should().Be(DomainErrorKind.NotFound);
        await sid.Support.StartImpersonationAsync(new(organizationId, "Customer asked about their balance"));
        (await Refused(() => sid.Billing.AdjustAsync(organizationId, 5, reason))).Message.Should().Be(DomainMessages.ReadOnlyImpersonation);

        var adjusted = await world.NewScope(sid.UserId, sid.Email).Billing.AdjustAsync(organizationId, BillingService.MaxAdjustment, reason);

        (adjusted.Entry.Kind, adjusted.Entry.BalanceAfter).Should().Be((CreditEntryKind.Adjustment, 100 + BillingService.MaxAdjustment));
    }

    [Fact]
    public async Task Metered_use_is_recorded_by_the_ledger_while_grants_and_adjustments_enter_the_audit_log()
    {
        var (owner, organizationId) = await OrganizationAsync();
        var sid = await world.CreateUserAsync("Sid");
        await world.GrantAsync(sid, GlobalRole.Support);
        await owner.Billing.DebitUsageAsync(UsageKinds.ApiRequest, "CI key", "request-1");
        await owner.Billing.DebitUsageAsync(UsageKinds.AssistantTool, "list_members", "call-1");
        await sid.Billing.AdjustAsync(organizationId, 5, "Goodwill for the outage on 3 May");

        var ledger = await owner.Billing.ListLedgerAsync(new LedgerQuery());
        ledger.Items.Select(e => e.Kind).Should().Equal(CreditEntryKind.Adjustment, CreditEntryKind.Usage, CreditEntryKind.Usage, CreditEntryKind.Grant);
        var audit = await owner.Audit.ListAsync(new(Action: "CreditEntry"));
        audit.Items.Should().HaveCount(2, "the allowance grant and the adjustment; one entry per metered request would bury the log")
            .And.OnlyContain(e => !e.Changes.Contains("CI key") && !e.Changes.Contains("list_members"));
    }
}
