using Microsoft.EntityFrameworkCore;
using MultiOrg.Domain.Accounting;
using MultiOrg.Domain.Errors;
using MultiOrg.Domain.Organizations;
using MultiOrg.Domain.Tenancy;

namespace MultiOrg.Domain.Clients;

/// <summary>
/// Pushes items of the partner's own configuration to its clients. Each client is changed in its own transaction under
/// its own tenant (so its audit log records the change, with the partner user as the actor), and one client's failure
/// neither stops nor half-changes another. A client's differing item is a conflict and stays as it is unless the
/// partner chose to overwrite that item; re-running a push finds everything identical and writes nothing.
/// </summary>
public sealed class ConfigurationPushService(IMultiOrgDbFactory dbFactory, TenantContext tenant, PartnerAggregationService aggregation)
{
    public const string PushedAction = "configuration.pushed";

    /// <summary>Test seam: runs just before a client's transaction commits; throwing from it fails that client.</summary>
    internal Func<Guid, Task>? BeforeClientCommit { get; set; }

    /// <summary>The partner's own configuration: what can be pushed.</summary>
    public async Task<IReadOnlyList<ConfigurationItem>> ListPartnerItemsAsync(CancellationToken ct = default)
    {
        await using var db = dbFactory.Create();
        var partnerId = await aggregation.RequirePartnerAsync(db, ct);
        var items = (await ConfigurationReader.ReadAsync(db, OwnRows.Instance, ConfigurationReader.AllKinds, ct)).GetValueOrDefault(partnerId)?.Items ?? [];
        return [.. items.OrderBy(i => i.Kind).ThenBy(i => i.Key, StringComparer.Ordinal)];
    }

    /// <summary>Per client, what applying the request would do now.</summary>
    public async Task<IReadOnlyList<ClientPlan>> PreviewAsync(PushRequest request, CancellationToken ct = default)
    {
        var (selected, overwrite) = await SelectAsync(request, ct);
        var kinds = selected.Select(s => s.Kind).ToHashSet();
        var (_, clients, sets) = await aggregation.ReadForPushAsync(request.ClientIds, kinds, ct);
        return [.. clients.Select(c => new ClientPlan(c.Id, c.Name, ConfigurationItems.Plan(selected, sets.GetValueOrDefault(c.Id) ?? ConfigurationSet.Empty, overwrite)))];
    }

    /// <summary>
    /// Applies the request client by client, reporting after each one. Each client's plan is worked out again inside its
    /// own transaction, so what is written is decided on the client's data as it is at that moment.
    /// </summary>
    public async Task<PushReport> ApplyAsync(PushRequest request, IProgress<PushProgress>? progress = null, CancellationToken ct = default)
    {
        var (selected, overwrite) = await SelectAsync(request, ct);
        var kinds = selected.Select(s => s.Kind).ToHashSet();
        var (partnerId, clients, _) = await aggregation.ReadForPushAsync(request.ClientIds, new HashSet<ConfigurationKind>(), ct);
        var results = new List<ClientPushResult>();
        progress?.Report(new PushProgress(0, clients.Count, null));
        foreach (var (id, name) in clients)
        {
            ct.ThrowIfCancellationRequested();
            var result = await ApplyToClientAsync(partnerId, id, name, selected, overwrite, kinds, ct);
            results.Add(result);
            progress?.Report(new PushProgress(results.Count, clients.Count, result));
        }

        return new PushReport(results);
    }

