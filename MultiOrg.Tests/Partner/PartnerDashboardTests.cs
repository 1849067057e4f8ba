using Microsoft.EntityFrameworkCore;
using MultiOrg.Data;
using MultiOrg.Domain.Accounting;
using MultiOrg.Domain.Clients;
using MultiOrg.Domain.Errors;
using MultiOrg.Domain.Organizations;
using MultiOrg.Domain.Tenancy;
using MultiOrg.Tests.Harness;

namespace MultiOrg.Tests.Partner;

/// <summary>Issue 13: the partner dashboard, configuration drift and the bulk push, over two partners on real SQLite.</summary>
public sealed class PartnerDashboardTests : IDisposable
{
    private readonly TestWorld world = new();

    public void Dispose() => world.Dispose();

    private sealed record Partner(Actor Owner, Guid Id, Guid EntityId, PartnerAggregationService Aggregation, ConfigurationPushService Push);

    private Partner For(Actor actor, Guid partnerId, Guid entityId)
    {
        return new Partner(actor, partnerId, entityId, actor.Get<PartnerAggregationService>(), actor.Get<ConfigurationPushService>());
    }

    private async Task<Partner> PartnerAsync(string name, string owner)
    {
        var actor = await world.CreateUserAsync(owner);
        var organization = await actor.Organizations.CreateAsync(name);
        await world.MakePartnerAsync(organization.Id);
        var entityId = await SeedAsync(organization.Id);
        return For(actor, organization.Id, entityId);
    }

    private MultiOrgDbContext ContextFor(Guid organizationId)
    {
        var tenant = new TenantContext();
        tenant.SetUser("client-staff");
        tenant.Enter(organizationId, "", OrganizationRole.Owner);
        return world.Database.CreateContext(tenant);
    }

    private async Task<Guid> SeedAsync(Guid organizationId)
    {
        await using var db = ContextFor(organizationId);
        var root = new Account { Number = "1000", Name = "Assets", Type = AccountType.Asset };
        db.Set<Account>().AddRange(root,
            new Account { Number = "1010", Name = "Cash", Type = AccountType.Asset, ParentAccountId = root.Id },
            new Account { Number = "4000", Name = "Revenue", Type = AccountType.Revenue });
        var authority = new TaxAuthority { Name = "State Revenue", CountryCode = "US", Region = "CA" };
        db.Set<TaxAuthority>().Add(authority);
        db.Set<TaxCode>().AddRange(
            new TaxCode { Code = "CA", Name = "California", RatePercent = 7.25m, Direction = TaxDirection.Sales, TaxAuthorityId = authority.Id },
            new TaxCode { Code = "EX", Name = "Exempt", RatePercent = 0m });
        db.Set<PaymentTerm>().Add(new PaymentTerm { Code = "NET30", Name = "Net 30", DueDays = 30 });
        var entity = new LegalEntity { Code = "HQ", Name = "Head office", CountryCode = "US", CurrencyCode = "USD" };
        db.Set<LegalEntity>().Add(entity);
        var workflow = new WorkflowDefinition { LegalEntityId = entity.Id, Name = "Bill approval" };
        db.Set<WorkflowDefinition>().Add(workflow);
        var review = new WorkflowStep { WorkflowDefinitionId = workflow.Id, Sequence = 1, Name = "Review" };
        var approve = new WorkflowStep { WorkflowDefinitionId = workflow.Id, Sequence = 2, Name = "Approve", ParentStepId = review.Id };
        db.Set<WorkflowStep>().AddRange(review, approve);
        db.Set<WorkflowCondition>().Add(new WorkflowCondition { WorkflowStepId = approve.Id, Field = "amount", Operator = ">", Value = "1000" });
        await db.SaveChangesAsync();
        return entity.Id;
    }

    private static async Task<Guid> CopyClientAsync(Partner partner, string name) =>
        (await partner.Owner.Onboarding.CreateByCopyAsync(new CopyOnboarding(name, partner.Id, partner.EntityId))).OrganizationId;

    private async Task<decimal?> RateAsync(Guid clientId, string code)
    {
        await using var db = ContextFor(clientId);
        return await db.Set<TaxCode>().Where(t => t.Code == code).Select(t => (decimal?)t.RatePercent).SingleOrDefaultAsync();
    }

