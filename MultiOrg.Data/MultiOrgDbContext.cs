using System.Reflection;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.DependencyInjection;
using MultiOrg.Domain;
using MultiOrg.Domain.Audit;
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
public abstract partial class MultiOrgDbContext : IdentityDbContext<AppUser>, IMultiOrgDb, IDataProtectionKeyContext
{
    /// <summary>The name of the tenant query filter; ignore other filters by name and this one stays on.</summary>
    public const string TenantFilter = MultiOrg.Domain.Tenancy.TenantFilter.Name;

    private readonly Guid? organizationId;
    private readonly AuditActor actor;
    private (string Action, string TargetType, string TargetId, object? Details)? auditAs;

    protected MultiOrgDbContext(DbContextOptions options, TenantContext tenant)
        : base(options)
    {
        // Captured once: a context lives for one operation, and that operation stays in one organization.
        organizationId = tenant.OrganizationId;
        var impersonating = tenant.Impersonation is not null;
        actor = new AuditActor(tenant.UserId, impersonating ? tenant.UserId : null, tenant.Door, tenant.ClientIp);
        readOnly = tenant.Impersonation is { WriteEnabled: false };
    }

    /// <summary>A read-only impersonation: the last line of defence refuses any change to organization data.</summary>
    private readonly bool readOnly;

    /// <inheritdoc />
    public TimeProvider Time { get; internal set; } = TimeProvider.System;

    /// <summary>Who acted, and, during an impersonation, the support user behind it (recorded as the real actor).</summary>
    private sealed record AuditActor(string? UserId, string? RealUserId, Door Door, string? ClientIp);

    public void AuditAs(string action, string targetType, string targetId, object? details = null) =>
        auditAs = (action, targetType, targetId, details);

    public void AuditEvent(string action, string targetType, string targetId, object? details = null)
    {
        _ = organizationId ?? throw new TenantViolationException("An audited event needs an organization.");
        auditAs = (action, targetType, targetId, details);
        auditEvent = true;
    }

    private bool auditEvent;

    public Guid? OrganizationId => organizationId;

    public DbSet<Organization> Organizations => Set<Organization>();

    public DbSet<OrganizationMember> OrganizationMembers => Set<OrganizationMember>();

    public DbSet<OrganizationNote> OrganizationNotes => Set<OrganizationNote>();

    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();

    /// <summary>ASP.NET Core Data Protection's keys: shared by every server, so cookies and tokens made on one are valid on all.</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    /// <summary>
    /// Read by the tenant filter as a member of this instance, so EF sends it as a query parameter rather than
    /// baking one tenant's id into the cached query. No organization means <see cref="Guid.Empty"/>: no rows.
    /// </summary>
    protected Guid CurrentOrganizationId => organizationId ?? Guid.Empty;

    /// <summary>
    /// What Identity builds its tables from. Identity reads the schema version from the <see cref="IdentityOptions"/>
    /// of the context's application service provider (not from the <c>SchemaVersion</c> property), and these contexts
    /// are made by <see cref="MultiOrgDbProvider"/>, not by the app's container: without these options Identity fell
    /// back to version 1, which has no passkeys, so the passkey pages failed. Fixed here, the model (and so the
    /// migrations) no longer depends on who made the context.
    /// </summary>
    private static readonly IServiceProvider IdentityModelOptions = new ServiceCollection()
        .Configure<IdentityOptions>(o => o.Stores.SchemaVersion = IdentitySchemaVersions.Version3)
        .BuildServiceProvider();

    /// <summary>Read by the <see cref="BulkWriteGuard"/>, which refuses bulk writes to organization data when set.</summary>
    internal bool IsReadOnlyImpersonation => readOnly;

    /// <summary>The tables whose rows belong to an organization: what the save guard treats as organization data.</summary>
    internal HashSet<string> OrganizationTables() =>
        [.. Model.GetEntityTypes()
            .Where(t => typeof(ITenantOwned).IsAssignableFrom(t.ClrType) || t.ClrType == typeof(Organization) || t.ClrType == typeof(OrganizationMember))
            .Select(t => t.GetTableName())
            .OfType<string>()];

    protected override void OnConfiguring(DbContextOptionsBuilder optionsBuilder) =>
        optionsBuilder.AddInterceptors(BulkWriteGuard.Instance).UseApplicationServiceProvider(IdentityModelOptions);

    public Task<IDbContextTransaction> BeginWriteTransactionAsync(CancellationToken cancellationToken = default) =>
        BeginWriteTransactionAsync(organizationId ?? throw new TenantViolationException("A write transaction needs an organization."), cancellationToken);