    private async Task<ClientPushResult> ApplyToClientAsync(
        Guid partnerId, Guid clientId, string clientName, IReadOnlyList<ConfigurationItem> selected, IReadOnlySet<ItemRef> overwrite,
        IReadOnlySet<ConfigurationKind> kinds, CancellationToken ct)
    {
        List<PlannedItem> plan = [];
        try
        {
            await using var db = dbFactory.CreateFor(TenantFor(clientId, clientName));
            return await db.WriteAsync(
                async ct =>
                {
                    var current = (await ConfigurationReader.ReadAsync(db, OwnRows.Instance, kinds, ct)).GetValueOrDefault(clientId) ?? ConfigurationSet.Empty;
                    plan = ConfigurationItems.Plan(selected, current, overwrite);
                    var writes = plan.Where(p => p.Action is PushAction.Add or PushAction.Update).ToList();
                    if (writes.Count == 0)
                    {
                        return new ClientPushResult(clientId, clientName, PushOutcome.Unchanged, plan, null);
                    }

                    var byRef = selected.ToDictionary(s => s.Ref);
                    await ConfigurationWriter.WriteAsync(db, writes.Select(w => byRef[new ItemRef(w.Kind, w.Key)]).ToList(), ct);
                    db.AuditAs(PushedAction, nameof(Organization), clientId.ToString(), new
                    {
                        partner = partnerId,
                        changed = writes.Select(w => new { kind = w.Kind.ToString(), key = w.Key, action = w.Action.ToString(), before = w.ClientValue, after = w.PartnerValue }),
                        skipped = plan.Except(writes).Select(p => new { kind = p.Kind.ToString(), key = p.Key, action = p.Action.ToString() }),
                    });
                    await db.SaveChangesAsync(ct);
                    if (BeforeClientCommit is not null)
                    {
                        await BeforeClientCommit(clientId);
                    }

                    return new ClientPushResult(clientId, clientName, PushOutcome.Changed, plan, null);
                },
                ct);
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            // The transaction was disposed without a commit: nothing of this client changed. The others go on.
            return new ClientPushResult(clientId, clientName, PushOutcome.Failed, plan, error.Message);
        }
    }

    private async Task<(IReadOnlyList<ConfigurationItem> Selected, IReadOnlySet<ItemRef> Overwrite)> SelectAsync(PushRequest request, CancellationToken ct)
    {
        if (request.Items.Count == 0)
        {
            throw DomainException.Invalid("items", "Choose at least one configuration item to push.");
        }

        if (request.ClientIds is { Count: 0 })
        {
            throw DomainException.Invalid("clientIds", "Choose at least one client, or all clients.");
        }

        var partnerItems = (await ListPartnerItemsAsync(ct)).ToDictionary(i => i.Ref);
        var missing = request.Items.FirstOrDefault(i => !partnerItems.ContainsKey(i));
        if (missing is not null)
        {
            throw DomainException.Invalid("items", $"{missing.Kind} {missing.Key} is not part of your configuration.");
        }

        var stray = request.Overwrite.FirstOrDefault(o => !request.Items.Contains(o));
        if (stray is not null)
        {
            throw DomainException.Invalid("overwrite", $"{stray.Kind} {stray.Key} can only be overwritten when it is pushed.");
        }

        return ([.. request.Items.Distinct().Select(i => partnerItems[i])], request.Overwrite.ToHashSet());
    }

    /// <summary>The acting user, inside one client (verified to belong to the partner) as the ADMIN partner staff are there.</summary>
    private TenantContext TenantFor(Guid organizationId, string name) =>
        tenant.ActingIn(tenant.RequireUser(), organizationId, name, OrganizationRole.Admin);
}

/// <summary>Writes pushed items into one client, matching its rows the way the plan did.</summary>
internal static class ConfigurationWriter
{
    public static async Task WriteAsync(IMultiOrgDb db, IReadOnlyList<ConfigurationItem> items, CancellationToken ct)
    {
        var data = items.Select(i => i.Data).ToList();
        await WriteAccountsAsync(db, [.. data.OfType<AccountData>()], ct);
        await WriteTaxCodesAsync(db, [.. data.OfType<TaxCodeData>()], ct);
        await WritePaymentTermsAsync(db, [.. data.OfType<PaymentTermData>()], ct);
        await WriteWorkflowsAsync(db, [.. data.OfType<WorkflowData>()], ct);
    }

    private static async Task WriteAccountsAsync(IMultiOrgDb db, List<AccountData> accounts, CancellationToken ct)
    {
        if (accounts.Count == 0)
        {
            return;
        }

        var existing = await db.Set<Account>().ToDictionaryAsync(a => a.Number, ct);
        foreach (var a in accounts)
        {
            if (!existing.TryGetValue(a.Number, out var row))
            {
                row = new Account { Number = a.Number, Name = a.Name };
                db.Set<Account>().Add(row);
                existing[a.Number] = row;
            }

            row.Name = a.Name;
            row.Type = a.Type;
        }

        // Parents after every account exists, so a parent pushed together with its child is found by number.
        foreach (var a in accounts)
        {
            existing[a.Number].ParentAccountId = a.ParentNumber is null ? null : existing[a.ParentNumber].Id;
        }
    }