    private async Task<List<MultiOrg.Domain.Audit.AuditEntry>> PushEntriesAsync(Guid clientId)
    {
        await using var db = ContextFor(clientId);
        return await db.AuditEntries.Where(a => a.Action == ConfigurationPushService.PushedAction).ToListAsync();
    }

    private static PushRequest Push(params ItemRef[] items) => new(items, [], null);

    private static readonly ItemRef NewTaxCode = new(ConfigurationKind.TaxCode, "GST");

    private static async Task AddPartnerTaxCodeAsync(Partner partner) =>
        await partner.Owner.Accounting.SaveTaxCodeAsync(null, "GST", "Goods and services", 5m, TaxDirection.Sales);

    [Fact]
    public async Task Dashboard_and_drift_see_exactly_the_partners_own_clients_never_another_partners()
    {
        var brightside = await PartnerAsync("Brightside Accounting", "Paula");
        var other = await PartnerAsync("Other Firm", "Oscar");
        var greenfield = await CopyClientAsync(brightside, "Greenfield Bakery");
        var hofmann = (await brightside.Owner.Onboarding.CreateFromTemplatesAsync(new TemplateOnboarding("Hofmann GmbH", "DE"))).OrganizationId;
        var foreign = await CopyClientAsync(other, "Foreign Client");

        var dashboard = await brightside.Aggregation.GetDashboardAsync(new PartnerDashboardQuery());
        var otherDashboard = await other.Aggregation.GetDashboardAsync(new PartnerDashboardQuery());
        var drift = await brightside.Aggregation.GetDriftAsync();

        dashboard.Clients.Select(c => c.Id).Should().Equal(greenfield, hofmann);
        dashboard.Summary.Should().Be(new PartnerSummary(2, 0, 0));
        var copied = dashboard.Clients[0];
        (copied.Accounts, copied.TaxCodes, copied.PaymentTerms, copied.Workflows).Should().Be((3, 2, 1, 1));
        copied.Onboarding.Should().Be(new OnboardingStatus(OnboardingRecord.CopyPath, 3, 3, null));
        copied.LastActivity.Should().BeCloseTo(DateTime.UtcNow, TimeSpan.FromMinutes(1));
        dashboard.Clients[1].Onboarding.Should().Be(new OnboardingStatus(OnboardingRecord.TemplatePath, 2, 2, null));
        otherDashboard.Clients.Select(c => c.Id).Should().Equal(foreign);
        drift.Select(d => d.ClientId).Should().Equal(greenfield, hofmann);
        drift[0].Counts.Should().Be(new DriftCounts(0, 0, 0, 7), "a copy is the partner's configuration item for item");

        var foreignDrift = () => brightside.Aggregation.GetDriftAsync(foreign);
        (await foreignDrift.Should().ThrowAsync<DomainException>()).Which.Kind.Should().Be(DomainErrorKind.NotFound);
        var foreignPush = await brightside.Push.PreviewAsync(new PushRequest([new ItemRef(ConfigurationKind.TaxCode, "CA")], [], [foreign]));
        foreignPush.Should().BeEmpty("another partner's client is never a target");
    }

    [Fact]
    public async Task Each_client_row_shows_its_own_credit_balance_and_this_months_usage()
    {
        var partner = await PartnerAsync("Brightside", "Paula");
        var busy = await CopyClientAsync(partner, "Busy Ltd");
        var quiet = await CopyClientAsync(partner, "Quiet Ltd");
        var staff = world.NewScope(partner.Owner.UserId, partner.Owner.Email);
        await staff.Organizations.EnterAsync(busy);
        for (var i = 0; i < 3; i++)
        {
            await staff.Billing.DebitUsageAsync(MultiOrg.Domain.Billing.UsageKinds.ApiRequest, "Nightly sync");
        }

        await partner.Owner.Organizations.EnterAsync(partner.Id);
        var rows = (await partner.Aggregation.GetDashboardAsync(new PartnerDashboardQuery())).Clients.ToDictionary(c => c.Id);

        (rows[busy].Credits, rows[busy].CreditsUsedThisMonth).Should().Be((97, 3), "the free allowance of 100, less three requests");
        (rows[quiet].Credits, rows[quiet].CreditsUsedThisMonth).Should().Be((100, 0), "no ledger yet, but the Free allowance its billing page shows (#25.9)");
    }

