using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using MultiOrg.Domain.Accounting;
using MultiOrg.Domain.Errors;
using MultiOrg.Domain.Organizations;
using MultiOrg.Domain.Permissions;
using MultiOrg.Domain.Tenancy;

namespace MultiOrg.Domain.Clients;

/// <summary>
/// The one audited cross-tenant reader for partners: counts, onboarding status, activity and configuration of the
/// acting partner's own client organizations (<c>PartnerOrganizationId</c> = the partner), never anyone else's. Every
/// read groups by organization in one query per table, so 1,500 clients cost the same number of queries as one.
/// Partner OWNERs and ADMINs only.
/// </summary>
public sealed class PartnerAggregationService(IMultiOrgDbFactory dbFactory, TenantContext tenant, TimeProvider time, Billing.PlanCatalog plans)
{
    public const int MaxPageSize = 100;

    public async Task<PartnerDashboard> GetDashboardAsync(PartnerDashboardQuery query, CancellationToken ct = default)
    {
        Paging.Require(query.Page, query.PageSize, MaxPageSize);

        if (!Enum.IsDefined(query.Sort))
        {
            throw DomainException.Invalid("sort", "Sort must be one of: " + string.Join(", ", Enum.GetNames<ClientSort>()) + ".");
        }

        await using var db = dbFactory.Create();
        var partnerId = await RequirePartnerAsync(db, ct);
        var clients = ClientIds(db, partnerId, null);

        var directory = await db.Organizations.AsNoTracking().Where(o => o.PartnerOrganizationId == partnerId)
            .Select(o => new { o.Id, o.Name, o.CountryCode, Members = o.Members.Count })
            .ToListAsync(ct);
        var accounts = await CountAsync<Account>(db, clients, ct);
        var taxCodes = await CountAsync<TaxCode>(db, clients, ct);
        var terms = await CountAsync<PaymentTerm>(db, clients, ct);
        var workflows = await CountAsync<WorkflowDefinition>(db, clients, ct);
        var audit = Audit(db, clients);
        var lastActivity = await audit.GroupBy(a => a.OrganizationId)
            .Select(g => new { g.Key, Last = g.Max(a => a.OccurredAt) })
            .ToDictionaryAsync(g => g.Key, g => DateTime.SpecifyKind(g.Last, DateTimeKind.Utc), ct);
        var onboarding = await OnboardingAsync(audit, ct);

        // Each client's own credits (consolidated billing would change who pays, never whose balance this is), with the
        // allowance its next billing write grants, as its own billing page shows it.
        var now = time.GetUtcNow().UtcDateTime;
        var monthStart = Billing.Subscription.PeriodOf(now).Start;
        var ledger = db.Set<Billing.CreditEntry>().IgnoreQueryFilters([TenantFilter.Name]).AsNoTracking().Where(e => clients.Contains(e.OrganizationId));
        var credits = await ledger.GroupBy(e => e.OrganizationId)
            .Select(g => new
            {
                g.Key,
                Balance = g.Sum(e => e.Amount),
                Used = g.Where(e => e.Kind == Billing.CreditEntryKind.Usage && e.OccurredAt >= monthStart).Sum(e => -e.Amount),
            })
            .ToDictionaryAsync(g => g.Key, g => (g.Balance, g.Used), ct);
        var subscriptions = await db.Set<Billing.Subscription>().IgnoreQueryFilters([TenantFilter.Name]).AsNoTracking()
            .Where(s => clients.Contains(s.OrganizationId)).ToDictionaryAsync(s => s.OrganizationId, ct);

        var rows = directory.Select(c => new ClientOverview(
            c.Id, c.Name, c.CountryCode, c.Members,
            accounts.GetValueOrDefault(c.Id), taxCodes.GetValueOrDefault(c.Id), terms.GetValueOrDefault(c.Id), workflows.GetValueOrDefault(c.Id),
            onboarding.GetValueOrDefault(c.Id) ?? OnboardingStatus.NotRecorded,
            lastActivity.TryGetValue(c.Id, out var last) ? last : null,
            credits.GetValueOrDefault(c.Id).Balance + Billing.Subscription.AllowanceToGrant(subscriptions.GetValueOrDefault(c.Id), plans, now),
            credits.GetValueOrDefault(c.Id).Used)).ToList();
        var summary = new PartnerSummary(rows.Count, rows.Sum(r => r.Members), rows.Count(r => r.Onboarding.Warning is not null));

        IEnumerable<ClientOverview> matching = rows;
        if (!string.IsNullOrWhiteSpace(query.Search))
        {
            var search = query.Search.Trim();
            matching = matching.Where(r => r.Name.Contains(search, StringComparison.CurrentCultureIgnoreCase));
        }

        var filtered = Sort(matching, query.Sort, query.Descending).ToList();
        var page = filtered.Skip((query.Page - 1) * query.PageSize).Take(query.PageSize).ToList();
        return new PartnerDashboard(summary, page, filtered.Count, query.Page, query.PageSize);
    }

