using Microsoft.EntityFrameworkCore;
using MultiOrg.Domain.Accounting;
using MultiOrg.Domain.Errors;
using MultiOrg.Domain.Organizations;
using MultiOrg.Domain.Permissions;
using MultiOrg.Domain.Tenancy;

namespace MultiOrg.Domain.Clients;

/// <summary>The steps of onboarding, in order; layers 1 and 2 commit together, layer 3 on its own.</summary>
public enum OnboardingLayer
{
    BaseStructureAndConfiguration,
    EntityConfiguration,
}

public sealed record ClientView(Guid Id, string Name, string? CountryCode, int MemberCount, DateTime CreatedAt);

public sealed record EntityOption(Guid Id, Guid OrganizationId, string OrganizationName, string Code, string Name);

/// <summary>
/// Creates client organizations for a partner, by copying a source organization's configuration (three layers) or
/// from country templates. Reads happen under the source's tenant and writes under the new client's tenant, so the
/// copy cannot touch any other organization.
/// </summary>
public sealed partial class ClientOnboardingService(IMultiOrgDbFactory dbFactory, TenantContext tenant, Billing.PlanCatalog plans, TimeProvider time)
{
    /// <summary>Test seam: runs just before a layer commits; throwing from it simulates a failure of that layer.</summary>
    internal Func<OnboardingLayer, Task>? BeforeCommit { get; set; }

    public async Task<IReadOnlyList<ClientView>> ListClientsAsync(string? search = null, CancellationToken ct = default)
    {
        await using var db = dbFactory.Create();
        var me = await db.RequireAsync(tenant, Permission.ViewOrganization, ct);
        var clients = db.Organizations.AsNoTracking().Where(o => o.PartnerOrganizationId == me.OrganizationId);
        if (!string.IsNullOrWhiteSpace(search))
        {
            var upper = search.Trim().ToUpperInvariant();
            clients = clients.Where(o => o.Name.ToUpper().Contains(upper));
        }

        var rows = await clients
            .Select(o => new ClientView(o.Id, o.Name, o.CountryCode, o.Members.Count, o.CreatedAt))
            .ToListAsync(ct);
        return [.. rows.OrderBy(c => c.Name, StringComparer.CurrentCultureIgnoreCase)];
    }

    /// <summary>Entities the partner may copy from: its own and its clients' (each read under its own tenant).</summary>
    public async Task<IReadOnlyList<EntityOption>> ListSourceEntitiesAsync(Guid sourceOrganizationId, CancellationToken ct = default)
    {
        var partner = await RequirePartnerAsync(Permission.CreateClients, ct);
        var source = await ResolveSourceAsync(partner, sourceOrganizationId, ct);
        await using var db = dbFactory.CreateFor(TenantFor(source.Id, source.Name));
        return await db.Set<LegalEntity>().AsNoTracking().OrderBy(e => e.Code)
            .Select(e => new EntityOption(e.Id, source.Id, source.Name, e.Code, e.Name))
            .ToListAsync(ct);
    }

