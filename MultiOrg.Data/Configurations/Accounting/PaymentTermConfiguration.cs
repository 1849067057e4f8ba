using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using MultiOrg.Domain.Accounting;

namespace MultiOrg.Data.Configurations.Accounting;

internal sealed class PaymentTermConfiguration : IEntityTypeConfiguration<PaymentTerm>
{
    public void Configure(EntityTypeBuilder<PaymentTerm> builder)
    {
        builder.HasKey(x => x.Id);
        builder.ToTable("PaymentTerms");
        builder.Property(p => p.Code).HasMaxLength(20).IsRequired();
        builder.Property(p => p.Name).HasMaxLength(200).IsRequired();
        builder.Property(p => p.DiscountPercent).HasPrecision(9, 4);
        builder.HasIndex(p => new { p.OrganizationId, p.Code }).IsUnique();
    }
}
