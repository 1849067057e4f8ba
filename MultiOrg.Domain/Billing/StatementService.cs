using System.Globalization;
using CsvHelper.Configuration;
using Microsoft.EntityFrameworkCore;
using MultiOrg.Domain.Csv;
using MultiOrg.Domain.Errors;
using MultiOrg.Domain.Organizations;
using MultiOrg.Domain.Permissions;
using MultiOrg.Domain.Tenancy;
using MultiOrg.Domain.Users;

namespace MultiOrg.Domain.Billing;

/// <summary>
/// Statements: an organization reads and downloads its own; a partner reads the sections of the clients billed to it
/// and a cost table of its clients; support records payments; the period-close job writes them. The cross-tenant
/// reads here (consolidated sections, client costs, the close job's list of due organizations) ignore only the tenant
/// filter and are narrowed to the partner's own clients, or read organization ids only.
/// </summary>
public sealed class StatementService(IMultiOrgDbFactory dbFactory, TenantContext tenant, PlanCatalog plans, BillingService billing, TimeProvider time)
{
    public const int ReferenceMaxLength = 100;

    public async Task<IReadOnlyList<StatementSummaryView>> ListAsync(CancellationToken ct = default)
    {
        await using var db = dbFactory.Create();
        var me = await db.RequireAsync(tenant, Permission.ViewBilling, ct);
        var rows = await db.Set<Statement>().AsNoTracking().OrderByDescending(s => s.PeriodStart).ToListAsync(ct);
        return await SummariesAsync(db, me.OrganizationId, rows, ct);
    }

    public async Task<StatementView> GetAsync(Guid statementId, CancellationToken ct = default)
    {
        await using var db = dbFactory.Create();
        var me = await db.RequireAsync(tenant, Permission.ViewBilling, ct);
        return await ViewAsync(db, me.OrganizationId, statementId, ct);
    }

    /// <summary>The statement as CSV: one row per line, a client's lines under its name on a partner's statement.</summary>
    public async Task<string> CsvAsync(Guid statementId, CancellationToken ct = default)
    {
        var view = await GetAsync(statementId, ct);
        var rows = view.Lines.Select(l => new CsvLine(view.Summary.Number, view.OrganizationName, l.Kind.ToString(), l.Description, l.Quantity, l.Amount, view.Summary.Currency))
            .Concat(view.Clients.SelectMany(c => c.Lines.Select(l => new CsvLine(c.Number, c.OrganizationName, l.Kind.ToString(), l.Description, l.Quantity, l.Amount, view.Summary.Currency))))
            .Append(new CsvLine(view.Summary.Number, view.OrganizationName, "AmountDue", "Amount due", 1, view.AmountDue, view.Summary.Currency));
        return await SafeCsv.WriteAsync(rows.ToAsyncEnumerable(), new CsvLineMap(), ct);
    }

    /// <summary>
    /// Support records a payment received by invoice, with a reference: the whole amount due or a part of it, never more
    /// than what is left. The statement turns paid when its payments reach the amount due; a partner's then settles the
    /// client statements billed to it as well.
    /// </summary>
    public async Task<StatementView> RecordPaymentAsync(Guid organizationId, Guid statementId, string? reference, decimal amount, CancellationToken ct = default)
    {
        var supportUserId = tenant.RequireUser();
        var text = reference?.Trim() ?? "";
        if (text.Length is 0 or > ReferenceMaxLength)
        {
            throw DomainException.Invalid("reference", $"Enter the payment's reference (1 to {ReferenceMaxLength} characters).");
        }

        if (amount <= 0 || decimal.Round(amount, 2) != amount)
        {
            throw DomainException.Invalid("amount", "Enter the amount received: above 0, in whole cents.");
        }

        await RequireSupportAsync(ct);
        var acting = tenant.ActingIn(supportUserId, organizationId, "", OrganizationRole.Admin);
        StatementView view;
        await using (var db = dbFactory.CreateFor(acting))
        {
            view = await ViewAsync(db, organizationId, statementId, ct);
        }

        if (view.Summary.BilledToOrganizationId is not null)
        {
            throw new DomainException(DomainErrorKind.Conflict, $"This statement is billed to {view.BilledToName}; record the payment on that organization's statement.");
        }

        if (view.Summary.Status == StatementStatus.Paid)
        {
            throw new DomainException(DomainErrorKind.Conflict, $"Statement {view.Summary.Number} is already paid.");
        }

        var now = Now;
        var settled = await AddPaymentAsync(acting, view, text, amount, supportUserId, now, ct);
        if (settled)
        {
            // Clients first: were this interrupted, recording the partner's payment again settles what is left.
            foreach (var section in view.Clients)
            {
                await MarkPaidAsync(tenant.ActingIn(supportUserId, section.OrganizationId, "", OrganizationRole.Admin), section.Number, $"{text} (via {view.OrganizationName})", section.Total, supportUserId, now, ct);
                await billing.RollForwardAsync(TenantContext.ForJob(section.OrganizationId, ""), ct);
            }

            await MarkPaidAsync(acting, view.Summary.Number, text, view.AmountDue, supportUserId, now, ct);
            await billing.RollForwardAsync(TenantContext.ForJob(organizationId, ""), ct);
        }

        await using var reader = dbFactory.CreateFor(acting);
        return await ViewAsync(reader, organizationId, statementId, ct);
    }

