using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using MultiOrg.Domain.Accounting;

namespace MultiOrg.Data.Configurations.Accounting;

internal sealed class NumberSeriesConfiguration : IEntityTypeConfiguration<NumberSeries>
{
    public void Configure(EntityTypeBuilder<NumberSeries> builder)
    {
        builder.HasKey(x => x.Id);
        builder.ToTable("NumberSeries");
        builder.Property(n => n.Code).HasMaxLength(20).IsRequired();
        builder.Property(n => n.Prefix).HasMaxLength(20).IsRequired();
        builder.HasIndex(n => new { n.OrganizationId, n.Code }).IsUnique();
    }
}
