using Microsoft.EntityFrameworkCore;
using MultiOrg.Domain.Billing;
using MultiOrg.Domain.Errors;
using MultiOrg.Domain.Permissions;
using MultiOrg.Domain.Tenancy;

namespace MultiOrg.Domain.FeatureSwitches;

/// <summary>
/// Feature switches per organization, combined with what the plan includes and whether the bill is paid. The services
/// that run a feature ask <see cref="EnsureAvailableAsync"/>; the UI reads <see cref="ListAsync"/> to hide what is off.
/// </summary>
public sealed class FeatureService(IMultiOrgDbFactory dbFactory, TenantContext tenant, PlanCatalog plans, TimeProvider time)
{
    public const string TurnedOff = "This feature is turned off for this organization";

    public static string LabelOf(Feature feature) => feature switch
    {
        Feature.ApiAccess => "API access",
        Feature.Assistant => "AI assistant connection",
        Feature.CsvImport => "CSV import",
        Feature.ClientOrganizations => "Client organizations",
        _ => feature.ToString(),
    };

    public async Task<IReadOnlyList<FeatureStatus>> ListAsync(CancellationToken ct = default)
    {
        await using var db = dbFactory.Create();
        var me = await db.RequireAsync(tenant, Permission.ViewOrganization, ct);
        return await StatusesAsync(db, plans, me.OrganizationId, ct);
    }

    public async Task<FeatureStatus> SetAsync(Feature feature, bool enabled, CancellationToken ct = default)
    {
        if (!Enum.IsDefined(feature))
        {
            throw DomainException.Invalid("feature", $"There is no feature '{feature}'.");
        }

        await using var db = dbFactory.Create();
        var me = await db.WriteAsync(
            async ct =>
            {
                var me = await db.RequireAsync(tenant, Permission.EditOrganization, ct);
                var row = await db.Set<FeatureSwitch>().SingleOrDefaultAsync(s => s.Feature == feature, ct);
                if (row is null)
                {
                    row = new FeatureSwitch { Feature = feature, Enabled = enabled };
                    db.Set<FeatureSwitch>().Add(row);
                }

                if (row.Enabled != enabled || db.Set<FeatureSwitch>().Local.Contains(row))
                {
                    row.Enabled = enabled;
                    row.ChangedAt = time.GetUtcNow().UtcDateTime;
                    await db.SaveChangesAsync(ct);
                }

                return me;
            },
            ct);
        return (await StatusesAsync(db, plans, me.OrganizationId, ct)).Single(s => s.Feature == feature);
    }

    /// <summary>The same check for the current organization (an API key's request, an assistant tool call).</summary>
    public async Task EnsureAvailableAsync(Feature feature, bool reading, CancellationToken ct = default)
    {
        await using var db = dbFactory.Create();
        await EnsureAvailableAsync(db, plans, tenant.RequireOrganization(), feature, ct, reading);
    }

    /// <summary>
    /// Refuses (403, naming the reason) when the feature is switched off, not in the plan, or paused for an overdue bill.
    /// An overdue bill never stops <paramref name="reading"/>: an organization can always read and export its own data.
    /// </summary>
    public static async Task EnsureAvailableAsync(IMultiOrgDb db, PlanCatalog plans, Guid organizationId, Feature feature, CancellationToken ct, bool reading = false)
    {
        var status = (await StatusesAsync(db, plans, organizationId, ct)).Single(s => s.Feature == feature);
        if (status.Refusal is { } refusal && !(reading && status.SwitchedOn && status.PlanIncludes))
        {
            throw new DomainException(DomainErrorKind.Forbidden, refusal);
        }
    }

    public static async Task<IReadOnlyList<FeatureStatus>> StatusesAsync(IMultiOrgDb db, PlanCatalog plans, Guid organizationId, CancellationToken ct)
    {
        var switches = await db.Set<FeatureSwitch>().AsNoTracking().Where(s => s.OrganizationId == organizationId)
            .ToDictionaryAsync(s => s.Feature, s => s.Enabled, ct);
        var subscription = await db.Set<Subscription>().AsNoTracking().Where(s => s.OrganizationId == organizationId)
            .Select(s => new { s.PlanCode, s.Status }).FirstOrDefaultAsync(ct);
        var plan = subscription is null ? plans.Default : plans.For(subscription.PlanCode);
        var overdue = subscription?.Status == SubscriptionStatus.PastDue;
        return [.. Enum.GetValues<Feature>().Select(feature =>
        {
            var label = LabelOf(feature);
            var on = switches.GetValueOrDefault(feature, true);
            var included = feature switch
            {
                Feature.ApiAccess => plan.Features.ApiKeys,
                Feature.Assistant => plan.Features.Assistant,
                Feature.ClientOrganizations => plan.Features.ClientOrganizations,
                _ => true,
            };
            var refusal = !on ? $"{TurnedOff} ({label})."
                : !included ? $"The {plan.Name} plan does not include {label.ToLowerInvariant()}. An owner can change the plan on the Billing page."
                : overdue ? $"{label} is paused because a statement is overdue. Reading and exporting your data still work; the organization's owner can settle the statement with support."
                : null;
            return new FeatureStatus(feature, label, on, included, overdue, refusal);
        })];
    }
}