    /// <summary>
    /// Adds one payment under the organization's write lock, so two parts recorded at once never pay more than is due;
    /// true when the payments now reach the amount due. Once they do (an interrupted settling), nothing more is added.
    /// </summary>
    private async Task<bool> AddPaymentAsync(TenantContext acting, StatementView view, string reference, decimal amount, string recordedBy, DateTime now, CancellationToken ct)
    {
        await using var db = dbFactory.CreateFor(acting);
        var statementId = view.Summary.Id;
        return await db.WriteAsync(
            async ct =>
            {
                // SQLite sums no decimals in the database: a statement's few payments are added here.
                var paid = (await db.Set<StatementPayment>().Where(p => p.StatementId == statementId).Select(p => p.Amount).ToListAsync(ct)).Sum();
                var remaining = view.AmountDue - paid;
                if (remaining <= 0)
                {
                    return true;
                }

                if (amount > remaining)
                {
                    var currency = view.Summary.Currency;
                    throw DomainException.Invalid("amount", $"Statement {view.Summary.Number} has {PeriodClose.Money(remaining, currency)} left to pay of {PeriodClose.Money(view.AmountDue, currency)}; " +
                        $"the payment is {PeriodClose.Money(amount, currency)}. Record at most the remaining amount.");
                }

                db.Set<StatementPayment>().Add(new StatementPayment { StatementId = statementId, Amount = amount, Reference = reference, RecordedBy = recordedBy, RecordedAt = now });
                await db.SaveChangesAsync(ct);
                return amount == remaining;
            },
            ct);
    }

    private async Task MarkPaidAsync(TenantContext acting, string number, string reference, decimal amount, string recordedBy, DateTime now, CancellationToken ct)
    {
        await using var db = dbFactory.CreateFor(acting);
        await db.WriteAsync(
            async ct =>
            {
                var statement = await db.Set<Statement>().SingleAsync(s => s.Number == number, ct);
                if (statement.Status != StatementStatus.Paid)
                {
                    statement.Status = StatementStatus.Paid;
                    statement.PaidAt = now;
                    statement.PaidAmount = amount;
                    statement.PaymentReference = reference.Length > ReferenceMaxLength + 40 ? reference[..(ReferenceMaxLength + 40)] : reference;
                    statement.PaymentRecordedBy = recordedBy;
                    await db.SaveChangesAsync(ct);
                }
            },
            ct);
    }

    /// <summary>
    /// The one place a statement's amount due is reckoned: its own total plus the statements of the same period its
    /// clients billed to it. The list, the statement, its CSV and support's payments all show this figure.
    /// </summary>
    private async Task<IReadOnlyList<StatementSummaryView>> SummariesAsync(IMultiOrgDb db, Guid organizationId, IReadOnlyList<Statement> rows, CancellationToken ct)
    {
        var periods = rows.Select(r => r.PeriodStart).ToList();
        var ids = rows.Select(r => r.Id).ToList();

        // SQLite sums no decimals in the database: the few amounts are added here.
        var sections = await ClientSections(db, organizationId).Where(s => periods.Contains(s.PeriodStart)).Select(s => new { s.PeriodStart, s.Total }).ToListAsync(ct);
        var payments = await db.Set<StatementPayment>().AsNoTracking().Where(p => ids.Contains(p.StatementId)).Select(p => new { p.StatementId, p.Amount }).ToListAsync(ct);
        var now = Now;
        return [.. rows.Select(s =>
        {
            var due = s.Total + sections.Where(c => c.PeriodStart == s.PeriodStart).Sum(c => c.Total);
            var paid = s.Status == StatementStatus.Paid ? due : payments.Where(p => p.StatementId == s.Id).Sum(p => p.Amount);
            return new StatementSummaryView(s.Id, s.Number, s.PeriodStart, s.PeriodEnd, s.PlanName, due, s.Currency, s.Status, s.IssuedAt, s.DueAt,
                s.Status == StatementStatus.Open && s.DueAt <= now, s.BilledToOrganizationId, paid);
        })];
    }