    public async Task<OnboardingResult> CreateFromTemplatesAsync(TemplateOnboarding request, CancellationToken ct = default)
    {
        var name = OrganizationName.Normalize(request.Name);
        var country = Countries.Find(request.CountryCode)
            ?? throw DomainException.Invalid("countryCode", string.IsNullOrWhiteSpace(request.CountryCode)
                ? "Country is required."
                : $"Country '{request.CountryCode}' is not one of the supported countries.");
        var taxSystem = TaxSystems.Resolve(request.TaxSystem, country.Code);
        var taxes = ConfigurationTemplates.Taxes(taxSystem, country);
        var chart = ConfigurationTemplates.Chart(request.Standard, request.Chart);
        var partner = await RequirePartnerAsync(Permission.CreateClients, ct);

        var copied = new Dictionary<string, int>();
        var (clientId, apiKey) = await WriteBaseAndConfigurationAsync(partner, name, country.Code, OnboardingRecord.TemplatePath, null, copied, db =>
        {
            AddAccounts(db, chart.Select(a => (a.Number, a.Name, a.Type, a.Parent)), copied);
            var authorities = 0;
            var codes = 0;
            foreach (var authority in taxes)
            {
                var row = new TaxAuthority { Name = authority.Name, CountryCode = authority.CountryCode, Region = authority.Region };
                db.Set<TaxAuthority>().Add(row);
                authorities++;
                foreach (var code in authority.Codes)
                {
                    db.Set<TaxCode>().Add(new TaxCode { Code = code.Code, Name = code.Name, RatePercent = code.RatePercent, Direction = code.Direction, TaxAuthorityId = row.Id });
                    codes++;
                }
            }

            foreach (var term in ConfigurationTemplates.PaymentTerms)
            {
                db.Set<PaymentTerm>().Add(new PaymentTerm { Code = term.Code, Name = term.Name, DueDays = term.DueDays, DiscountPercent = term.DiscountPercent, DiscountDays = term.DiscountDays });
            }

            db.Set<Jurisdiction>().Add(new Jurisdiction { Code = country.Code, Name = $"{country.Name} (tax)", Kind = JurisdictionKind.Tax, CountryCode = country.Code });
            db.Set<Jurisdiction>().Add(new Jurisdiction { Code = country.Code, Name = $"{country.Name} (payroll)", Kind = JurisdictionKind.Payroll, CountryCode = country.Code });
            db.Set<LegalEntity>().Add(new LegalEntity { Code = "MAIN", Name = name.Length > 200 ? name[..200] : name, CountryCode = country.Code, CurrencyCode = country.CurrencyCode });
            copied["taxAuthorities"] = authorities;
            copied["taxCodes"] = codes;
            copied["paymentTerms"] = ConfigurationTemplates.PaymentTerms.Count;
            copied["jurisdictions"] = 2;
            copied["legalEntities"] = 1;
        }, request.BillToPartner, ct);

        return new OnboardingResult(clientId, name, copied, [], apiKey);
    }

    public async Task<OnboardingResult> CreateByCopyAsync(CopyOnboarding request, CancellationToken ct = default)
    {
        var name = OrganizationName.Normalize(request.Name);
        var partner = await RequirePartnerAsync(Permission.CreateClients, ct);
        var source = await ResolveSourceAsync(partner, request.SourceOrganizationId, ct);
        // No country: the copied organization's. A country given must be one of the supported ones, as on the template path.
        var countryCode = string.IsNullOrWhiteSpace(request.CountryCode) ? source.CountryCode
            : Countries.Find(request.CountryCode)?.Code ?? throw DomainException.Invalid("countryCode", $"Country '{request.CountryCode}' is not one of the supported countries.");
        var snapshot = await ReadSourceAsync(source, request.SourceEntityId, ct);

        var copied = new Dictionary<string, int>();
        var (clientId, apiKey) = await WriteBaseAndConfigurationAsync(
            partner, name, countryCode, OnboardingRecord.CopyPath, snapshot.Entity?.Code, copied, db => CopyConfiguration(db, snapshot, copied), request.BillToPartner, ct);

        var warnings = new List<string>();
        if (snapshot.Entity is not null)
        {
            try
            {
                await CopyEntityAsync(clientId, name, snapshot, copied, ct);
            }
            catch (Exception error) when (error is not OperationCanceledException)
            {
                warnings.Add($"The organization was created, but the settings of entity {snapshot.Entity.Code} ({snapshot.Entity.Name}) were not copied: " +
                    $"{error.Message} Posting profiles, transaction types and workflows must be set up by hand.");
                foreach (var key in new[] { "legalEntities", "postingProfiles", "transactionTypeProfiles", "workflowDefinitions", "workflowSteps", "workflowConditions" })
                {
                    copied.Remove(key);
                }
            }
        }

        return new OnboardingResult(clientId, name, copied, warnings, apiKey);
    }

    private async Task<Organization> RequirePartnerAsync(Permission permission, CancellationToken ct)
    {
        await using var db = dbFactory.Create();
        var me = await db.RequireAsync(tenant, permission, ct);
        var organization = await db.Organizations.AsNoTracking().SingleAsync(o => o.Id == me.OrganizationId, ct);
        if (organization.Kind != OrganizationKind.Partner)
        {
            throw new DomainException(DomainErrorKind.Forbidden, "Only partner organizations can create client organizations.");
        }

        if (permission == Permission.CreateClients)
        {
            await FeatureSwitches.FeatureService.EnsureAvailableAsync(db, plans, organization.Id, FeatureSwitches.Feature.ClientOrganizations, ct);
        }

        return organization;
    }