    /// <summary>How each client's configuration differs from the partner's; with <paramref name="clientId"/>, one client item by item.</summary>
    public async Task<IReadOnlyList<ClientDrift>> GetDriftAsync(Guid? clientId = null, CancellationToken ct = default)
    {
        await using var db = dbFactory.Create();
        var partnerId = await RequirePartnerAsync(db, ct);
        var partner = (await ConfigurationReader.ReadAsync(db, OwnRows.Instance, ConfigurationReader.AllKinds, ct))
            .GetValueOrDefault(partnerId) ?? ConfigurationSet.Empty;
        var (clients, sets) = await ReadClientsAsync(db, partnerId, clientId is { } id ? [id] : null, ConfigurationReader.AllKinds, ct);
        if (clientId is not null && clients.Count == 0)
        {
            throw new DomainException(DomainErrorKind.NotFound, "That organization is not one of your clients.", "clientId");
        }

        return [.. clients.Select(c =>
        {
            var items = ConfigurationItems.Drift(partner.Items, (sets.GetValueOrDefault(c.Id) ?? ConfigurationSet.Empty).Items);
            return new ClientDrift(c.Id, c.Name, DriftCounts.Of(items), clientId is null ? [] : items);
        })];
    }

    /// <summary>The partner's clients (all, or those named) with their configuration, for a push preview; checks access itself.</summary>
    internal async Task<(Guid PartnerId, IReadOnlyList<(Guid Id, string Name)> Clients, Dictionary<Guid, ConfigurationSet> Sets)> ReadForPushAsync(
        IReadOnlyCollection<Guid>? clientIds, IReadOnlySet<ConfigurationKind> kinds, CancellationToken ct)
    {
        await using var db = dbFactory.Create();
        var partnerId = await RequirePartnerAsync(db, ct);
        var (clients, sets) = await ReadClientsAsync(db, partnerId, clientIds, kinds, ct);
        return (partnerId, clients, sets);
    }

    /// <summary>The acting user is OWNER or ADMIN of the current organization, and it is a partner.</summary>
    internal async Task<Guid> RequirePartnerAsync(IMultiOrgDb db, CancellationToken ct)
    {
        var me = await db.RequireAsync(tenant, Permission.ManageClients, ct);
        var kind = await db.Organizations.Where(o => o.Id == me.OrganizationId).Select(o => o.Kind).SingleAsync(ct);
        return kind == OrganizationKind.Partner
            ? me.OrganizationId
            : throw new DomainException(DomainErrorKind.Forbidden, "Only partner organizations have client organizations.");
    }

    private static async Task<(IReadOnlyList<(Guid Id, string Name)> Clients, Dictionary<Guid, ConfigurationSet> Sets)> ReadClientsAsync(
        IMultiOrgDb db, Guid partnerId, IReadOnlyCollection<Guid>? only, IReadOnlySet<ConfigurationKind> kinds, CancellationToken ct)
    {
        var ids = ClientIds(db, partnerId, only);
        var clients = (await db.Organizations.AsNoTracking().Where(o => ids.Contains(o.Id)).Select(o => new { o.Id, o.Name }).ToListAsync(ct))
            .OrderBy(c => c.Name, StringComparer.CurrentCultureIgnoreCase).Select(c => (c.Id, c.Name)).ToList();
        var sets = await ConfigurationReader.ReadAsync(db, new ClientRows(ids), kinds, ct);
        return (clients, sets);
    }

    /// <summary>The partner's own clients, optionally narrowed to the ids asked for (others are silently not there).</summary>
    private static IQueryable<Guid> ClientIds(IMultiOrgDb db, Guid partnerId, IReadOnlyCollection<Guid>? only)
    {
        var clients = db.Organizations.Where(o => o.PartnerOrganizationId == partnerId);
        if (only is not null)
        {
            var list = only.ToList();
            clients = clients.Where(o => list.Contains(o.Id));
        }

        return clients.Select(o => o.Id);
    }