    public abstract Task<IDbContextTransaction> BeginWriteTransactionAsync(Guid organizationId, CancellationToken cancellationToken);

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        PrepareSave();
        AppendAuditAsync(sync: true, CancellationToken.None).GetAwaiter().GetResult();
        return base.SaveChanges(acceptAllChangesOnSuccess);
    }

    private Guid? FirstAuditedOrganization() =>
        ChangeTracker.Entries()
            .Where(e => e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted)
            .Where(e => e.Entity is not AuditEntry && e.Entity is not AppUser)
            .Select(OrganizationOf)
            .FirstOrDefault(o => o is not null);

    /// <summary>People whose email or name changed: their memberships' sort keys follow (Identity's manage pages save here too).</summary>
    private List<AppUser> RenamedUsers() =>
        [.. ChangeTracker.Entries<AppUser>()
            .Where(e => e.State == EntityState.Modified
                && (e.Property(u => u.Email).IsModified || e.Property(u => u.NormalizedEmail).IsModified || e.Property(u => u.DisplayName).IsModified))
            .Select(e => e.Entity)];

    /// <summary>
    /// Adds the audit entries of this save to the same save (so to the same transaction): one per changed row, or the
    /// one summary set by <see cref="AuditAs"/>. Each entry is chained to the organization's previous one.
    /// </summary>
    private async Task AppendAuditAsync(bool sync, CancellationToken ct)
    {
        var changes = ChangeTracker.Entries()
            .Where(e => e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted)
            .Where(e => e.Entity is not AuditEntry && e.Entity is not AppUser && OrganizationOf(e) is not null)
            .ToList();
        var eventOnly = auditEvent && changes.Count == 0;
        auditEvent = false;
        if (changes.Count == 0 && !eventOnly)
        {
            auditAs = null;
            return;
        }

        var entries = new List<AuditEntry>();
        if (auditAs is { } summary)
        {
            var organization = eventOnly ? organizationId!.Value : OrganizationOf(changes.FirstOrDefault(c => c.Entity is Organization) ?? changes[0])!.Value;
            entries.Add(NewEntry(organization, summary.Action, summary.TargetType, summary.TargetId,
                System.Text.Json.JsonSerializer.Serialize(summary.Details ?? new { rows = changes.Count })));
            auditAs = null;
        }
        else
        {
            foreach (var change in changes)
            {
                var verb = change.State switch { EntityState.Added => "created", EntityState.Deleted => "deleted", _ => "updated" };
                var key = string.Join(",", change.Metadata.FindPrimaryKey()!.Properties.Select(p => change.Property(p.Name).CurrentValue));
                entries.Add(NewEntry(OrganizationOf(change)!.Value, $"{change.Metadata.ClrType.Name}.{verb}", change.Metadata.ClrType.Name, key, Describe(change)));
            }
        }

        foreach (var group in entries.GroupBy(e => e.OrganizationId))
        {
            // The one audited cross-tenant read of the data layer: the chain's tail of the organization being changed.
            var tail = AuditEntries.IgnoreQueryFilters([TenantFilter]).Where(a => a.OrganizationId == group.Key)
                .OrderByDescending(a => a.Sequence).Select(a => new { a.Sequence, a.Hash });
            var last = sync ? tail.FirstOrDefault() : await tail.FirstOrDefaultAsync(ct);
            var (sequence, previous) = last is not null ? (last.Sequence, last.Hash) : await RetentionAnchorAsync(group.Key, sync, ct);
            foreach (var entry in group)
            {
                entry.Sequence = ++sequence;
                entry.PreviousHash = previous;
                entry.Hash = AuditChain.HashOf(entry);
                previous = entry.Hash;
                AuditEntries.Add(entry);
            }
        }
    }

    /// <summary>
    /// With no entry left (retention removed them all), the chain goes on from the anchor the purge kept: the purge's
    /// own policy change in this save if there is one, else the stored one, else the chain's start.
    /// </summary>
    private async Task<(long Sequence, byte[] Hash)> RetentionAnchorAsync(Guid organization, bool sync, CancellationToken ct)
    {
        var policy = ChangeTracker.Entries<Domain.Security.SecurityPolicy>().Select(e => e.Entity).FirstOrDefault(p => p.OrganizationId == organization);
        if (policy is null)
        {
            var stored = Set<Domain.Security.SecurityPolicy>().IgnoreQueryFilters([TenantFilter]).AsNoTracking().Where(p => p.OrganizationId == organization);
            policy = sync ? stored.FirstOrDefault() : await stored.FirstOrDefaultAsync(ct);
        }

        return policy is { AuditPurgedThroughHash: { } hash } ? (policy.AuditPurgedThroughSequence, hash) : (0, AuditChain.Genesis);
    }

    private AuditEntry NewEntry(Guid organization, string action, string targetType, string targetId, string changes) => new()
    {
        OrganizationId = organization,
        OccurredAt = AuditChain.AtStoredPrecision(DateTime.UtcNow),
        ActorUserId = actor.UserId,
        RealActorUserId = actor.RealUserId,
        Door = actor.Door,
        ClientIp = actor.ClientIp,
        Action = action,
        TargetType = targetType,
        TargetId = targetId,
        Changes = changes,
        PreviousHash = AuditChain.Genesis,
        Hash = AuditChain.Genesis,
    };

    private static Guid? OrganizationOf(Microsoft.EntityFrameworkCore.ChangeTracking.EntityEntry entry) => entry.Entity switch
    {
        // Derived from the ledger in the same save; the ledger entry is the audited change.
        Domain.Billing.CreditUsageDay => null,
        // Metered use (one per API-key request or assistant tool call) is recorded by the append-only ledger itself,
        // with its actor, key or tool and idempotency key; grants, purchases, adjustments and refunds are audited.
        Domain.Billing.CreditEntry { Kind: Domain.Billing.CreditEntryKind.Usage } => null,
        Organization organization => organization.Id,
        OrganizationMember member => member.OrganizationId,
        Domain.Support.ImpersonationSession session => session.OrganizationId,
        ITenantOwned owned => owned.OrganizationId,
        _ => null,
    };

    private static readonly HashSet<string> Unaudited = ["CreatedAt", "UpdatedAt", "SecretHash", "PasswordHash", "ProtectedClientSecret", "SortEmail", "SortName"];

    /// <summary>field → [before, after]; secrets and hashes never enter the log.</summary>
    private static string Describe(Microsoft.EntityFrameworkCore.ChangeTracking.EntityEntry change)
    {
        var fields = new SortedDictionary<string, object?[]>(StringComparer.Ordinal);
        foreach (var property in change.Properties.Where(p => !Unaudited.Contains(p.Metadata.Name)))
        {
            var before = change.State == EntityState.Added ? null : property.OriginalValue;
            var after = change.State == EntityState.Deleted ? null : property.CurrentValue;
            if (change.State == EntityState.Modified && !property.IsModified)
            {
                continue;
            }

            if (before is byte[] || after is byte[])
            {
                continue;
            }

            fields[property.Metadata.Name] = [before?.ToString(), after?.ToString()];
        }

        return System.Text.Json.JsonSerializer.Serialize(fields);
    }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);

        // Version 3 would also shorten the login and token keys to 128 characters and the phone number to 256; these
        // columns keep the shape they have had since the first migration (an OpenID Connect subject may be 255).
        builder.Entity<IdentityUserLogin<string>>().Property(l => l.LoginProvider).Metadata.SetMaxLength(null);
        builder.Entity<IdentityUserLogin<string>>().Property(l => l.ProviderKey).Metadata.SetMaxLength(null);
        builder.Entity<IdentityUserToken<string>>().Property(t => t.LoginProvider).Metadata.SetMaxLength(null);
        builder.Entity<IdentityUserToken<string>>().Property(t => t.Name).Metadata.SetMaxLength(null);
        builder.Entity<AppUser>().Property(u => u.PhoneNumber).Metadata.SetMaxLength(null);
        builder.ApplyConfigurationsFromAssembly(typeof(MultiOrgDbContext).Assembly);

        // The assistant connections' authorization server (OpenIddict): its clients, grants and tokens (decision 0020).
        builder.UseOpenIddict();

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
        // The audit log outlives its organization (kept for the minimum retention, readable by support): no key, no cascade.
        if (typeof(TEntity) != typeof(AuditEntry))
        {
            builder.Entity<TEntity>().HasOne<Organization>().WithMany()
                .HasForeignKey(nameof(ITenantOwned.OrganizationId)).OnDelete(DeleteBehavior.Cascade);
        }
    }

    private void PrepareSave()
    {
        var now = DateTime.UtcNow;
        foreach (var entry in ChangeTracker.Entries())
        {
            if (entry.Entity is AuditEntry && entry.State is EntityState.Modified or EntityState.Deleted)
            {
                throw new TenantViolationException("Audit entries are append-only.");
            }

            if (entry.Entity is Domain.Billing.StatementLine or Domain.Billing.StatementPayment && entry.State is EntityState.Modified or EntityState.Deleted
                || entry.Entity is Domain.Billing.Statement && (entry.State == EntityState.Deleted
                    || entry.State == EntityState.Modified && entry.Properties.Any(p => p.IsModified && !Domain.Billing.Statement.PaymentFields.Contains(p.Metadata.Name))))
            {
                throw new TenantViolationException("Statements are immutable once issued; only a recorded payment may be added.");
            }

            if (readOnly && entry.State is EntityState.Added or EntityState.Modified or EntityState.Deleted
                && entry.Entity is not Domain.Support.ImpersonationSession && OrganizationOf(entry) is not null)
            {
                throw new Domain.Errors.DomainException(Domain.Errors.DomainErrorKind.Forbidden, Domain.Errors.DomainMessages.ReadOnlyImpersonation);
            }

            if (entry.Entity is ITenantOwned owned)
            {
                GuardTenant(entry.State, owned, entry.Property(nameof(ITenantOwned.OrganizationId)).OriginalValue as Guid?);
            }

            if (entry is { State: EntityState.Added, Entity: AppUser { CreatedAt.Ticks: 0 } person })
            {
                person.CreatedAt = now;
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