    /// <summary>The source is the partner itself or one of its own clients; anything else is refused as if it did not exist.</summary>
    private async Task<Organization> ResolveSourceAsync(Organization partner, Guid sourceOrganizationId, CancellationToken ct)
    {
        if (sourceOrganizationId == partner.Id)
        {
            return partner;
        }

        await using var db = dbFactory.Create();
        return await db.Organizations.AsNoTracking()
            .SingleOrDefaultAsync(o => o.Id == sourceOrganizationId && o.PartnerOrganizationId == partner.Id, ct)
            ?? throw new DomainException(DomainErrorKind.NotFound, "The source must be this partner or one of its client organizations.", "sourceOrganizationId");
    }

    // Through the shared helper the client's audit entries now also carry the caller's address, as every other write does.
    private TenantContext TenantFor(Guid organizationId, string name) =>
        tenant.ActingIn(tenant.RequireUser(), organizationId, name, OrganizationRole.Admin);

    /// <summary>Layers 1 and 2 in one transaction: if anything fails, nothing of the new organization remains.</summary>
    private async Task<(Guid ClientId, string ApiKey)> WriteBaseAndConfigurationAsync(
        Organization partner, string name, string? countryCode, string path, string? entityCode, Dictionary<string, int> copied,
        Action<IMultiOrgDb> configure, bool billToPartner, CancellationToken ct)
    {
        var client = new Organization { Name = name, Kind = OrganizationKind.Standard, PartnerOrganizationId = partner.Id, CountryCode = countryCode };
        await using var db = dbFactory.CreateFor(TenantFor(client.Id, name));
        var apiKey = await db.WriteAsync(
            async ct =>
            {
                db.Organizations.Add(client);

                // Layer 1: the base structure every organization gets fresh (document sequences are never copied).
                foreach (var (code, prefix) in ConfigurationTemplates.NumberSeries)
                {
                    db.Set<NumberSeries>().Add(new NumberSeries { Code = code, Prefix = prefix });
                }

                copied["numberSeries"] = ConfigurationTemplates.NumberSeries.Count;

                // Billing from day one: the default plan, and the partner's choice of who pays the client's statements.
                db.Set<Billing.Subscription>().Add(Billing.Subscription.Start(plans.Default, time.GetUtcNow().UtcDateTime, billToPartner));

                // Its own new API key, never a copy of the partner's.
                var (apiKey, keyRow) = ApiKeys.ApiKeyService.NewKey("Onboarding key", OrganizationRole.Admin, tenant.RequireUser(), null);
                keyRow.CreatedAt = time.GetUtcNow().UtcDateTime;
                db.Set<ApiKeys.ApiKey>().Add(keyRow);

                // Layer 2: organization-level configuration.
                configure(db);
                // The path and the entity asked for are what the partner dashboard reads back as the onboarding status: layer 3
                // asked for and no client.entity_copied entry after it means the entity layer failed.
                db.AuditAs(OnboardingRecord.OnboardedAction, nameof(Organization), client.Id.ToString(),
                    new { partner = partner.Id, partnerName = partner.Name, path, entity = entityCode, copied });
                await db.SaveChangesAsync(ct);
                if (BeforeCommit is not null)
                {
                    await BeforeCommit(OnboardingLayer.BaseStructureAndConfiguration);
                }

                return apiKey;
            },
            ct);
        return (client.Id, apiKey);
    }

    private static void AddAccounts(IMultiOrgDb db, IEnumerable<(string Number, string Name, AccountType Type, string? ParentNumber)> accounts, Dictionary<string, int> copied)
    {
        var byNumber = new Dictionary<string, Account>();
        var list = accounts.ToList();
        foreach (var (number, accountName, type, _) in list)
        {
            var account = new Account { Number = number, Name = accountName, Type = type };
            byNumber[number] = account;
            db.Set<Account>().Add(account);
        }

        foreach (var (number, _, _, parent) in list)
        {
            if (parent is not null && byNumber.TryGetValue(parent, out var parentAccount))
            {
                byNumber[number].ParentAccountId = parentAccount.Id;
            }
        }

        copied["accounts"] = list.Count;
    }
}
