using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using MultiOrg.Domain.Billing;

namespace MultiOrg.Data.Configurations;

internal sealed class SubscriptionConfiguration : IEntityTypeConfiguration<Subscription>
{
    public void Configure(EntityTypeBuilder<Subscription> builder)
    {
        builder.ToTable("Subscriptions");
        builder.HasKey(s => s.Id);
        builder.HasIndex(s => s.OrganizationId).IsUnique();
        builder.Property(s => s.PlanCode).HasMaxLength(32).IsRequired();
        builder.Property(s => s.PendingPlanCode).HasMaxLength(32);
        builder.Property(s => s.Status).HasConversion<string>().HasMaxLength(16);
    }
}

internal sealed class CreditEntryConfiguration : IEntityTypeConfiguration<CreditEntry>
{
    public void Configure(EntityTypeBuilder<CreditEntry> builder)
    {
        builder.ToTable("CreditEntries");
        builder.HasKey(e => e.Id);

        // The ledger's order and its replay guard, both per organization.
        builder.HasIndex(e => new { e.OrganizationId, e.Sequence }).IsUnique();
        builder.HasIndex(e => new { e.OrganizationId, e.IdempotencyKey }).IsUnique();
        builder.HasIndex(e => new { e.OrganizationId, e.Kind, e.OccurredAt });
        builder.Property(e => e.Kind).HasConversion<string>().HasMaxLength(16);
        builder.Property(e => e.Reason).HasMaxLength(CreditEntry.ReasonMaxLength).IsRequired();
        builder.Property(e => e.UsageKind).HasMaxLength(32);
        builder.Property(e => e.UsageSource).HasMaxLength(100);
        builder.Property(e => e.ActorUserId).HasMaxLength(450);
        builder.Property(e => e.IdempotencyKey).HasMaxLength(120).IsRequired();
    }
}

internal sealed class BillingChargeConfiguration : IEntityTypeConfiguration<BillingCharge>
{
    public void Configure(EntityTypeBuilder<BillingCharge> builder)
    {
        builder.ToTable("BillingCharges");
        builder.HasKey(c => c.Id);
        builder.HasIndex(c => new { c.OrganizationId, c.PeriodStart });
        builder.Property(c => c.Kind).HasConversion<string>().HasMaxLength(16);
        builder.Property(c => c.Amount).HasPrecision(18, 2);
        builder.Property(c => c.Currency).HasMaxLength(3).IsRequired();
        builder.Property(c => c.Description).HasMaxLength(300).IsRequired();
        builder.Property(c => c.ActorUserId).HasMaxLength(450);
    }
}