    private static async Task WriteTaxCodesAsync(IMultiOrgDb db, List<TaxCodeData> codes, CancellationToken ct)
    {
        if (codes.Count == 0)
        {
            return;
        }

        var existing = await db.Set<TaxCode>().ToDictionaryAsync(t => t.Code, ct);
        var authorities = await db.Set<TaxAuthority>().ToListAsync(ct);
        foreach (var t in codes)
        {
            Guid? authorityId = null;
            if (t.AuthorityName is not null)
            {
                var authority = authorities.FirstOrDefault(a => a.Name == t.AuthorityName && a.CountryCode == t.AuthorityCountry);
                if (authority is null)
                {
                    authority = new TaxAuthority { Name = t.AuthorityName, CountryCode = t.AuthorityCountry ?? "", Region = t.AuthorityRegion };
                    db.Set<TaxAuthority>().Add(authority);
                    authorities.Add(authority);
                }

                authorityId = authority.Id;
            }

            if (!existing.TryGetValue(t.Code, out var row))
            {
                row = new TaxCode { Code = t.Code, Name = t.Name };
                db.Set<TaxCode>().Add(row);
            }

            row.Name = t.Name;
            row.RatePercent = t.RatePercent;
            row.Direction = t.Direction;
            row.TaxAuthorityId = authorityId;
        }
    }

    private static async Task WritePaymentTermsAsync(IMultiOrgDb db, List<PaymentTermData> terms, CancellationToken ct)
    {
        if (terms.Count == 0)
        {
            return;
        }

        var existing = await db.Set<PaymentTerm>().ToDictionaryAsync(p => p.Code, ct);
        foreach (var p in terms)
        {
            if (!existing.TryGetValue(p.Code, out var row))
            {
                row = new PaymentTerm { Code = p.Code, Name = p.Name };
                db.Set<PaymentTerm>().Add(row);
            }

            row.Name = p.Name;
            row.DueDays = p.DueDays;
            row.DiscountPercent = p.DiscountPercent;
            row.DiscountDays = p.DiscountDays;
        }
    }

    /// <summary>A pushed workflow replaces the client's steps of that name whole; a new one goes to the entity of the same code, else the first.</summary>
    private static async Task WriteWorkflowsAsync(IMultiOrgDb db, List<WorkflowData> workflows, CancellationToken ct)
    {
        if (workflows.Count == 0)
        {
            return;
        }

        var entities = await db.Set<LegalEntity>().OrderBy(e => e.Code).Select(e => new { e.Id, e.Code }).ToListAsync(ct);
        var names = workflows.Select(w => w.Name).ToList();
        var existing = await db.Set<WorkflowDefinition>().Where(w => names.Contains(w.Name))
            .Include(w => w.Steps).ThenInclude(s => s.Conditions).OrderBy(w => w.Id).ToListAsync(ct);
        foreach (var w in workflows)
        {
            var row = existing.FirstOrDefault(e => e.Name == w.Name);
            if (row is null)
            {
                var entity = entities.FirstOrDefault(e => e.Code == w.EntityCode) ?? entities[0];
                row = new WorkflowDefinition { Name = w.Name, LegalEntityId = entity.Id };
                db.Set<WorkflowDefinition>().Add(row);
            }
            else
            {
                db.Set<WorkflowCondition>().RemoveRange(row.Steps.SelectMany(s => s.Conditions));
                db.Set<WorkflowStep>().RemoveRange(row.Steps);
            }

            var ids = w.Steps.ToDictionary(s => s.Sequence, _ => Guid.CreateVersion7());
            foreach (var step in w.Steps)
            {
                db.Set<WorkflowStep>().Add(new WorkflowStep
                {
                    Id = ids[step.Sequence],
                    WorkflowDefinitionId = row.Id,
                    ParentStepId = step.ParentSequence is { } parent ? ids[parent] : null,
                    Sequence = step.Sequence,
                    Name = step.Name,
                });
                foreach (var (field, op, value) in step.Conditions)
                {
                    db.Set<WorkflowCondition>().Add(new WorkflowCondition { WorkflowStepId = ids[step.Sequence], Field = field, Operator = op, Value = value });
                }
            }
        }
    }
}