    /// <summary>
    /// The statements a partner's clients billed to it: only clients whose partner it is, so a client that once was
    /// another partner's never shows up on its statement.
    /// </summary>
    private static IQueryable<Statement> ClientSections(IMultiOrgDb db, Guid organizationId)
    {
        var clients = db.Organizations.Where(o => o.PartnerOrganizationId == organizationId).Select(o => o.Id);
        return db.Set<Statement>().IgnoreQueryFilters([TenantFilter.Name]).AsNoTracking()
            .Where(s => s.BilledToOrganizationId == organizationId && clients.Contains(s.OrganizationId));
    }

    private static async Task<IReadOnlyList<PaymentView>> PaymentsAsync(IMultiOrgDb db, Guid statementId, CancellationToken ct) =>
        await db.Set<StatementPayment>().AsNoTracking().Where(p => p.StatementId == statementId).OrderBy(p => p.RecordedAt)
            .Select(p => new PaymentView(p.RecordedAt, p.Reference, p.Amount, db.Users.Where(u => u.Id == p.RecordedBy).Select(u => u.DisplayName ?? u.Email).FirstOrDefault()))
            .ToListAsync(ct);

    /// <summary>Support's view of one statement, with the amount due its payment must match.</summary>
    public async Task<StatementView> GetForSupportAsync(Guid organizationId, Guid statementId, CancellationToken ct = default)
    {
        var supportUserId = tenant.RequireUser();
        await RequireSupportAsync(ct);
        await using var db = dbFactory.CreateFor(tenant.ActingIn(supportUserId, organizationId, "", OrganizationRole.Admin));
        return await ViewAsync(db, organizationId, statementId, ct);
    }

    /// <summary>Support's list of an organization's statements, to record a payment against one.</summary>
    public async Task<IReadOnlyList<StatementSummaryView>> ListForSupportAsync(Guid organizationId, CancellationToken ct = default)
    {
        var supportUserId = tenant.RequireUser();
        await RequireSupportAsync(ct);
        await using var db = dbFactory.CreateFor(tenant.ActingIn(supportUserId, organizationId, "", OrganizationRole.Admin));
        var rows = await db.Set<Statement>().AsNoTracking().OrderByDescending(s => s.PeriodStart).ToListAsync(ct);
        return await SummariesAsync(db, organizationId, rows, ct);
    }

    /// <summary>What each of the partner's clients cost in one closed period (the latest when none is given).</summary>
    public async Task<ClientCosts> ClientCostsAsync(DateTime? periodStart = null, CancellationToken ct = default)
    {
        await using var db = dbFactory.Create();
        var partnerId = await RequirePartnerAsync(db, Permission.ViewBilling, ct);
        var clients = db.Organizations.Where(o => o.PartnerOrganizationId == partnerId).Select(o => o.Id);
        var statements = db.Set<Statement>().IgnoreQueryFilters([TenantFilter.Name]).AsNoTracking().Where(s => clients.Contains(s.OrganizationId));
        var periods = await statements.Select(s => s.PeriodStart).Distinct().OrderByDescending(p => p).ToListAsync(ct);
        var period = periodStart is { } asked ? DateTime.SpecifyKind(asked, DateTimeKind.Utc) : periods.Cast<DateTime?>().FirstOrDefault();
        var names = await db.Organizations.AsNoTracking().Where(o => o.PartnerOrganizationId == partnerId)
            .OrderBy(o => o.Name).Select(o => new { o.Id, o.Name }).ToListAsync(ct);
        var billedToPartner = await db.Set<Subscription>().IgnoreQueryFilters([TenantFilter.Name]).AsNoTracking()
            .Where(s => clients.Contains(s.OrganizationId) && s.BilledToPartner).Select(s => s.OrganizationId).ToListAsync(ct);
        var ofPeriod = period is null ? [] : await statements.Where(s => s.PeriodStart == period).Include(s => s.Lines).ToListAsync(ct);
        var byClient = ofPeriod.ToDictionary(s => s.OrganizationId);

        var rows = names.Select(c =>
        {
            if (!byClient.TryGetValue(c.Id, out var s))
            {
                return new ClientCostRow(c.Id, c.Name, billedToPartner.Contains(c.Id), null, null, 0m, 0m, 0m, 0m, 0, 0m, plans.Currency);
            }

            decimal Sum(StatementLineKind kind) => s.Lines.Where(l => l.Kind == kind).Sum(l => l.Amount);
            return new ClientCostRow(c.Id, c.Name, s.BilledToOrganizationId == partnerId, s.Number, s.PlanName, Sum(StatementLineKind.PlanFee),
                Sum(StatementLineKind.ExtraSeats), Sum(StatementLineKind.Proration), Sum(StatementLineKind.CreditPurchase), s.CreditsUsed, s.Total, s.Currency);
        }).ToList();
        return new ClientCosts(period, periods, rows, rows.Sum(r => r.Total), plans.Currency);
    }