    [Fact]
    public async Task Dashboard_shows_a_failed_entity_layer_as_a_warning_and_searches_sorts_and_pages()
    {
        var partner = await PartnerAsync("Brightside Accounting", "Paula");
        await CopyClientAsync(partner, "Alpha Ltd");
        await CopyClientAsync(partner, "Beta Ltd");
        partner.Owner.Onboarding.BeforeCommit = layer => layer == OnboardingLayer.EntityConfiguration
            ? throw new InvalidOperationException("Simulated failure.")
            : Task.CompletedTask;
        await CopyClientAsync(partner, "Gamma Ltd");

        var byOnboarding = await partner.Aggregation.GetDashboardAsync(new PartnerDashboardQuery(Sort: ClientSort.Onboarding, PageSize: 2));
        var searched = await partner.Aggregation.GetDashboardAsync(new PartnerDashboardQuery(Search: "bet"));
        var secondPage = await partner.Aggregation.GetDashboardAsync(new PartnerDashboardQuery(Sort: ClientSort.Name, Descending: true, Page: 2, PageSize: 2));

        byOnboarding.Summary.Should().Be(new PartnerSummary(3, 0, 1));
        byOnboarding.TotalCount.Should().Be(3);
        var gamma = byOnboarding.Clients[0];
        gamma.Name.Should().Be("Gamma Ltd");
        gamma.Onboarding.LayersDone.Should().Be(2);
        gamma.Onboarding.LayersAsked.Should().Be(3);
        gamma.Onboarding.Warning.Should().Contain("entity HQ").And.Contain("not copied");
        gamma.Workflows.Should().Be(0);
        searched.Clients.Select(c => c.Name).Should().Equal("Beta Ltd");
        searched.Summary.Clients.Should().Be(3, "the summary counts every client, whatever the search");
        secondPage.Clients.Select(c => c.Name).Should().Equal("Alpha Ltd");
        var badPage = () => partner.Aggregation.GetDashboardAsync(new PartnerDashboardQuery(PageSize: 500));
        (await badPage.Should().ThrowAsync<DomainException>()).Which.Field.Should().Be("pageSize");
    }

    [Fact]
    public async Task Drift_of_one_client_names_each_item_missing_added_changed_or_same()
    {
        var partner = await PartnerAsync("Brightside Accounting", "Paula");
        var client = await CopyClientAsync(partner, "Greenfield Bakery");
        await using (var db = ContextFor(client))
        {
            (await db.Set<TaxCode>().SingleAsync(t => t.Code == "CA")).RatePercent = 8m;
            db.Set<PaymentTerm>().Add(new PaymentTerm { Code = "NET60", Name = "Net 60", DueDays = 60 });
            db.Set<Account>().Remove(await db.Set<Account>().SingleAsync(a => a.Number == "4000"));
            var step = await db.Set<WorkflowStep>().SingleAsync(s => s.Name == "Approve");
            step.Name = "Sign off";
            await db.SaveChangesAsync();
        }

        var drift = (await partner.Aggregation.GetDriftAsync(client)).Single();

        drift.Items.Where(i => i.Status != DriftStatus.Same).Select(i => (i.Kind, i.Key, i.Status)).Should().Equal(
            (ConfigurationKind.Account, "4000", DriftStatus.Missing),
            (ConfigurationKind.TaxCode, "CA", DriftStatus.ChangedLocally),
            (ConfigurationKind.PaymentTerm, "NET60", DriftStatus.AddedLocally),
            (ConfigurationKind.Workflow, "Bill approval", DriftStatus.ChangedLocally));
        var ca = drift.Items.Single(i => i.Key == "CA");
        ca.PartnerValue.Should().Be("California · 7.25 % · Sales · State Revenue");
        ca.ClientValue.Should().Be("California · 8 % · Sales · State Revenue");
        drift.Counts.Should().Be(new DriftCounts(1, 1, 2, 4));
    }

