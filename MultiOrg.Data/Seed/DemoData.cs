using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MultiOrg.Domain.Accounting;
using MultiOrg.Domain.Clients;
using MultiOrg.Domain.Notes;
using MultiOrg.Domain.Billing;
using MultiOrg.Domain.Organizations;
using MultiOrg.Domain.Tenancy;
using MultiOrg.Domain.Users;

namespace MultiOrg.Data.Seed;

/// <summary>
/// Demo organizations and logins for a first look (Development only by default). Idempotent: it does nothing
/// once its first login exists. The README lists these logins; keep the two in step.
/// </summary>
public static class DemoData
{
    public const string Password = "Demo#2026pass";

    public static readonly IReadOnlyList<(string Email, string Name)> Logins =
    [
        ("olivia.owner@demo.multiorg.test", "Olivia Owner"),
        ("adam.admin@demo.multiorg.test", "Adam Admin"),
        ("mia.member@demo.multiorg.test", "Mia Member"),
        ("sam.solo@demo.multiorg.test", "Sam Solo"),
        ("paula.partner@demo.multiorg.test", "Paula Partner"),
        ("ada.sysadmin@demo.multiorg.test", "Ada Sysadmin"),
        ("sid.support@demo.multiorg.test", "Sid Support"),
    ];

    public static async Task SeedAsync(IServiceProvider services, CancellationToken ct = default)
    {
        var users = services.GetRequiredService<UserManager<AppUser>>();
        if (await users.FindByEmailAsync(Logins[0].Email) is not null)
        {
            return;
        }

        var created = new List<AppUser>();
        foreach (var (email, name) in Logins)
        {
            var user = new AppUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = name };
            var result = await users.CreateAsync(user, Password);
            if (!result.Succeeded)
            {
                throw new InvalidOperationException($"Seeding {email} failed: {string.Join("; ", result.Errors.Select(e => e.Description))}");
            }

            created.Add(user);
        }

        var (olivia, adam, mia, sam, paula, ada) = (created[0], created[1], created[2], created[3], created[4], created[5]);
        ada.GlobalRole = GlobalRole.SystemAdmin;
        await users.UpdateAsync(ada);
        created[6].GlobalRole = GlobalRole.Support;
        await users.UpdateAsync(created[6]);
        var provider = services.GetRequiredService<MultiOrgDbProvider>();
        await using var db = provider.Create(new TenantContext());

        var acme = Organization("Acme Corp", (olivia, OrganizationRole.Owner), (adam, OrganizationRole.Admin), (mia, OrganizationRole.Member));
        var smith = Organization("Smith Family", (olivia, OrganizationRole.Owner), (mia, OrganizationRole.Admin));
        var side = Organization("Side Project LLC", (adam, OrganizationRole.Owner), (olivia, OrganizationRole.Member));
        var studio = Organization("Solo Studio", (sam, OrganizationRole.Owner));
        db.Organizations.AddRange(acme, smith, side, studio);
        await db.SaveChangesAsync(ct);

        await db.Users.Where(u => u.Id == olivia.Id || u.Id == mia.Id).ExecuteUpdateAsync(s => s.SetProperty(u => u.LastOrganizationId, acme.Id), ct);
        await db.Users.Where(u => u.Id == adam.Id).ExecuteUpdateAsync(s => s.SetProperty(u => u.LastOrganizationId, side.Id), ct);
        await db.Users.Where(u => u.Id == sam.Id).ExecuteUpdateAsync(s => s.SetProperty(u => u.LastOrganizationId, studio.Id), ct);

        await AddNoteAsync(provider, acme.Id, olivia.Id, "Quarter-end close starts on the 28th. Invoices before then, please.", ct);
        await AddNoteAsync(provider, smith.Id, olivia.Id, "Household budget review every first Sunday.", ct);
        var plans = services.GetRequiredService<PlanCatalog>();
        await SeedPartnerAsync(provider, plans, paula, ct);
        await SeedJoiningAsync(provider, acme, olivia, sam, ct);

        await SeedTeamsAsync(provider, acme, olivia, adam, mia, ct);
        await SeedProfilesAsync(provider, acme, side, olivia, adam, ct);