    // The cross-tenant reads of this service. Only the tenant filter is ignored (by name), and every query is narrowed
    // to the partner's own client ids by the subquery above, so no other organization's rows can come back.
    private sealed class ClientRows(IQueryable<Guid> clients) : IRowScope
    {
        public IQueryable<T> Rows<T>(IMultiOrgDb db)
            where T : ConfigurationRow =>
            db.Set<T>().IgnoreQueryFilters([TenantFilter.Name]).AsNoTracking().Where(r => clients.Contains(r.OrganizationId));
    }

    private static IQueryable<Audit.AuditEntry> Audit(IMultiOrgDb db, IQueryable<Guid> clients) =>
        db.AuditEntries.IgnoreQueryFilters([TenantFilter.Name]).AsNoTracking().Where(a => clients.Contains(a.OrganizationId));

    private static Task<Dictionary<Guid, int>> CountAsync<T>(IMultiOrgDb db, IQueryable<Guid> clients, CancellationToken ct)
        where T : ConfigurationRow =>
        new ClientRows(clients).Rows<T>(db).GroupBy(r => r.OrganizationId)
            .Select(g => new { g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Key, g => g.Count, ct);

    /// <summary>
    /// Onboarding status from the clients' own audit logs: the <c>client.onboarded</c> entry names the path and the
    /// entity asked for; a <c>client.entity_copied</c> entry means layer 3 committed. Asked for and absent: it failed.
    /// </summary>
    private static async Task<Dictionary<Guid, OnboardingStatus>> OnboardingAsync(IQueryable<Audit.AuditEntry> audit, CancellationToken ct)
    {
        var entries = await audit.Where(a => a.Action == OnboardingRecord.OnboardedAction || a.Action == OnboardingRecord.EntityCopiedAction)
            .Select(a => new { a.OrganizationId, a.Action, a.Changes })
            .ToListAsync(ct);
        var result = new Dictionary<Guid, OnboardingStatus>();
        foreach (var group in entries.GroupBy(e => e.OrganizationId))
        {
            var onboarded = group.FirstOrDefault(e => e.Action == OnboardingRecord.OnboardedAction);
            if (onboarded is null)
            {
                continue;
            }

            var entityCopied = group.Any(e => e.Action == OnboardingRecord.EntityCopiedAction);
            using var details = JsonDocument.Parse(onboarded.Changes);
            var path = details.RootElement.TryGetProperty("path", out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null;
            var entity = details.RootElement.TryGetProperty("entity", out var e) && e.ValueKind == JsonValueKind.String ? e.GetString() : null;
            var asked = entity is not null || entityCopied ? 3 : 2;
            var done = entityCopied ? 3 : 2;
            var warning = entity is not null && !entityCopied
                ? $"Layer 3 failed: the settings of entity {entity} (posting profiles, transaction types, workflows) were not copied."
                : null;
            result[group.Key] = new OnboardingStatus(path, done, asked, warning);
        }

        return result;
    }

    private static IEnumerable<ClientOverview> Sort(IEnumerable<ClientOverview> rows, ClientSort sort, bool descending)
    {
        var byName = StringComparer.CurrentCultureIgnoreCase;
        var sorted = sort switch
        {
            ClientSort.Members => Order(rows, r => r.Members, descending),
            ClientSort.Accounts => Order(rows, r => r.Accounts, descending),
            ClientSort.TaxCodes => Order(rows, r => r.TaxCodes, descending),
            ClientSort.PaymentTerms => Order(rows, r => r.PaymentTerms, descending),
            ClientSort.Workflows => Order(rows, r => r.Workflows, descending),
            ClientSort.Credits => Order(rows, r => r.Credits, descending),
            ClientSort.CreditsUsedThisMonth => Order(rows, r => r.CreditsUsedThisMonth, descending),

            // Problems first when ascending: a warning, then fewest layers done.
            ClientSort.Onboarding => Order(rows, r => (r.Onboarding.Warning is null ? 1 : 0, r.Onboarding.LayersDone), descending),
            ClientSort.LastActivity => Order(rows, r => r.LastActivity ?? DateTime.MinValue, descending),
            _ => descending ? rows.OrderByDescending(r => r.Name, byName) : rows.OrderBy(r => r.Name, byName),
        };
        return sort == ClientSort.Name ? sorted : sorted.ThenBy(r => r.Name, byName);
    }

    private static IOrderedEnumerable<ClientOverview> Order<TKey>(IEnumerable<ClientOverview> rows, Func<ClientOverview, TKey> key, bool descending) =>
        descending ? rows.OrderByDescending(key) : rows.OrderBy(key);
}
