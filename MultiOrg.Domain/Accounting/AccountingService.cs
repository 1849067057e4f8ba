using Microsoft.EntityFrameworkCore;
using MultiOrg.Domain.Errors;
using MultiOrg.Domain.Permissions;
using MultiOrg.Domain.Tenancy;

namespace MultiOrg.Domain.Accounting;

public sealed record AccountView(Guid Id, string Number, string Name, AccountType Type, string? ParentNumber);

public sealed record TaxCodeView(Guid Id, string Code, string Name, decimal RatePercent, TaxDirection Direction, string? AuthorityName);

public sealed record EntityView(Guid Id, string Code, string Name, string CountryCode, string CurrencyCode, int PostingProfiles, int TransactionTypes, int Workflows);

/// <summary>Counts and read-only lists of the rest of an organization's configuration.</summary>
public sealed record ConfigurationOverview(
    IReadOnlyList<PaymentTerm> PaymentTerms,
    IReadOnlyList<TaxAuthority> TaxAuthorities,
    IReadOnlyList<Jurisdiction> Jurisdictions,
    IReadOnlyList<AgentConfiguration> Agents,
    IReadOnlyList<SkillFile> SkillFiles,
    IReadOnlyList<SkillSetting> SkillSettings,
    IReadOnlyList<NumberSeries> NumberSeries,
    IReadOnlyList<Dimension> Dimensions);

/// <summary>The current organization's accounting configuration: every member reads it, owners and admins change it.</summary>
public sealed class AccountingService(IMultiOrgDbFactory dbFactory, TenantContext tenant)
{
    public async Task<IReadOnlyList<AccountView>> ListAccountsAsync(CancellationToken ct = default)
    {
        await using var db = dbFactory.Create();
        await db.RequireAsync(tenant, Permission.UseOrganizationData, ct);
        var accounts = db.Set<Account>().AsNoTracking();
        return await accounts.OrderBy(a => a.Number)
            .Select(a => new AccountView(a.Id, a.Number, a.Name, a.Type, accounts.Where(p => p.Id == a.ParentAccountId).Select(p => p.Number).FirstOrDefault()))
            .ToListAsync(ct);
    }

    public async Task<AccountView> AddAccountAsync(string? number, string? name, AccountType type, string? parentNumber = null, CancellationToken ct = default)
    {
        var cleanNumber = Required(number, "number", "Account number", Account.NumberMaxLength);
        var cleanName = Required(name, "name", "Account name", Account.NameMaxLength);
        if (!Enum.IsDefined(type))
        {
            throw DomainException.Invalid("type", "Type must be Asset, Liability, Equity, Revenue or Expense.");
        }

        await using var db = dbFactory.Create();
        await db.RequireAsync(tenant, Permission.EditConfiguration, ct);
        if (await db.Set<Account>().AnyAsync(a => a.Number == cleanNumber, ct))
        {
            throw new DomainException(DomainErrorKind.Conflict, $"Account {cleanNumber} already exists.", "number");
        }

        Guid? parentId = null;
        var cleanParent = string.IsNullOrWhiteSpace(parentNumber) ? null : parentNumber.Trim();
        if (cleanParent is not null)
        {
            parentId = await db.Set<Account>().Where(a => a.Number == cleanParent).Select(a => (Guid?)a.Id).SingleOrDefaultAsync(ct)
                ?? throw DomainException.Invalid("parentNumber", $"Parent account {cleanParent} does not exist.");
        }

        var account = new Account { Number = cleanNumber, Name = cleanName, Type = type, ParentAccountId = parentId };
        db.Set<Account>().Add(account);
        await db.SaveChangesAsync(ct);
        return new AccountView(account.Id, account.Number, account.Name, account.Type, cleanParent);
    }

