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

    Task<int> SaveChangesAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Starts a transaction that holds the write lock for <paramref name="organizationId"/> before it reads, so a
    /// read-then-write rule (the last owner) holds when two requests race.
    /// </summary>
    Task<IDbContextTransaction> BeginWriteTransactionAsync(Guid organizationId, CancellationToken cancellationToken = default);
}

/// <summary>Hands out DbContexts bound to the caller's <see cref="Tenancy.TenantContext"/>. Scoped, never a singleton.</summary>
public interface IMultiOrgDbFactory
{
    IMultiOrgDb Create();
}
