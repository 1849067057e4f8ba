using Microsoft.EntityFrameworkCore;
using MultiOrg.Data;
using MultiOrg.Domain.Accounting;
using MultiOrg.Domain.Clients;
using MultiOrg.Domain.Errors;
using MultiOrg.Domain.Organizations;
using MultiOrg.Domain.Tenancy;
using MultiOrg.Tests.Harness;

namespace MultiOrg.Tests.Clients;

public sealed class ClientOnboardingTests : IDisposable
{
    private readonly TestWorld world = new();

    public void Dispose() => world.Dispose();

    private async Task<(Actor Owner, Guid PartnerId)> PartnerAsync(string name = "Brightside Accounting")
    {
        var owner = await world.CreateUserAsync("Paula");
        var partner = await owner.Organizations.CreateAsync(name);
        await world.MakePartnerAsync(partner.Id);
        return (owner, partner.Id);
    }

    private MultiOrgDbContext ContextFor(Guid organizationId)
    {
        var tenant = new TenantContext();
        tenant.SetUser("test");
        tenant.Enter(organizationId, "", OrganizationRole.Owner);
        return world.Database.CreateContext(tenant);
    }

    /// <summary>A partner configuration with every kind of row, including the ones that must not be copied.</summary>
    private async Task<Guid> SeedConfigurationAsync(Guid organizationId, int accounts = 12, int workflows = 2)
    {
        await using var db = ContextFor(organizationId);
        var root = new Account { Number = "1000", Name = "Assets", Type = AccountType.Asset };
        db.Set<Account>().Add(root);
        var all = new List<Account> { root };
        for (var i = 1; i < accounts; i++)
        {
            var account = new Account { Number = (1000 + (i * 10)).ToString(System.Globalization.CultureInfo.InvariantCulture), Name = $"Account {i}", Type = AccountType.Asset, ParentAccountId = root.Id };
            all.Add(account);
            db.Set<Account>().Add(account);
        }

        var irs = new TaxAuthority { Name = "State Revenue", CountryCode = "US", Region = "CA" };
        db.Set<TaxAuthority>().Add(irs);
        db.Set<TaxCode>().Add(new TaxCode { Code = "CA", Name = "California", RatePercent = 7.25m, TaxAuthorityId = irs.Id });
        db.Set<TaxCode>().Add(new TaxCode { Code = "EX", Name = "Exempt", RatePercent = 0m });
        db.Set<PaymentTerm>().Add(new PaymentTerm { Code = "NET30", Name = "Net 30", DueDays = 30 });
        db.Set<Jurisdiction>().Add(new Jurisdiction { Code = "US-CA", Name = "California", Kind = JurisdictionKind.Payroll, CountryCode = "US", Region = "CA" });
        db.Set<AgentConfiguration>().Add(new AgentConfiguration { AgentKey = "ap-clerk", Name = "AP clerk", IsEnabled = true, SettingsJson = "{\"limit\":500}" });
        db.Set<AgentConfiguration>().Add(new AgentConfiguration { AgentKey = "retired", Name = "Retired agent", IsEnabled = false });
        db.Set<SkillFile>().Add(new SkillFile { Path = "skills/ap.md", Content = "# Paying bills" });
        db.Set<SkillSetting>().Add(new SkillSetting { SkillName = "ap", Key = "tone", Value = "formal" });
        db.Set<NumberSeries>().Add(new NumberSeries { Code = "INV", Prefix = "BRIGHT-", NextNumber = 4711 });
        db.Set<Dimension>().Add(new Dimension { Code = "CC-100", Name = "Partner cost centre" });

        var entity = new LegalEntity { Code = "HQ", Name = "Brightside HQ", CountryCode = "US", CurrencyCode = "USD" };
        db.Set<LegalEntity>().Add(entity);
        db.Set<PostingProfile>().Add(new PostingProfile { LegalEntityId = entity.Id, Name = "Sales", DebitAccountId = all[1].Id, CreditAccountId = all[2].Id });
        db.Set<PostingProfile>().Add(new PostingProfile { LegalEntityId = entity.Id, Name = "Purchases", DebitAccountId = all[3].Id, CreditAccountId = all[1].Id });
        db.Set<TransactionTypeProfile>().Add(new TransactionTypeProfile { LegalEntityId = entity.Id, Name = "Invoice", TransactionType = "AR" });
        db.Set<TransactionTypeProfile>().Add(new TransactionTypeProfile { LegalEntityId = entity.Id, Name = "Bill", TransactionType = "AP" });
        for (var w = 0; w < workflows; w++)
        {
            var workflow = new WorkflowDefinition { LegalEntityId = entity.Id, Name = $"Approval {w}" };
            db.Set<WorkflowDefinition>().Add(workflow);
            var parent = new WorkflowStep { WorkflowDefinitionId = workflow.Id, Sequence = 1, Name = "Review" };
            var child = new WorkflowStep { WorkflowDefinitionId = workflow.Id, Sequence = 2, Name = "Approve", ParentStepId = parent.Id };
            db.Set<WorkflowStep>().AddRange(parent, child);
            db.Set<WorkflowCondition>().Add(new WorkflowCondition { WorkflowStepId = child.Id, Field = "amount", Operator = ">", Value = "1000" });
        }

        await db.SaveChangesAsync();
        return entity.Id;
    }

