using System.Reflection;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using MultiOrg.Domain;
using MultiOrg.Domain.Notes;
using MultiOrg.Domain.Organizations;
using MultiOrg.Domain.Tenancy;
using MultiOrg.Domain.Users;

namespace MultiOrg.Data;

/// <summary>
/// Identity and the domain in one context. Every <see cref="ITenantOwned"/> type gets the named tenant filter,
/// and saves are guarded so no row of another organization is written. Each provider has its own subclass,
/// which owns that provider's migrations.
/// </summary>
public abstract class MultiOrgDbContext : IdentityDbContext<AppUser>, IMultiOrgDb
{
    /// <summary>The name of the tenant query filter; ignore other filters by name and this one stays on.</summary>
    public const string TenantFilter = MultiOrg.Domain.Tenancy.TenantFilter.Name;

    private readonly Guid? organizationId;

    protected MultiOrgDbContext(DbContextOptions options, TenantContext tenant)
        : base(options)
    {
        // Captured once: a context lives for one operation, and that operation stays in one organization.
        organizationId = tenant.OrganizationId;
    }

    public Guid? OrganizationId => organizationId;

    public DbSet<Organization> Organizations => Set<Organization>();

    public DbSet<OrganizationMember> OrganizationMembers => Set<OrganizationMember>();

    public DbSet<OrganizationNote> OrganizationNotes => Set<OrganizationNote>();

    /// <summary>
    /// Read by the tenant filter as a member of this instance, so EF sends it as a query parameter rather than
    /// baking one tenant's id into the cached query. No organization means <see cref="Guid.Empty"/>: no rows.
    /// </summary>
    protected Guid CurrentOrganizationId => organizationId ?? Guid.Empty;

    protected override Version SchemaVersion => IdentitySchemaVersions.Version3;

    public Task<IDbContextTransaction> BeginWriteTransactionAsync(CancellationToken cancellationToken = default) =>
        BeginWriteTransactionAsync(organizationId ?? throw new TenantViolationException("A write transaction needs an organization."), cancellationToken);

    protected abstract Task<IDbContextTransaction> BeginWriteTransactionAsync(Guid organizationId, CancellationToken cancellationToken);

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        PrepareSave();
        return base.SaveChanges(acceptAllChangesOnSuccess);
    }

    public override Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        PrepareSave();
        return base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
    }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(MultiOrgDbContext).Assembly);

        var apply = typeof(MultiOrgDbContext).GetMethod(nameof(ApplyTenantFilter), BindingFlags.NonPublic | BindingFlags.Instance)!;
        foreach (var entityType in builder.Model.GetEntityTypes().ToList())
        {
            if (typeof(ITenantOwned).IsAssignableFrom(entityType.ClrType) && entityType.BaseType is null)
            {
                apply.MakeGenericMethod(entityType.ClrType).Invoke(this, [builder]);
            }
        }
    }

    private void ApplyTenantFilter<TEntity>(ModelBuilder builder)
        where TEntity : class, ITenantOwned
    {
        builder.Entity<TEntity>()
            .HasQueryFilter(TenantFilter, e => EF.Property<Guid>(e, nameof(ITenantOwned.OrganizationId)) == CurrentOrganizationId);
        builder.Entity<TEntity>().HasOne<Organization>().WithMany()
            .HasForeignKey(nameof(ITenantOwned.OrganizationId)).OnDelete(DeleteBehavior.Cascade);
    }

    private void PrepareSave()
    {
        var now = DateTime.UtcNow;
        foreach (var entry in ChangeTracker.Entries())
        {
            if (entry.Entity is ITenantOwned owned)
            {
                GuardTenant(entry.State, owned, entry.Property(nameof(ITenantOwned.OrganizationId)).OriginalValue as Guid?);
            }

            if (entry.Entity is ITimestamped stamped)
            {
                if (entry.State == EntityState.Added)
                {
                    stamped.CreatedAt = now;
                    stamped.UpdatedAt = now;
                }
                else if (entry.State == EntityState.Modified)
                {
                    stamped.UpdatedAt = now;
                }
            }
        }
    }

    private void GuardTenant(EntityState state, ITenantOwned owned, Guid? originalOrganizationId)
    {
        if (state is EntityState.Unchanged or EntityState.Detached)
        {
            return;
        }

        var current = organizationId
            ?? throw new TenantViolationException($"Cannot save {owned.GetType().Name}: no organization is selected.");

        if (state == EntityState.Added)
        {
            if (owned.OrganizationId == Guid.Empty)
            {
                owned.OrganizationId = current;
            }
            else if (owned.OrganizationId != current)
            {
                throw new TenantViolationException($"Cannot add {owned.GetType().Name} to another organization.");
            }

            return;
        }

        if (originalOrganizationId != current || owned.OrganizationId != current)
        {
            throw new TenantViolationException($"Cannot change {owned.GetType().Name} of another organization.");
        }
    }
}
