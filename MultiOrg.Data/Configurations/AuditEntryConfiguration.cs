using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using MultiOrg.Domain.Audit;

namespace MultiOrg.Data.Configurations;

internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> builder)
    {
        builder.ToTable("AuditEntries");
        builder.HasKey(a => a.Id);
        builder.HasIndex(a => new { a.OrganizationId, a.Sequence }).IsUnique();
        builder.HasIndex(a => new { a.OrganizationId, a.OccurredAt });
        builder.Property(a => a.Action).HasMaxLength(100).IsRequired();
        builder.Property(a => a.TargetType).HasMaxLength(100).IsRequired();
        builder.Property(a => a.TargetId).HasMaxLength(200).IsRequired();
        builder.Property(a => a.ActorUserId).HasMaxLength(450);
        builder.Property(a => a.RealActorUserId).HasMaxLength(450);
        builder.Property(a => a.ClientIp).HasMaxLength(64);
        builder.Property(a => a.Door).HasConversion<string>().HasMaxLength(16);
        builder.Property(a => a.PreviousHash).HasMaxLength(32).IsRequired();
        builder.Property(a => a.Hash).HasMaxLength(32).IsRequired();
    }
}