    public async Task<string> ClientCostsCsvAsync(DateTime? periodStart = null, CancellationToken ct = default)
    {
        var costs = await ClientCostsAsync(periodStart, ct);
        return await SafeCsv.WriteAsync(costs.Rows.ToAsyncEnumerable(), new ClientCostMap(), ct);
    }

    /// <summary>The partner's OWNER chooses whether a client's statements go to the partner; the client's credits stay its own.</summary>
    public async Task SetBilledToPartnerAsync(Guid clientId, bool billedToPartner, CancellationToken ct = default)
    {
        await using var db = dbFactory.Create();
        var partnerId = await RequirePartnerAsync(db, Permission.ManageBilling, ct);
        var client = await db.Organizations.AsNoTracking().Where(o => o.Id == clientId && o.PartnerOrganizationId == partnerId)
            .Select(o => new { o.Id, o.Name }).SingleOrDefaultAsync(ct)
            ?? throw new DomainException(DomainErrorKind.NotFound, "That client organization does not exist.");
        await billing.SetBilledToPartnerAsync(tenant.ActingIn(tenant.RequireUser(), client.Id, client.Name, OrganizationRole.Admin), billedToPartner, ct);
    }

    /// <summary>
    /// The period-close job: every organization whose period has ended gets its statement and next period, every one
    /// without this period's allowance gets it (reading billing never writes it), and every organization with a
    /// statement newly overdue turns past due. Running it again finds nothing to do.
    /// </summary>
    public async Task<PeriodCloseRun> CloseDuePeriodsAsync(CancellationToken ct = default)
    {
        var now = Now;
        List<Guid> due;
        await using (var db = dbFactory.CreateFor(new TenantContext()))
        {
            var ended = db.Set<Subscription>().IgnoreQueryFilters([TenantFilter.Name]).Where(s => s.PeriodEnd <= now).Select(s => s.OrganizationId);
            var overdue = db.Set<Statement>().IgnoreQueryFilters([TenantFilter.Name])
                .Where(s => s.Status == StatementStatus.Open && s.DueAt <= now).Select(s => s.OrganizationId);
            var pastDueStill = db.Set<Subscription>().IgnoreQueryFilters([TenantFilter.Name])
                .Where(s => s.Status == SubscriptionStatus.Active && overdue.Contains(s.OrganizationId)).Select(s => s.OrganizationId);
            var settled = db.Set<Subscription>().IgnoreQueryFilters([TenantFilter.Name])
                .Where(s => s.AllowanceGrantedFor == s.PeriodStart).Select(s => s.OrganizationId);
            var allowanceMissing = db.Organizations.Where(o => !settled.Contains(o.Id)).Select(o => o.Id);
            due = await ended.Union(pastDueStill).Union(allowanceMissing).Distinct().ToListAsync(ct);
        }

        var failures = new List<(Guid, Exception)>();
        var updated = 0;
        foreach (var organizationId in due)
        {
            try
            {
                updated += await billing.RollForwardAsync(TenantContext.ForJob(organizationId, ""), ct) ? 1 : 0;
            }
            catch (Exception exception) when (exception is DbUpdateException or DomainException or InvalidOperationException)
            {
                // One organization's failure must not hold up every other statement; the next run retries it.
                failures.Add((organizationId, exception));
            }
        }

        return new PeriodCloseRun(due.Count, updated, failures);
    }

    private DateTime Now => time.GetUtcNow().UtcDateTime;

    private async Task RequireSupportAsync(CancellationToken ct)
    {
        await using var check = dbFactory.Create();
        await check.RequireSupportStaffAsync(tenant, "Only support staff can record payments.", ct: ct);
    }