        // Acme pays for Team (10 seats); the others stay on the default plan.
        await SubscribeAsync(provider, plans, acme.Id, olivia.Id, "team", 10, used: 1_240, ct);
    }

    /// <summary>
    /// A subscription that began last month with its allowance and some usage, so the period close (which runs when the
    /// app starts) issues last month's statement from the ledger, as it will every month.
    /// </summary>
    private static async Task SubscribeAsync(MultiOrgDbProvider provider, PlanCatalog plans, Guid organizationId, string ownerId, string planCode, int seats, long used, CancellationToken ct)
    {
        var tenant = OwnerOf(organizationId, "", ownerId);
        await using var db = provider.Create(tenant);
        var plan = plans.For(planCode);
        var (start, end) = Subscription.PeriodOf(DateTime.UtcNow.AddMonths(-1));
        var subscription = await db.Set<Subscription>().SingleOrDefaultAsync(ct);
        if (subscription is null)
        {
            subscription = Subscription.Start(plan, start);
            db.Set<Subscription>().Add(subscription);
        }

        (subscription.PlanCode, subscription.Seats, subscription.PeriodPlanCode, subscription.PeriodSeats) = (plan.Code, seats, plan.Code, seats);
        (subscription.PeriodStart, subscription.PeriodEnd) = (start, end);
        db.Set<CreditEntry>().Add(new CreditEntry
        {
            Sequence = 1, Kind = CreditEntryKind.Grant, Amount = plan.MonthlyCredits, BalanceAfter = plan.MonthlyCredits,
            Reason = $"{plan.Name} monthly allowance", IdempotencyKey = $"allowance:{start:yyyy-MM}", OccurredAt = start,
        });
        var usage = new CreditEntry
        {
            Sequence = 2, Kind = CreditEntryKind.Usage, Amount = -used, BalanceAfter = plan.MonthlyCredits - used,
            Reason = $"{UsageKinds.ApiRequest}: Bookkeeping sync", UsageKind = UsageKinds.ApiRequest, UsageSource = "Bookkeeping sync",
            IdempotencyKey = "usage:demo", OccurredAt = start.AddDays(14),
        };
        db.Set<CreditEntry>().Add(usage);
        await UsageRollup.AddAsync(db, usage, ct);
        await db.SaveChangesAsync(ct);
    }

    /// <summary>
    /// Acme verified its domain and asks for approval: Sam has a request waiting, and one invitation is pending (its link
    /// was never sent; "Resend" mails a working one to the pickup folder).
    /// </summary>
    private static async Task SeedJoiningAsync(MultiOrgDbProvider provider, Organization acme, AppUser olivia, AppUser sam, CancellationToken ct)
    {
        var tenant = OwnerOf(acme.Id, acme.Name, olivia.Id);
        await using var db = provider.Create(tenant);
        await db.Organizations.Where(o => o.Id == acme.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(o => o.MembershipMode, Domain.Joining.MembershipMode.ApprovalRequired), ct);
        db.Set<Domain.Joining.VerifiedDomain>().Add(new Domain.Joining.VerifiedDomain
        {
            Domain = "demo.multiorg.test", VerifiedByUserId = olivia.Id, Method = "admin-email",
        });
        db.Set<Domain.Joining.JoinRequest>().Add(new Domain.Joining.JoinRequest { UserId = sam.Id, Email = sam.Email! });
        db.Set<Domain.Invitations.Invitation>().Add(new Domain.Invitations.Invitation
        {
            Email = "new.hire@example.com",
            NormalizedEmail = "NEW.HIRE@EXAMPLE.COM",
            Name = "Nora Newhire",
            TokenHash = Domain.Invitations.InvitationToken.New().Hash,
            ExpiresAt = DateTime.UtcNow.AddDays(7),
            SentAt = DateTime.UtcNow,
            InvitedByUserId = olivia.Id,
        });
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Acme's departments and teams: Mia leads the close team, Adam is the Operations department's admin.</summary>
    private static async Task SeedTeamsAsync(MultiOrgDbProvider provider, Organization acme, AppUser olivia, AppUser adam, AppUser mia, CancellationToken ct)
    {
        await using var db = provider.Create(OwnerOf(acme.Id, acme.Name, olivia.Id));
        var finance = new Domain.Teams.Department { Name = "Finance" };
        var payables = new Domain.Teams.Department { Name = "Accounts payable", ParentDepartmentId = finance.Id };
        var operations = new Domain.Teams.Department { Name = "Operations" };
        var close = new Domain.Teams.Team { Name = "Month-end close", DepartmentId = finance.Id };
        var invoices = new Domain.Teams.Team { Name = "Supplier invoices", DepartmentId = payables.Id };
        var facilities = new Domain.Teams.Team { Name = "Facilities", DepartmentId = operations.Id };
        var leadership = new Domain.Teams.Team { Name = "Leadership" };
        db.Set<Domain.Teams.Department>().AddRange(finance, payables, operations);
        db.Set<Domain.Teams.Team>().AddRange(close, invoices, facilities, leadership);
        db.Set<Domain.Teams.TeamMember>().AddRange(
            new Domain.Teams.TeamMember { TeamId = close.Id, UserId = mia.Id, IsLeader = true },
            new Domain.Teams.TeamMember { TeamId = close.Id, UserId = adam.Id },
            new Domain.Teams.TeamMember { TeamId = invoices.Id, UserId = mia.Id },
            new Domain.Teams.TeamMember { TeamId = leadership.Id, UserId = olivia.Id, IsLeader = true },
            new Domain.Teams.TeamMember { TeamId = leadership.Id, UserId = adam.Id });
        db.Set<Domain.Teams.DepartmentAdmin>().Add(new Domain.Teams.DepartmentAdmin { DepartmentId = operations.Id, UserId = adam.Id });
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Acme's profile; Side Project is public (listed in the directory, approval required) in its own colour.</summary>
    private static async Task SeedProfilesAsync(MultiOrgDbProvider provider, Organization acme, Organization side, AppUser olivia, AppUser adam, CancellationToken ct)
    {
        await using (var db = provider.Create(OwnerOf(acme.Id, acme.Name, olivia.Id)))
        {
            var organization = await db.Organizations.SingleAsync(o => o.Id == acme.Id, ct);
            organization.Description = "Anvils, rockets and other fine products since 1949.";
            organization.Type = OrganizationType.Company;
            organization.Website = "https://acme.example/";
            (organization.ContactName, organization.ContactEmail, organization.ContactPhone) = ("Olivia Owner", "hello@acme.example", "+1 555 0100");
            (organization.BillingContactName, organization.BillingContactEmail) = ("Accounts payable", "billing@acme.example");
            await db.SaveChangesAsync(ct);
        }

        await using (var db = provider.Create(OwnerOf(side.Id, side.Name, adam.Id)))
        {
            var organization = await db.Organizations.SingleAsync(o => o.Id == side.Id, ct);
            organization.Description = "A weekend project building tools for small bookkeepers. Contributors welcome.";
            organization.Type = OrganizationType.Community;
            organization.Visibility = OrganizationVisibility.Public;
            organization.MembershipMode = Domain.Joining.MembershipMode.ApprovalRequired;
            db.Set<Domain.Branding.OrganizationBranding>().Add(new Domain.Branding.OrganizationBranding { PrimaryColor = "#b45309" });
            await db.SaveChangesAsync(ct);
        }
    }

    /// <summary>An accounting firm with a configured chart, an entity to copy from, and two clients.</summary>
    private static async Task SeedPartnerAsync(MultiOrgDbProvider provider, PlanCatalog plans, AppUser paula, CancellationToken ct)
    {
        var partner = new Organization { Name = "Brightside Accounting", Kind = OrganizationKind.Partner, CountryCode = "US" };
        partner.Members.Add(OrganizationMember.For(paula, partner.Id, OrganizationRole.Owner));
        await using (var db = provider.Create(new TenantContext()))
        {
            db.Organizations.Add(partner);
            await db.SaveChangesAsync(ct);
            await db.Users.Where(u => u.Id == paula.Id).ExecuteUpdateAsync(s => s.SetProperty(u => u.LastOrganizationId, partner.Id), ct);
        }

        await SubscribeAsync(provider, plans, partner.Id, paula.Id, "partner", 25, used: 8_400, ct);

        var tenant = OwnerOf(partner.Id, partner.Name, paula.Id);
        await using (var db = provider.Create(tenant))
        {
            var accounts = new Dictionary<string, Account>();
            foreach (var template in ConfigurationTemplates.UsGaapChart)
            {
                var account = new Account { Number = template.Number, Name = template.Name, Type = template.Type };
                accounts[template.Number] = account;
                db.Set<Account>().Add(account);
            }

            foreach (var template in ConfigurationTemplates.UsGaapChart.Where(t => t.Parent is not null))
            {
                accounts[template.Number].ParentAccountId = accounts[template.Parent!].Id;
            }

            foreach (var authority in ConfigurationTemplates.Taxes(TaxSystem.UsSalesTax, Countries.Find("US")))
            {
                var row = new TaxAuthority { Name = authority.Name, CountryCode = authority.CountryCode, Region = authority.Region };
                db.Set<TaxAuthority>().Add(row);
                db.Set<TaxCode>().AddRange(authority.Codes.Select(c => new TaxCode { Code = c.Code, Name = c.Name, RatePercent = c.RatePercent, Direction = c.Direction, TaxAuthorityId = row.Id }));
            }

            db.Set<PaymentTerm>().AddRange(ConfigurationTemplates.PaymentTerms.Select(t => new PaymentTerm { Code = t.Code, Name = t.Name, DueDays = t.DueDays, DiscountPercent = t.DiscountPercent, DiscountDays = t.DiscountDays }));
            db.Set<Jurisdiction>().Add(new Jurisdiction { Code = "US", Name = "United States (federal payroll)", Kind = JurisdictionKind.Payroll, CountryCode = "US" });
            db.Set<AgentConfiguration>().Add(new AgentConfiguration { AgentKey = "ap-clerk", Name = "Accounts payable clerk", SettingsJson = "{\"approvalLimit\": 5000}", WorkflowJson = "{\"steps\": [\"match\", \"code\", \"route\"]}" });
            db.Set<AgentConfiguration>().Add(new AgentConfiguration { AgentKey = "close-assistant", Name = "Month-end close assistant", SettingsJson = "{\"day\": 3}" });
            db.Set<SkillFile>().Add(new SkillFile { Path = "skills/vendor-bills.md", Content = "# Vendor bills\nMatch every bill to a purchase order before approval." });
            db.Set<SkillSetting>().Add(new SkillSetting { SkillName = "vendor-bills", Key = "tone", Value = "brief" });
            db.Set<NumberSeries>().AddRange(ConfigurationTemplates.NumberSeries.Select(n => new NumberSeries { Code = n.Code, Prefix = "BS-" + n.Prefix, NextNumber = 1042 }));
            db.Set<Dimension>().Add(new Dimension { Code = "ADV", Name = "Advisory practice" });

            var entity = new LegalEntity { Code = "BS-US", Name = "Brightside Accounting LLC", CountryCode = "US", CurrencyCode = "USD" };
            db.Set<LegalEntity>().Add(entity);
            db.Set<PostingProfile>().Add(new PostingProfile { LegalEntityId = entity.Id, Name = "Customer invoice", DebitAccountId = accounts["1100"].Id, CreditAccountId = accounts["4020"].Id });
            db.Set<PostingProfile>().Add(new PostingProfile { LegalEntityId = entity.Id, Name = "Vendor bill", DebitAccountId = accounts["6600"].Id, CreditAccountId = accounts["2010"].Id });
            db.Set<TransactionTypeProfile>().Add(new TransactionTypeProfile { LegalEntityId = entity.Id, Name = "Invoice", TransactionType = "AR" });
            db.Set<TransactionTypeProfile>().Add(new TransactionTypeProfile { LegalEntityId = entity.Id, Name = "Bill", TransactionType = "AP" });
            var workflow = new WorkflowDefinition { LegalEntityId = entity.Id, Name = "Bill approval" };
            db.Set<WorkflowDefinition>().Add(workflow);
            var review = new WorkflowStep { WorkflowDefinitionId = workflow.Id, Sequence = 1, Name = "Bookkeeper review" };
            var approve = new WorkflowStep { WorkflowDefinitionId = workflow.Id, Sequence = 2, Name = "Partner approval", ParentStepId = review.Id };
            db.Set<WorkflowStep>().AddRange(review, approve);
            db.Set<WorkflowCondition>().Add(new WorkflowCondition { WorkflowStepId = approve.Id, Field = "amount", Operator = ">", Value = "5000" });
            await db.SaveChangesAsync(ct);
        }

        var onboarding = new ClientOnboardingService(new MultiOrgDbFactory(provider, tenant, TimeProvider.System), tenant, plans, TimeProvider.System);

        // Greenfield's statements go to Brightside (consolidated billing); Hofmann pays its own.
        var greenfield = await onboarding.CreateFromTemplatesAsync(new TemplateOnboarding("Greenfield Bakery", "US", BillToPartner: true), ct);
        await SubscribeAsync(provider, plans, greenfield.OrganizationId, paula.Id, "team", 10, used: 610, ct);
        await onboarding.CreateFromTemplatesAsync(new TemplateOnboarding("Hofmann Maschinenbau GmbH", "DE", AccountingStandard.Ifrs), ct);
    }

    private static Organization Organization(string name, params (AppUser User, OrganizationRole Role)[] members)
    {
        var organization = new Organization { Name = name };
        foreach (var (user, role) in members)
        {
            organization.Members.Add(OrganizationMember.For(user, organization.Id, role));
        }

        return organization;
    }

    private static async Task AddNoteAsync(MultiOrgDbProvider provider, Guid organizationId, string authorId, string text, CancellationToken ct)
    {
        var tenant = OwnerOf(organizationId, "", authorId);
        await using var db = provider.Create(tenant);
        db.OrganizationNotes.Add(new OrganizationNote { Text = text, AuthorUserId = authorId });
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Tenant-owned rows are written under their own tenant, as everywhere else: here as the organization's owner.</summary>
    private static TenantContext OwnerOf(Guid organizationId, string organizationName, string ownerId) =>
        new TenantContext().ActingIn(ownerId, organizationId, organizationName, OrganizationRole.Owner);
}
