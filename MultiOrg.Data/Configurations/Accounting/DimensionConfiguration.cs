using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using MultiOrg.Domain.Accounting;

namespace MultiOrg.Data.Configurations.Accounting;

internal sealed class DimensionConfiguration : IEntityTypeConfiguration<Dimension>
{
    public void Configure(EntityTypeBuilder<Dimension> builder)
    {
        builder.HasKey(x => x.Id);
        builder.ToTable("Dimensions");
        builder.Property(d => d.Code).HasMaxLength(20).IsRequired();
        builder.Property(d => d.Name).HasMaxLength(200).IsRequired();
        builder.HasIndex(d => new { d.OrganizationId, d.Code }).IsUnique();
    }
}