    private async Task<Guid> RequirePartnerAsync(IMultiOrgDb db, Permission permission, CancellationToken ct)
    {
        var me = await db.RequireAsync(tenant, permission, ct);
        var kind = await db.Organizations.Where(o => o.Id == me.OrganizationId).Select(o => o.Kind).SingleAsync(ct);
        return kind == OrganizationKind.Partner
            ? me.OrganizationId
            : throw new DomainException(DomainErrorKind.Forbidden, "Only a partner organization has client organizations.");
    }

    private async Task<StatementView> ViewAsync(IMultiOrgDb db, Guid organizationId, Guid statementId, CancellationToken ct)
    {
        var statement = await db.Set<Statement>().AsNoTracking().Include(s => s.Lines).SingleOrDefaultAsync(s => s.Id == statementId, ct)
            ?? throw new DomainException(DomainErrorKind.NotFound, "That statement does not exist.");
        var organizationName = await db.Organizations.Where(o => o.Id == organizationId).Select(o => o.Name).SingleAsync(ct);
        string? billedToName = null;
        if (statement.BilledToOrganizationId is { } billedTo)
        {
            billedToName = await db.Organizations.Where(o => o.Id == billedTo).Select(o => o.Name).SingleOrDefaultAsync(ct);
        }

        var sections = await ClientSections(db, organizationId).Include(s => s.Lines)
            .Where(s => s.PeriodStart == statement.PeriodStart).ToListAsync(ct);
        var clientNames = await db.Organizations.Where(o => o.PartnerOrganizationId == organizationId).Select(o => new { o.Id, o.Name }).ToDictionaryAsync(o => o.Id, o => o.Name, ct);
        var clientSections = sections.OrderBy(s => clientNames[s.OrganizationId], StringComparer.OrdinalIgnoreCase)
            .Select(s => new ClientStatementSection(s.OrganizationId, clientNames[s.OrganizationId], s.Number, Lines(s), s.Total)).ToList();
        var payment = statement is { Status: StatementStatus.Paid, PaidAt: { } paidAt }
            ? new PaymentView(paidAt, statement.PaymentReference ?? "", statement.PaidAmount ?? 0m,
                statement.PaymentRecordedBy is null ? null : await db.Users.Where(u => u.Id == statement.PaymentRecordedBy).Select(u => u.DisplayName ?? u.Email).FirstOrDefaultAsync(ct))
            : null;
        var summary = (await SummariesAsync(db, organizationId, [statement], ct))[0];
        return new StatementView(
            summary, organizationName, statement.PlanCode, statement.Seats, statement.OpeningBalance, statement.CreditsGranted,
            statement.CreditsPurchased, statement.CreditsUsed, statement.CreditsAdjusted, statement.ClosingBalance, billedToName, Lines(statement), clientSections,
            summary.Total, payment, statement.Total, await PaymentsAsync(db, statement.Id, ct));
    }

    private static List<StatementLineView> Lines(Statement statement) =>
        [.. statement.Lines.OrderBy(l => l.Position).Select(l => new StatementLineView(l.Position, l.Kind, l.Description, l.Quantity, l.Amount))];


    private sealed record CsvLine(string Statement, string Organization, string Kind, string Description, long Quantity, decimal Amount, string Currency);

    private sealed class CsvLineMap : ClassMap<CsvLine>
    {
        public CsvLineMap()
        {
            AutoMap(CultureInfo.InvariantCulture);
            Map(r => r.Amount).TypeConverterOption.Format("0.00");
        }
    }

    private sealed class ClientCostMap : ClassMap<ClientCostRow>
    {
        public ClientCostMap()
        {
            Map(r => r.OrganizationName).Name("client");
            Map(r => r.BilledToPartner).Name("billed_to_partner");
            Map(r => r.StatementNumber).Name("statement");
            Map(r => r.PlanName).Name("plan");
            Map(r => r.PlanFee).Name("plan_fee").TypeConverterOption.Format("0.00");
            Map(r => r.ExtraSeats).Name("extra_seats").TypeConverterOption.Format("0.00");
            Map(r => r.Prorations).Name("prorations").TypeConverterOption.Format("0.00");
            Map(r => r.CreditPurchases).Name("credit_purchases").TypeConverterOption.Format("0.00");
            Map(r => r.CreditsUsed).Name("credits_used");
            Map(r => r.Total).Name("total").TypeConverterOption.Format("0.00");
            Map(r => r.Currency).Name("currency");
        }
    }
}

/// <summary>What one run of the period close did: organizations looked at, changed, and those that failed (retried next run).</summary>
public sealed record PeriodCloseRun(int Due, int Updated, IReadOnlyList<(Guid OrganizationId, Exception Error)> Failures);
