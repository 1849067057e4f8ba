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

internal sealed class CreditUsageDayConfiguration : IEntityTypeConfiguration<CreditUsageDay>
{
    public void Configure(EntityTypeBuilder<CreditUsageDay> builder)
    {
        builder.ToTable("CreditUsageDays");
        builder.HasKey(d => d.Id);
        builder.HasIndex(d => new { d.OrganizationId, d.Day, d.UsageKind }).IsUnique();
        builder.Property(d => d.UsageKind).HasMaxLength(32).IsRequired();
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

internal sealed class StatementConfiguration : IEntityTypeConfiguration<Statement>
{
    public void Configure(EntityTypeBuilder<Statement> builder)
    {
        builder.ToTable("Statements");
        builder.HasKey(s => s.Id);

        // One statement per organization and period, however many servers run the close.
        builder.HasIndex(s => new { s.OrganizationId, s.PeriodStart }).IsUnique();
        builder.HasIndex(s => new { s.OrganizationId, s.Number }).IsUnique();
        builder.HasIndex(s => new { s.Status, s.DueAt });
        builder.HasIndex(s => new { s.BilledToOrganizationId, s.PeriodStart });
        builder.Property(s => s.Number).HasMaxLength(32).IsRequired();
        builder.Property(s => s.PlanCode).HasMaxLength(32).IsRequired();
        builder.Property(s => s.PlanName).HasMaxLength(100).IsRequired();
        builder.Property(s => s.Currency).HasMaxLength(3).IsRequired();
        builder.Property(s => s.Total).HasPrecision(18, 2);
        builder.Property(s => s.PaidAmount).HasPrecision(18, 2);
        builder.Property(s => s.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(s => s.PaymentReference).HasMaxLength(200);
        builder.Property(s => s.PaymentRecordedBy).HasMaxLength(450);
        builder.HasMany(s => s.Lines).WithOne().HasForeignKey(l => l.StatementId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class StatementPaymentConfiguration : IEntityTypeConfiguration<StatementPayment>
{
    public void Configure(EntityTypeBuilder<StatementPayment> builder)
    {
        builder.ToTable("StatementPayments");
        builder.HasKey(p => p.Id);
        builder.HasIndex(p => new { p.OrganizationId, p.StatementId });
        builder.HasOne<Statement>().WithMany().HasForeignKey(p => p.StatementId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(p => p.Amount).HasPrecision(18, 2);
        builder.Property(p => p.Reference).HasMaxLength(100).IsRequired();
        builder.Property(p => p.RecordedBy).HasMaxLength(450).IsRequired();
    }
}

internal sealed class StatementLineConfiguration : IEntityTypeConfiguration<StatementLine>
{
    public void Configure(EntityTypeBuilder<StatementLine> builder)
    {
        builder.ToTable("StatementLines");
        builder.HasKey(l => l.Id);
        builder.HasIndex(l => new { l.StatementId, l.Position }).IsUnique();
        builder.Property(l => l.Kind).HasConversion<string>().HasMaxLength(16);
        builder.Property(l => l.Description).HasMaxLength(300).IsRequired();
        builder.Property(l => l.Amount).HasPrecision(18, 2);
    }
}
