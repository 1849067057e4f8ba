using Microsoft.EntityFrameworkCore;
using MultiOrg.Domain.Accounting;

namespace MultiOrg.Domain.Clients;

/// <summary>Which rows a read covers: the unit of work's own organization, or (partner aggregation only) a partner's clients.</summary>
internal interface IRowScope
{
    IQueryable<T> Rows<T>(IMultiOrgDb db)
        where T : ConfigurationRow;
}

/// <summary>The unit of work's own organization, through the tenant filter.</summary>
internal sealed class OwnRows : IRowScope
{
    public static readonly OwnRows Instance = new();

    public IQueryable<T> Rows<T>(IMultiOrgDb db)
        where T : ConfigurationRow => db.Set<T>().AsNoTracking();
}

/// <summary>
/// Reads the comparable configuration of every organization in a scope with one query per table (never one per
/// organization), so drift and push previews over 1,500 clients cost the same handful of queries as over one.
/// </summary>
internal static class ConfigurationReader
{
    public static readonly IReadOnlySet<ConfigurationKind> AllKinds = Enum.GetValues<ConfigurationKind>().ToHashSet();

    public static async Task<Dictionary<Guid, ConfigurationSet>> ReadAsync(IMultiOrgDb db, IRowScope scope, IReadOnlySet<ConfigurationKind> kinds, CancellationToken ct)
    {
        var items = new Dictionary<Guid, List<ConfigurationItem>>();
        void Add(Guid organization, ConfigurationItem item)
        {
            if (!items.TryGetValue(organization, out var list))
            {
                items[organization] = list = [];
            }

            list.Add(item);
        }

        if (kinds.Contains(ConfigurationKind.Account))
        {
            var accounts = await scope.Rows<Account>(db).Select(a => new { a.OrganizationId, a.Id, a.Number, a.Name, a.Type, a.ParentAccountId }).ToListAsync(ct);
            var numbers = accounts.ToDictionary(a => a.Id, a => a.Number);
            foreach (var a in accounts)
            {
                var parent = a.ParentAccountId is { } p && numbers.TryGetValue(p, out var number) ? number : null;
                Add(a.OrganizationId, ConfigurationItems.Of(new AccountData(a.Number, a.Name, a.Type, parent)));
            }
        }

        if (kinds.Contains(ConfigurationKind.TaxCode))
        {
            var authorities = await scope.Rows<TaxAuthority>(db).Select(t => new { t.Id, t.Name, t.CountryCode, t.Region }).ToDictionaryAsync(t => t.Id, ct);
            var codes = await scope.Rows<TaxCode>(db).Select(t => new { t.OrganizationId, t.Code, t.Name, t.RatePercent, t.Direction, t.TaxAuthorityId }).ToListAsync(ct);
            foreach (var t in codes)
            {
                var authority = t.TaxAuthorityId is { } id && authorities.TryGetValue(id, out var found) ? found : null;
                Add(t.OrganizationId, ConfigurationItems.Of(new TaxCodeData(t.Code, t.Name, t.RatePercent, t.Direction, authority?.Name, authority?.CountryCode, authority?.Region)));
            }
        }

        if (kinds.Contains(ConfigurationKind.PaymentTerm))
        {
            var terms = await scope.Rows<PaymentTerm>(db).Select(p => new { p.OrganizationId, p.Code, p.Name, p.DueDays, p.DiscountPercent, p.DiscountDays }).ToListAsync(ct);
            foreach (var p in terms)
            {
                Add(p.OrganizationId, ConfigurationItems.Of(new PaymentTermData(p.Code, p.Name, p.DueDays, p.DiscountPercent, p.DiscountDays)));
            }
        }

        var entityCodes = new Dictionary<Guid, List<string>>();
        if (kinds.Contains(ConfigurationKind.Workflow))
        {
            var entities = await scope.Rows<LegalEntity>(db).Select(e => new { e.OrganizationId, e.Id, e.Code }).ToListAsync(ct);
            entityCodes = entities.GroupBy(e => e.OrganizationId).ToDictionary(g => g.Key, g => g.Select(e => e.Code).Order(StringComparer.Ordinal).ToList());
            var entityCode = entities.ToDictionary(e => e.Id, e => e.Code);
            var workflows = await scope.Rows<WorkflowDefinition>(db).Select(w => new { w.OrganizationId, w.Id, w.Name, w.LegalEntityId }).ToListAsync(ct);
            var steps = (await scope.Rows<WorkflowStep>(db).Select(s => new { s.WorkflowDefinitionId, s.Id, s.ParentStepId, s.Sequence, s.Name }).ToListAsync(ct))
                .ToLookup(s => s.WorkflowDefinitionId);
            var conditions = (await scope.Rows<WorkflowCondition>(db).Select(c => new { c.WorkflowStepId, c.Field, c.Operator, c.Value }).ToListAsync(ct))
                .ToLookup(c => c.WorkflowStepId);
            foreach (var w in workflows)
            {
                var own = steps[w.Id].ToList();
                var sequenceOf = own.ToDictionary(s => s.Id, s => s.Sequence);
                var data = new WorkflowData(w.Name, entityCode.GetValueOrDefault(w.LegalEntityId, ""), [.. own.OrderBy(s => s.Sequence).Select(s => new StepData(
                    s.Sequence,
                    s.Name,
                    s.ParentStepId is { } parent && sequenceOf.TryGetValue(parent, out var sequence) ? sequence : null,
                    [.. conditions[s.Id].Select(c => (c.Field, c.Operator, c.Value))]))]);
                Add(w.OrganizationId, ConfigurationItems.Of(data));
            }
        }

        return items.Keys.Union(entityCodes.Keys).ToDictionary(
            id => id,
            id => new ConfigurationSet(items.GetValueOrDefault(id) ?? [], entityCodes.GetValueOrDefault(id) ?? []));
    }
}