    [Fact]
    public async Task A_push_where_one_clients_write_fails_leaves_it_unchanged_and_changes_every_other_client()
    {
        var partner = await PartnerAsync("Brightside Accounting", "Paula");
        var clients = new[] { await CopyClientAsync(partner, "Alpha Ltd"), await CopyClientAsync(partner, "Beta Ltd"), await CopyClientAsync(partner, "Gamma Ltd") };
        await AddPartnerTaxCodeAsync(partner);
        partner.Push.BeforeClientCommit = id => id == clients[1] ? throw new InvalidOperationException("Disk full.") : Task.CompletedTask;
        var progress = new List<PushProgress>();

        var report = await partner.Push.ApplyAsync(Push(NewTaxCode), new SynchronousProgress(progress.Add));

        report.Clients.Select(c => (c.ClientId, c.Outcome)).Should().Equal((clients[0], PushOutcome.Changed), (clients[1], PushOutcome.Failed), (clients[2], PushOutcome.Changed));
        report.Clients[1].Error.Should().Be("Disk full.");
        (await RateAsync(clients[0], "GST")).Should().Be(5m);
        (await RateAsync(clients[1], "GST")).Should().BeNull();
        (await PushEntriesAsync(clients[1])).Should().BeEmpty();
        (await RateAsync(clients[2], "GST")).Should().Be(5m);
        progress.Select(p => (p.Done, p.Total)).Should().Equal((0, 3), (1, 3), (2, 3), (3, 3));
    }

    [Fact]
    public async Task Each_clients_audit_log_names_the_partner_user_and_a_rerun_changes_nothing()
    {
        var partner = await PartnerAsync("Brightside Accounting", "Paula");
        var clients = new[] { await CopyClientAsync(partner, "Alpha Ltd"), await CopyClientAsync(partner, "Beta Ltd") };
        await AddPartnerTaxCodeAsync(partner);

        var preview = await partner.Push.PreviewAsync(Push(NewTaxCode));
        await partner.Push.ApplyAsync(Push(NewTaxCode));
        var rerunPreview = await partner.Push.PreviewAsync(Push(NewTaxCode));
        var rerun = await partner.Push.ApplyAsync(Push(NewTaxCode));

        preview.Should().OnlyContain(p => p.Items.Single().Action == PushAction.Add);
        rerunPreview.Should().OnlyContain(p => p.Items.Single().Action == PushAction.Identical);
        rerun.Clients.Should().OnlyContain(c => c.Outcome == PushOutcome.Unchanged);
        foreach (var client in clients)
        {
            var entry = (await PushEntriesAsync(client)).Should().ContainSingle("the re-run wrote nothing").Subject;
            entry.ActorUserId.Should().Be(partner.Owner.UserId);
            entry.OrganizationId.Should().Be(client);
            entry.Changes.Should().Contain("\"key\":\"GST\"").And.Contain("\"action\":\"Add\"").And.Contain(partner.Id.ToString());
        }
    }

    [Fact]
    public async Task A_conflicting_local_change_survives_unless_overwrite_was_chosen_for_that_item()
    {
        var partner = await PartnerAsync("Brightside Accounting", "Paula");
        var changed = await CopyClientAsync(partner, "Local Rates Ltd");
        var untouched = await CopyClientAsync(partner, "Untouched Ltd");
        await using (var db = ContextFor(changed))
        {
            (await db.Set<TaxCode>().SingleAsync(t => t.Code == "CA")).RatePercent = 8m;
            await db.SaveChangesAsync();
        }

        var ca = new ItemRef(ConfigurationKind.TaxCode, "CA");
        var preview = await partner.Push.PreviewAsync(Push(ca));
        var kept = await partner.Push.ApplyAsync(Push(ca));
        var rateAfterPlainPush = await RateAsync(changed, "CA");
        var overwritten = await partner.Push.ApplyAsync(new PushRequest([ca], [ca], [changed]));

        preview.Select(p => (p.ClientId, p.Items.Single().Action)).Should().Equal((changed, PushAction.Conflict), (untouched, PushAction.Identical));
        kept.Clients.Should().OnlyContain(c => c.Outcome == PushOutcome.Unchanged);
        rateAfterPlainPush.Should().Be(8m);
        overwritten.Clients.Single().Items.Single().Action.Should().Be(PushAction.Update);
        (await RateAsync(changed, "CA")).Should().Be(7.25m);
        using var details = System.Text.Json.JsonDocument.Parse((await PushEntriesAsync(changed)).Single().Changes);
        var change = details.RootElement.GetProperty("changed")[0];
        change.GetProperty("before").GetString().Should().Be("California · 8 % · Sales · State Revenue");
        change.GetProperty("after").GetString().Should().Be("California · 7.25 % · Sales · State Revenue");
    }