    public async Task<AccountView> UpdateAccountAsync(Guid accountId, string? name, AccountType type, CancellationToken ct = default)
    {
        var cleanName = Required(name, "name", "Account name", Account.NameMaxLength);
        await using var db = dbFactory.Create();
        await db.RequireAsync(tenant, Permission.EditConfiguration, ct);
        var account = await db.Set<Account>().SingleOrDefaultAsync(a => a.Id == accountId, ct)
            ?? throw new DomainException(DomainErrorKind.NotFound, "Account not found.");
        account.Name = cleanName;
        account.Type = type;
        await db.SaveChangesAsync(ct);
        var parent = await db.Set<Account>().Where(a => a.Id == account.ParentAccountId).Select(a => a.Number).FirstOrDefaultAsync(ct);
        return new AccountView(account.Id, account.Number, account.Name, account.Type, parent);
    }

    public async Task DeleteAccountAsync(Guid accountId, CancellationToken ct = default)
    {
        await using var db = dbFactory.Create();
        await db.RequireAsync(tenant, Permission.EditConfiguration, ct);
        var account = await db.Set<Account>().SingleOrDefaultAsync(a => a.Id == accountId, ct)
            ?? throw new DomainException(DomainErrorKind.NotFound, "Account not found.");
        if (await db.Set<Account>().AnyAsync(a => a.ParentAccountId == accountId, ct))
        {
            throw new DomainException(DomainErrorKind.Conflict, $"Account {account.Number} has sub-accounts; delete or move them first.");
        }

        if (await db.Set<PostingProfile>().AnyAsync(p => p.DebitAccountId == accountId || p.CreditAccountId == accountId, ct))
        {
            throw new DomainException(DomainErrorKind.Conflict, $"Account {account.Number} is used by a posting profile.");
        }

        db.Set<Account>().Remove(account);
        await db.SaveChangesAsync(ct);
    }

    public async Task<IReadOnlyList<TaxCodeView>> ListTaxCodesAsync(CancellationToken ct = default)
    {
        await using var db = dbFactory.Create();
        await db.RequireAsync(tenant, Permission.UseOrganizationData, ct);
        var authorities = db.Set<TaxAuthority>();
        return await db.Set<TaxCode>().AsNoTracking().OrderBy(t => t.Code)
            .Select(t => new TaxCodeView(t.Id, t.Code, t.Name, t.RatePercent, t.Direction,
                authorities.Where(a => a.Id == t.TaxAuthorityId).Select(a => a.Name).FirstOrDefault()))
            .ToListAsync(ct);
    }

    public async Task<TaxCodeView> SaveTaxCodeAsync(Guid? taxCodeId, string? code, string? name, decimal ratePercent, TaxDirection direction, CancellationToken ct = default)
    {
        var cleanCode = Required(code, "code", "Tax code", TaxCode.CodeMaxLength);
        var cleanName = Required(name, "name", "Tax code name", 200);
        if (ratePercent is < 0 or > 100)
        {
            throw DomainException.Invalid("ratePercent", "Rate must be between 0 and 100 percent.");
        }

        await using var db = dbFactory.Create();
        await db.RequireAsync(tenant, Permission.EditConfiguration, ct);
        if (await db.Set<TaxCode>().AnyAsync(t => t.Code == cleanCode && t.Id != taxCodeId, ct))
        {
            throw new DomainException(DomainErrorKind.Conflict, $"Tax code {cleanCode} already exists.", "code");
        }

        TaxCode taxCode;
        if (taxCodeId is { } id)
        {
            taxCode = await db.Set<TaxCode>().SingleOrDefaultAsync(t => t.Id == id, ct)
                ?? throw new DomainException(DomainErrorKind.NotFound, "Tax code not found.");
            taxCode.Code = cleanCode;
            taxCode.Name = cleanName;
        }
        else
        {
            taxCode = new TaxCode { Code = cleanCode, Name = cleanName };
            db.Set<TaxCode>().Add(taxCode);
        }

        taxCode.RatePercent = ratePercent;
        taxCode.Direction = direction;
        await db.SaveChangesAsync(ct);
        return new TaxCodeView(taxCode.Id, taxCode.Code, taxCode.Name, taxCode.RatePercent, taxCode.Direction, null);
    }