    [Fact]
    public async Task Copy_brings_every_organization_level_table_with_new_ids_under_the_new_client()
    {
        var (owner, partnerId) = await PartnerAsync();
        var entityId = await SeedConfigurationAsync(partnerId);

        var result = await owner.Onboarding.CreateByCopyAsync(new CopyOnboarding("Greenfield Bakery", partnerId, entityId));

        result.Warnings.Should().BeEmpty();
        await using var source = ContextFor(partnerId);
        await using var client = ContextFor(result.OrganizationId);
        var sourceIds = await source.Set<Account>().Select(a => a.Id).ToListAsync();
        var clientAccounts = await client.Set<Account>().ToListAsync();
        clientAccounts.Select(a => a.Number).Should().BeEquivalentTo(await source.Set<Account>().Select(a => a.Number).ToListAsync());
        clientAccounts.Select(a => a.Id).Should().NotIntersectWith(sourceIds);
        clientAccounts.Should().OnlyContain(a => a.OrganizationId == result.OrganizationId);
        var clientRoot = clientAccounts.Single(a => a.Number == "1000");
        clientAccounts.Where(a => a.Number != "1000").Should().OnlyContain(a => a.ParentAccountId == clientRoot.Id);

        (await client.Set<TaxCode>().Select(t => t.Code).ToListAsync()).Should().BeEquivalentTo("CA", "EX");
        var authority = await client.Set<TaxAuthority>().SingleAsync();
        (await client.Set<TaxCode>().SingleAsync(t => t.Code == "CA")).TaxAuthorityId.Should().Be(authority.Id);
        (await client.Set<PaymentTerm>().CountAsync()).Should().Be(1);
        (await client.Set<Jurisdiction>().SingleAsync()).Kind.Should().Be(JurisdictionKind.Payroll);
        (await client.Set<AgentConfiguration>().Select(a => a.AgentKey).ToListAsync()).Should().Equal("ap-clerk");
        (await client.Set<SkillFile>().SingleAsync()).Content.Should().Be("# Paying bills");
        result.Copied["accounts"].Should().Be(12);
    }

