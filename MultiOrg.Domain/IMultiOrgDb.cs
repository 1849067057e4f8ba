using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using MultiOrg.Domain.Notes;
using MultiOrg.Domain.Organizations;
using MultiOrg.Domain.Users;

namespace MultiOrg.Domain;

/// <summary>The database as the domain services see it: one short-lived unit of work per operation.</summary>
public interface IMultiOrgDb : IAsyncDisposable
{
    DbSet<Organization> Organizations { get; }

    DbSet<OrganizationMember> OrganizationMembers { get; }

    DbSet<AppUser> Users { get; }

    DbSet<OrganizationNote> OrganizationNotes { get; }

    DbSet<Audit.AuditEntry> AuditEntries { get; }

    /// <summary>Any other mapped set (accounting configuration and the like).</summary>
    DbSet<TEntity> Set<TEntity>()
        where TEntity : class;

    Task<int> SaveChangesAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Records the next save as one audit entry with this action instead of one entry per changed row (a client
    /// onboarding writes thousands of rows and is one event).
    /// </summary>
    void AuditAs(string action, string targetType, string targetId, object? details = null);

    /// <summary>
    /// Records an event in this unit of work's organization at the next save, though no row of it changes (a refresh
    /// token presented twice). The caller holds the organization's write transaction.
    /// </summary>
    void AuditEvent(string action, string targetType, string targetId, object? details = null);

    /// <summary>
    /// The organization this unit of work was created for, fixed for its whole life: a switch in the circuit while an
    /// operation runs cannot move the operation's reads, writes or permission checks to another organization.
    /// </summary>
    Guid? OrganizationId { get; }

    /// <summary>
    /// Starts a transaction that holds the write lock for this unit of work's organization before it reads, so a
    /// read-then-write rule (the last owner) holds when two requests race.
    /// </summary>
    Task<IDbContextTransaction> BeginWriteTransactionAsync(CancellationToken cancellationToken = default);

    /// <summary>The same, for a unit of work outside any organization that writes to one (support's impersonation sessions).</summary>
    Task<IDbContextTransaction> BeginWriteTransactionAsync(Guid organizationId, CancellationToken cancellationToken);

    /// <summary>
    /// Runs <paramref name="unit"/> in a write transaction of this unit of work's organization (as
    /// <see cref="BeginWriteTransactionAsync(CancellationToken)"/>) and commits it. On a server database a deadlock or
    /// serialization failure repeats the whole unit, from the lock on, with nothing tracked from the failed attempt: so
    /// everything the unit reads or changes is read inside it.
    /// </summary>
    Task<T> WriteAsync<T>(Func<CancellationToken, Task<T>> unit, CancellationToken cancellationToken = default);

    /// <summary>The same, for a unit with no result.</summary>
    Task WriteAsync(Func<CancellationToken, Task> unit, CancellationToken cancellationToken = default);

    /// <summary>The same, for a unit of work outside any organization that writes to one (support's impersonation sessions).</summary>
    Task<T> WriteAsync<T>(Guid organizationId, Func<CancellationToken, Task<T>> unit, CancellationToken cancellationToken = default);

    /// <summary>
    /// The clock of rules checked deep in a unit of work (an impersonation's time limit), where no service hands one in:
    /// the scope's <see cref="TimeProvider"/>, given by the factory that made this unit of work.
    /// </summary>
    TimeProvider Time { get; }
}

/// <summary>Hands out DbContexts bound to the caller's <see cref="Tenancy.TenantContext"/>. Scoped, never a singleton.</summary>
public interface IMultiOrgDbFactory
{
    IMultiOrgDb Create();

    /// <summary>
    /// A context bound to another tenant than the scope's: only for services that act in an organization the caller
    /// was verified to reach (client onboarding reads the source and writes the new client, each under its own tenant).
    /// </summary>
    IMultiOrgDb CreateFor(Tenancy.TenantContext tenant);
}