    [Fact]
    public async Task A_pushed_workflow_replaces_the_clients_steps_and_a_new_account_finds_its_parent_by_number()
    {
        var partner = await PartnerAsync("Brightside Accounting", "Paula");
        var client = await CopyClientAsync(partner, "Greenfield Bakery");
        await using (var db = ContextFor(partner.Id))
        {
            var step = await db.Set<WorkflowStep>().SingleAsync(s => s.Name == "Approve");
            db.Set<WorkflowStep>().Add(new WorkflowStep { WorkflowDefinitionId = step.WorkflowDefinitionId, Sequence = 3, Name = "Pay", ParentStepId = step.Id });
            var root = await db.Set<Account>().SingleAsync(a => a.Number == "1000");
            db.Set<Account>().Add(new Account { Number = "1020", Name = "Petty cash", Type = AccountType.Asset, ParentAccountId = root.Id });
            await db.SaveChangesAsync();
        }

        var workflow = new ItemRef(ConfigurationKind.Workflow, "Bill approval");
        var account = new ItemRef(ConfigurationKind.Account, "1020");
        var report = await partner.Push.ApplyAsync(new PushRequest([workflow, account], [workflow], null));

        report.Clients.Single().Items.Select(i => i.Action).Should().Equal(PushAction.Update, PushAction.Add);
        var drift = (await partner.Aggregation.GetDriftAsync(client)).Single();
        drift.Counts.Should().Be(new DriftCounts(0, 0, 0, 8));
        await using var check = ContextFor(client);
        (await check.Set<WorkflowStep>().CountAsync()).Should().Be(3);
        (await check.Set<WorkflowCondition>().CountAsync()).Should().Be(1);
    }

    [Fact]
    public async Task Partner_members_and_standard_organizations_are_refused_and_bad_requests_name_the_field()
    {
        var partner = await PartnerAsync("Brightside Accounting", "Paula");
        var member = await world.CreateUserAsync("Mel");
        await partner.Owner.Members.AddByEmailAsync(member.Email, OrganizationRole.Member);
        await member.Organizations.EnterAsync(partner.Id);
        var memberView = For(member, partner.Id, partner.EntityId);
        var standard = await world.CreateUserAsync("Sam");
        var plain = await standard.Organizations.CreateAsync("Plain Co");
        var standardView = For(standard, plain.Id, Guid.Empty);

        var asMember = () => memberView.Aggregation.GetDashboardAsync(new PartnerDashboardQuery());
        var asStandard = () => standardView.Aggregation.GetDriftAsync();
        var noItems = () => partner.Push.PreviewAsync(Push());
        var unknown = () => partner.Push.PreviewAsync(Push(new ItemRef(ConfigurationKind.PaymentTerm, "NET99")));
        var noClients = () => partner.Push.ApplyAsync(new PushRequest([new ItemRef(ConfigurationKind.TaxCode, "CA")], [], []));

        (await asMember.Should().ThrowAsync<DomainException>()).Which.Kind.Should().Be(DomainErrorKind.Forbidden);
        (await asStandard.Should().ThrowAsync<DomainException>()).Which.Kind.Should().Be(DomainErrorKind.Forbidden);
        (await noItems.Should().ThrowAsync<DomainException>()).Which.Field.Should().Be("items");
        (await unknown.Should().ThrowAsync<DomainException>()).Which.Message.Should().Be("PaymentTerm NET99 is not part of your configuration.");
        (await noClients.Should().ThrowAsync<DomainException>()).Which.Field.Should().Be("clientIds");
    }

    /// <summary>Reports on the calling thread (Progress&lt;T&gt; posts to the thread pool, so its order is not the push's).</summary>
    private sealed class SynchronousProgress(Action<PushProgress> report) : IProgress<PushProgress>
    {
        public void Report(PushProgress value) => report(value);
    }
}