    public async Task<IReadOnlyList<EntityView>> ListEntitiesAsync(CancellationToken ct = default)
    {
        await using var db = dbFactory.Create();
        await db.RequireAsync(tenant, Permission.UseOrganizationData, ct);
        return await db.Set<LegalEntity>().AsNoTracking().OrderBy(e => e.Code)
            .Select(e => new EntityView(e.Id, e.Code, e.Name, e.CountryCode, e.CurrencyCode,
                db.Set<PostingProfile>().Count(p => p.LegalEntityId == e.Id),
                db.Set<TransactionTypeProfile>().Count(p => p.LegalEntityId == e.Id),
                db.Set<WorkflowDefinition>().Count(w => w.LegalEntityId == e.Id)))
            .ToListAsync(ct);
    }

    public async Task<EntityView> AddEntityAsync(string? code, string? name, string? countryCode, string? currencyCode, CancellationToken ct = default)
    {
        var cleanCode = Required(code, "code", "Entity code", 20);
        var cleanName = Required(name, "name", "Entity name", 200);
        var country = Clients.Countries.Find(countryCode)
            ?? throw DomainException.Invalid("countryCode", "Country must be one of the supported countries.");
        var currency = string.IsNullOrWhiteSpace(currencyCode) ? country.CurrencyCode : currencyCode.Trim().ToUpperInvariant();
        if (currency.Length != 3 || !currency.All(char.IsAsciiLetterUpper))
        {
            throw DomainException.Invalid("currencyCode", "Currency must be a three-letter ISO code such as EUR.");
        }

        await using var db = dbFactory.Create();
        await db.RequireAsync(tenant, Permission.EditConfiguration, ct);
        if (await db.Set<LegalEntity>().AnyAsync(e => e.Code == cleanCode, ct))
        {
            throw new DomainException(DomainErrorKind.Conflict, $"Entity {cleanCode} already exists.", "code");
        }

        var entity = new LegalEntity { Code = cleanCode, Name = cleanName, CountryCode = country.Code, CurrencyCode = currency };
        db.Set<LegalEntity>().Add(entity);
        await db.SaveChangesAsync(ct);
        return new EntityView(entity.Id, entity.Code, entity.Name, entity.CountryCode, entity.CurrencyCode, 0, 0, 0);
    }

    public async Task<ConfigurationOverview> GetOverviewAsync(CancellationToken ct = default)
    {
        await using var db = dbFactory.Create();
        await db.RequireAsync(tenant, Permission.UseOrganizationData, ct);
        return new ConfigurationOverview(
            await db.Set<PaymentTerm>().AsNoTracking().OrderBy(x => x.DueDays).ToListAsync(ct),
            await db.Set<TaxAuthority>().AsNoTracking().OrderBy(x => x.Name).ToListAsync(ct),
            await db.Set<Jurisdiction>().AsNoTracking().OrderBy(x => x.Code).ToListAsync(ct),
            await db.Set<AgentConfiguration>().AsNoTracking().OrderBy(x => x.Name).ToListAsync(ct),
            await db.Set<SkillFile>().AsNoTracking().OrderBy(x => x.Path).ToListAsync(ct),
            await db.Set<SkillSetting>().AsNoTracking().OrderBy(x => x.SkillName).ToListAsync(ct),
            await db.Set<NumberSeries>().AsNoTracking().OrderBy(x => x.Code).ToListAsync(ct),
            await db.Set<Dimension>().AsNoTracking().OrderBy(x => x.Code).ToListAsync(ct));
    }

    private static string Required(string? value, string field, string label, int maxLength)
    {
        var trimmed = value?.Trim() ?? "";
        if (trimmed.Length == 0)
        {
            throw DomainException.Invalid(field, $"{label} is required.");
        }

        return trimmed.Length <= maxLength
            ? trimmed
            : throw DomainException.Invalid(field, $"{label} must be at most {maxLength} characters.");
    }
}
