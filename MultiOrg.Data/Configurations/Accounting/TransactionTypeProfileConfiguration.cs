using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using MultiOrg.Domain.Accounting;

namespace MultiOrg.Data.Configurations.Accounting;

internal sealed class TransactionTypeProfileConfiguration : IEntityTypeConfiguration<TransactionTypeProfile>
{
    public void Configure(EntityTypeBuilder<TransactionTypeProfile> builder)
    {
        builder.HasKey(x => x.Id);
        builder.ToTable("TransactionTypeProfiles");
        builder.Property(t => t.Name).HasMaxLength(200).IsRequired();
        builder.Property(t => t.TransactionType).HasMaxLength(100).IsRequired();
        builder.HasIndex(t => new { t.LegalEntityId, t.Name, t.TransactionType }).IsUnique();
        builder.HasOne<LegalEntity>().WithMany().HasForeignKey(t => t.LegalEntityId).OnDelete(DeleteBehavior.NoAction);
    }
}
