using Microsoft.EntityFrameworkCore;
using MultiOrg.Domain.Audit;
using MultiOrg.Domain.Organizations;

namespace MultiOrg.Data;

/// <summary>
/// Units of work: a write transaction that takes the organization's lock, and an audited save, each one execution of the
/// provider's execution strategy, so a deadlock or serialization failure repeats the whole unit (decision 24).
/// </summary>
public abstract partial class MultiOrgDbContext
{
    public Task<T> WriteAsync<T>(Func<CancellationToken, Task<T>> unit, CancellationToken cancellationToken = default) =>
        WriteAsync(organizationId ?? throw new TenantViolationException("A write transaction needs an organization."), unit, cancellationToken);

    public Task WriteAsync(Func<CancellationToken, Task> unit, CancellationToken cancellationToken = default) =>
        WriteAsync(
            async ct =>
            {
                await unit(ct);
                return true;
            },
            cancellationToken);

    public Task<T> WriteAsync<T>(Guid organizationId, Func<CancellationToken, Task<T>> unit, CancellationToken cancellationToken = default)
    {
        var attempts = 0;

        // An audit summary set before the unit was spent by the failed attempt's save: a retry records it again.
        var summary = (auditAs, auditEvent);
        return Database.CreateExecutionStrategy().ExecuteAsync(
            async ct =>
            {
                if (attempts++ > 0)
                {
                    // A retry starts again from nothing: what the failed attempt read or added is forgotten, not saved twice.
                    ChangeTracker.Clear();
                    (auditAs, auditEvent) = summary;
                }

                await using var transaction = await BeginWriteTransactionAsync(organizationId, ct);
                var result = await unit(ct);
                await transaction.CommitAsync(ct);
                return result;
            },
            cancellationToken);
    }

    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        // An audited save reads the tail of the organization's chain and appends to it: without a transaction of the
        // caller's, it takes the organization's write lock itself, so two unrelated saves at the same instant queue
        // instead of colliding on the next sequence number.
        // PrepareSave first: it stamps new rows with the organization, which is the row to lock (an unstamped row's empty
        // id locked nothing on a server database, and two notes added at once took the same sequence number).
        PrepareSave();
        if (Database.CurrentTransaction is not null || FirstAuditedOrganization() is not { } organization)
        {
            return await SaveWithAuditAsync(acceptAllChangesOnSuccess, cancellationToken);
        }

        // One retriable unit (UnitRetrying): a retry takes the lock again, reads the chain's tail again and appends the
        // same summary again, after dropping the entries the failed attempt appended.
        var summary = (auditAs, auditEvent);
        return await Database.CreateExecutionStrategy().ExecuteAsync(
            async ct =>
            {
                (auditAs, auditEvent) = summary;
                foreach (var appended in ChangeTracker.Entries<AuditEntry>().Where(e => e.State == EntityState.Added).ToList())
                {
                    appended.State = EntityState.Detached;
                }

                await using var transaction = await BeginWriteTransactionAsync(organization, ct);
                var saved = await SaveWithAuditAsync(acceptAllChangesOnSuccess: false, ct);
                await transaction.CommitAsync(ct);
                if (acceptAllChangesOnSuccess)
                {
                    ChangeTracker.AcceptAllChanges();
                }

                return saved;
            },
            cancellationToken);
    }

    /// <summary>Appends the audit entries and saves, in the caller's transaction.</summary>
    private async Task<int> SaveWithAuditAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken)
    {
        await AppendAuditAsync(sync: false, cancellationToken);
        var renamed = RenamedUsers();
        var saved = await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        foreach (var user in renamed)
        {
            await OrganizationMembers.Where(m => m.UserId == user.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(m => m.SortEmail, SortKeys.Email(user)).SetProperty(m => m.SortName, SortKeys.Name(user)), cancellationToken);
        }

        return saved;
    }
}