    [Fact]
    public async Task Nothing_of_the_not_copied_list_arrives_and_number_series_start_fresh()
    {
        var (owner, partnerId) = await PartnerAsync();
        var entityId = await SeedConfigurationAsync(partnerId);

        var result = await owner.Onboarding.CreateByCopyAsync(new CopyOnboarding("Fresh Series Ltd", partnerId, entityId));

        await using var client = ContextFor(result.OrganizationId);
        (await client.Set<SkillSetting>().CountAsync()).Should().Be(0);
        (await client.Set<Dimension>().CountAsync()).Should().Be(0);
        var series = await client.Set<NumberSeries>().ToListAsync();
        series.Select(s => s.Code).Should().BeEquivalentTo("INV", "BILL", "JE", "CN");
        series.Should().OnlyContain(s => s.NextNumber == 1 && !s.Prefix.StartsWith("BRIGHT", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Entity_layer_translates_account_mappings_by_number_and_copies_workflows_whole()
    {
        var (owner, partnerId) = await PartnerAsync();
        var entityId = await SeedConfigurationAsync(partnerId, workflows: 3);

        var result = await owner.Onboarding.CreateByCopyAsync(new CopyOnboarding("Mapped Inc", partnerId, entityId));

        await using var source = ContextFor(partnerId);
        await using var client = ContextFor(result.OrganizationId);
        var sourceNumbers = await source.Set<Account>().ToDictionaryAsync(a => a.Id, a => a.Number);
        var clientNumbers = await client.Set<Account>().ToDictionaryAsync(a => a.Id, a => a.Number);
        var sourceProfiles = await source.Set<PostingProfile>().ToDictionaryAsync(p => p.Name);
        var clientProfiles = await client.Set<PostingProfile>().ToListAsync();
        clientProfiles.Should().HaveCount(2);
        foreach (var profile in clientProfiles)
        {
            clientNumbers.Should().ContainKey(profile.DebitAccountId, "mappings must point to the client's own accounts");
            clientNumbers[profile.DebitAccountId].Should().Be(sourceNumbers[sourceProfiles[profile.Name].DebitAccountId]);
            clientNumbers[profile.CreditAccountId].Should().Be(sourceNumbers[sourceProfiles[profile.Name].CreditAccountId]);
        }

        (await client.Set<TransactionTypeProfile>().Select(t => t.Name + "/" + t.TransactionType).ToListAsync()).Should().BeEquivalentTo("Invoice/AR", "Bill/AP");
        var workflows = await client.Set<WorkflowDefinition>().Include(w => w.Steps).ThenInclude(s => s.Conditions).ToListAsync();
        workflows.Should().HaveCount(3);
        foreach (var workflow in workflows)
        {
            var review = workflow.Steps.Single(s => s.Name == "Review");
            var approve = workflow.Steps.Single(s => s.Name == "Approve");
            approve.ParentStepId.Should().Be(review.Id);
            approve.Conditions.Should().ContainSingle(c => c.Field == "amount" && c.Value == "1000");
        }

        (await client.Set<LegalEntity>().SingleAsync()).Code.Should().Be("HQ");
    }

    [Fact]
    public async Task A_failing_entity_layer_leaves_a_created_client_with_a_warning()
    {
        var (owner, partnerId) = await PartnerAsync();
        var entityId = await SeedConfigurationAsync(partnerId);
        owner.Onboarding.BeforeCommit = layer => layer == OnboardingLayer.EntityConfiguration
            ? throw new InvalidOperationException("Simulated failure while copying entity settings.")
            : Task.CompletedTask;

        var result = await owner.Onboarding.CreateByCopyAsync(new CopyOnboarding("Half Done LLC", partnerId, entityId));

        result.Warnings.Should().ContainSingle().Which.Should().Contain("HQ").And.Contain("were not copied");
        await using var client = ContextFor(result.OrganizationId);
        (await client.Set<Account>().CountAsync()).Should().Be(12);
        (await client.Set<LegalEntity>().CountAsync()).Should().Be(0);
        (await client.Set<PostingProfile>().CountAsync()).Should().Be(0);
        (await owner.Onboarding.ListClientsAsync()).Select(c => c.Name).Should().Contain("Half Done LLC");
    }

    [Fact]
    public async Task A_failing_configuration_layer_leaves_nothing_of_the_new_client()
    {
        var (owner, partnerId) = await PartnerAsync();
        var entityId = await SeedConfigurationAsync(partnerId);
        owner.Onboarding.BeforeCommit = layer => layer == OnboardingLayer.BaseStructureAndConfiguration
            ? throw new InvalidOperationException("Simulated failure in layer 2.")
            : Task.CompletedTask;

        var act = () => owner.Onboarding.CreateByCopyAsync(new CopyOnboarding("Never Was", partnerId, entityId));

        await act.Should().ThrowAsync<InvalidOperationException>();
        await using var db = world.Database.CreateContext();
        (await db.Organizations.AnyAsync(o => o.Name == "Never Was")).Should().BeFalse();
        (await db.Set<Account>().IgnoreQueryFilters().CountAsync()).Should().Be(12, "only the partner's own accounts exist");
        (await db.Set<NumberSeries>().IgnoreQueryFilters().CountAsync()).Should().Be(1);
    }

    [Theory]
    [InlineData("US", TaxSystem.UsSalesTax, "CA-STATE", 7.25)]
    [InlineData("DE", TaxSystem.EuVat, "VAT-STD", 19)]
    [InlineData("FR", TaxSystem.EuVat, "VAT-RED3", 2.1)]
    [InlineData("GB", TaxSystem.UkVat, "S", 20)]
    public async Task Auto_detect_picks_the_countrys_tax_system_with_real_rates(string country, TaxSystem expected, string code, double rate)
    {
        TaxSystems.Detect(country).Should().Be(expected);
        var (owner, _) = await PartnerAsync();

        var result = await owner.Onboarding.CreateFromTemplatesAsync(new TemplateOnboarding($"Client in {country}", country));

        await using var client = ContextFor(result.OrganizationId);
        (await client.Set<TaxCode>().SingleAsync(t => t.Code == code)).RatePercent.Should().Be((decimal)rate);
        (await client.Organizations.SingleAsync(o => o.Id == result.OrganizationId)).CountryCode.Should().Be(country);
    }

    [Fact]
    public async Task Countries_outside_us_eu_and_gb_get_no_tax_codes()
    {
        TaxSystems.Detect("JP").Should().Be(TaxSystem.None);
        var (owner, _) = await PartnerAsync();

        var result = await owner.Onboarding.CreateFromTemplatesAsync(new TemplateOnboarding("Tokyo KK", "JP"));

        await using var client = ContextFor(result.OrganizationId);
        (await client.Set<TaxCode>().CountAsync()).Should().Be(0);
        (await client.Set<LegalEntity>().SingleAsync()).CurrencyCode.Should().Be("JPY");
    }

    [Theory]
    [InlineData(AccountingStandard.UsGaap, ChartTemplate.Standard, "1100", "Accounts Receivable")]
    [InlineData(AccountingStandard.Ifrs, ChartTemplate.Standard, "1620", "Trade receivables")]
    public async Task Start_fresh_uses_the_standard_chart_of_the_chosen_accounting_standard(AccountingStandard standard, ChartTemplate chart, string number, string name)
    {
        var (owner, _) = await PartnerAsync();

        var result = await owner.Onboarding.CreateFromTemplatesAsync(new TemplateOnboarding("Charted", "US", standard, chart, TaxSystem.None));

        await using var client = ContextFor(result.OrganizationId);
        (await client.Set<Account>().SingleAsync(a => a.Number == number)).Name.Should().Be(name);
        (await client.Set<Account>().CountAsync()).Should().Be(ConfigurationTemplates.Chart(standard, chart).Count);
        (await client.Set<TaxCode>().CountAsync()).Should().Be(0);
    }

    [Fact]
    public async Task An_empty_chart_starts_with_no_accounts()
    {
        var (owner, _) = await PartnerAsync();

        var result = await owner.Onboarding.CreateFromTemplatesAsync(new TemplateOnboarding("Blank", "GB", AccountingStandard.Ifrs, ChartTemplate.Empty));

        await using var client = ContextFor(result.OrganizationId);
        (await client.Set<Account>().CountAsync()).Should().Be(0);
        (await client.Set<TaxCode>().CountAsync()).Should().Be(5);
    }

    [Fact]
    public async Task Eu_vat_for_a_country_outside_the_eu_is_refused_naming_the_field()
    {
        var (owner, _) = await PartnerAsync();

        var act = () => owner.Onboarding.CreateFromTemplatesAsync(new TemplateOnboarding("Wrong", "US", TaxSystem: TaxSystem.EuVat));

        (await act.Should().ThrowAsync<DomainException>()).Which.Field.Should().Be("countryCode");
    }

    [Fact]
    public async Task Only_partner_owners_and_admins_create_clients()
    {
        var (owner, partnerId) = await PartnerAsync();
        var staff = await world.CreateUserAsync("Sid");
        await owner.Members.AddByEmailAsync(staff.Email);
        await staff.Organizations.EnterAsync(partnerId);
        var standardOwner = await world.CreateUserAsync("Stan");
        await standardOwner.Organizations.CreateAsync("Just a company");

        var byMember = () => staff.Onboarding.CreateFromTemplatesAsync(new TemplateOnboarding("No", "US"));
        var byStandard = () => standardOwner.Onboarding.CreateFromTemplatesAsync(new TemplateOnboarding("No", "US"));

        (await byMember.Should().ThrowAsync<DomainException>()).Which.Kind.Should().Be(DomainErrorKind.Forbidden);
        (await byStandard.Should().ThrowAsync<DomainException>()).Which.Message.Should().Be("Only partner organizations can create client organizations.");
    }

    [Fact]
    public async Task Partner_staff_reach_every_client_with_their_role_and_are_not_listed_as_client_members()
    {
        var (owner, partnerId) = await PartnerAsync();
        var staff = await world.CreateUserAsync("Sid");
        await owner.Members.AddByEmailAsync(staff.Email);
        var first = await owner.Onboarding.CreateFromTemplatesAsync(new TemplateOnboarding("Zulu Client", "US"));
        var second = await owner.Onboarding.CreateFromTemplatesAsync(new TemplateOnboarding("Alpha Client", "DE"));

        var ownerList = await owner.Organizations.ListMineAsync();
        var staffList = await staff.Organizations.ListMineAsync();

        ownerList.Select(o => o.Name).Should().Equal("Brightside Accounting", "Alpha Client", "Zulu Client");
        ownerList.Skip(1).Should().OnlyContain(o => o.Role == OrganizationRole.Owner && o.ViaPartner, "the partner's OWNERs act as its clients' owners");
        staffList.Skip(1).Should().OnlyContain(o => o.Role == OrganizationRole.Member);
        (await staff.Organizations.EnterAsync(second.OrganizationId)).Role.Should().Be(OrganizationRole.Member);
        await owner.Organizations.EnterAsync(first.OrganizationId);
        (await owner.Members.ListAsync(new MultiOrg.Domain.Members.MemberQuery())).Total.Should().Be(0);
    }

    [Fact]
    public async Task A_clients_own_admin_sees_neither_the_partner_nor_its_other_clients()
    {
        var (owner, partnerId) = await PartnerAsync();
        var mine = await owner.Onboarding.CreateFromTemplatesAsync(new TemplateOnboarding("Mine Ltd", "GB"));
        var other = await owner.Onboarding.CreateFromTemplatesAsync(new TemplateOnboarding("Other Ltd", "GB"));
        var clientAdmin = await world.CreateUserAsync("Cleo");
        await owner.Organizations.EnterAsync(mine.OrganizationId);
        await owner.Members.AddByEmailAsync(clientAdmin.Email, OrganizationRole.Owner);

        var list = await clientAdmin.Organizations.ListMineAsync();
        var partner = () => clientAdmin.Organizations.EnterAsync(partnerId);
        var sibling = () => clientAdmin.Organizations.EnterAsync(other.OrganizationId);

        list.Select(o => o.Name).Should().Equal("Mine Ltd");
        (await partner.Should().ThrowAsync<DomainException>()).Which.Message.Should().Be("You don't have access to this organization");
        await sibling.Should().ThrowAsync<DomainException>();
    }

    [Fact]
    public async Task A_partners_admin_hands_a_client_over_to_its_first_owner_but_not_a_second()
    {
        var (owner, partnerId) = await PartnerAsync();
        var client = await owner.Onboarding.CreateFromTemplatesAsync(new TemplateOnboarding("Handover Co", "US"));
        var admin = await world.JoinAsync(owner, partnerId, "Ada", OrganizationRole.Admin);
        var first = await world.CreateUserAsync("First");
        var second = await world.CreateUserAsync("Second");
        var third = await world.CreateUserAsync("Third");
        await admin.Organizations.EnterAsync(client.OrganizationId);
        await owner.Organizations.EnterAsync(client.OrganizationId);

        (await admin.Members.AddByEmailAsync(first.Email, OrganizationRole.Owner)).Role.Should().Be(OrganizationRole.Owner);
        var again = () => admin.Members.AddByEmailAsync(second.Email, OrganizationRole.Owner);
        var byPartnerOwner = await owner.Members.AddByEmailAsync(third.Email, OrganizationRole.Owner);

        (await again.Should().ThrowAsync<DomainException>()).Which.Kind.Should().Be(DomainErrorKind.Forbidden);
        byPartnerOwner.Role.Should().Be(OrganizationRole.Owner, "the partner's OWNERs act as the client's owners");
    }

    [Fact]
    public async Task The_source_must_be_the_partner_or_one_of_its_own_clients()
    {
        var (owner, _) = await PartnerAsync();
        var (otherOwner, otherPartner) = await PartnerAsync("Rival Accounting");
        var foreignClient = await otherOwner.Onboarding.CreateFromTemplatesAsync(new TemplateOnboarding("Rival's client", "US"));

        var act = () => owner.Onboarding.CreateByCopyAsync(new CopyOnboarding("Stolen", foreignClient.OrganizationId, null));
        var fromPartner = () => owner.Onboarding.CreateByCopyAsync(new CopyOnboarding("Stolen", otherPartner, null));

        (await act.Should().ThrowAsync<DomainException>()).Which.Kind.Should().Be(DomainErrorKind.NotFound);
        (await fromPartner.Should().ThrowAsync<DomainException>()).Which.Kind.Should().Be(DomainErrorKind.NotFound);
    }

    [Fact]
    public async Task Copying_from_an_existing_client_works_like_copying_from_the_partner()
    {
        var (owner, _) = await PartnerAsync();
        var template = await owner.Onboarding.CreateFromTemplatesAsync(new TemplateOnboarding("Template Client", "DE", AccountingStandard.Ifrs));
        var entities = await owner.Onboarding.ListSourceEntitiesAsync(template.OrganizationId);

        var copy = await owner.Onboarding.CreateByCopyAsync(new CopyOnboarding("Copy of Template", template.OrganizationId, entities.Single().Id));

        await using var client = ContextFor(copy.OrganizationId);
        (await client.Set<Account>().CountAsync()).Should().Be(ConfigurationTemplates.IfrsChart.Count);
        (await client.Set<TaxCode>().SingleAsync(t => t.Code == "VAT-STD")).RatePercent.Should().Be(19m);
        (await client.Organizations.SingleAsync(o => o.Id == copy.OrganizationId)).CountryCode.Should().Be("DE");
    }
}
