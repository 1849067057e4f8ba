using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using MultiOrg.Domain.Accounting;

namespace MultiOrg.Data.Configurations.Accounting;

internal sealed class TaxCodeConfiguration : IEntityTypeConfiguration<TaxCode>
{
    public void Configure(EntityTypeBuilder<TaxCode> builder)
    {
        builder.HasKey(x => x.Id);
        builder.ToTable("TaxCodes");
        builder.Property(t => t.Code).HasMaxLength(TaxCode.CodeMaxLength).IsRequired();
        builder.Property(t => t.Name).HasMaxLength(200).IsRequired();
        builder.Property(t => t.RatePercent).HasPrecision(9, 4);
        builder.Property(t => t.Direction).HasConversion<string>().HasMaxLength(16);
        builder.HasIndex(t => new { t.OrganizationId, t.Code }).IsUnique();
        builder.HasOne<TaxAuthority>().WithMany().HasForeignKey(t => t.TaxAuthorityId).OnDelete(DeleteBehavior.NoAction);
    }
}
