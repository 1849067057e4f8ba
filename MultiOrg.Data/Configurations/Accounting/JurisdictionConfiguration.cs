using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using MultiOrg.Domain.Accounting;

namespace MultiOrg.Data.Configurations.Accounting;

internal sealed class JurisdictionConfiguration : IEntityTypeConfiguration<Jurisdiction>
{
    public void Configure(EntityTypeBuilder<Jurisdiction> builder)
    {
        builder.HasKey(x => x.Id);
        builder.ToTable("Jurisdictions");
        builder.Property(j => j.Code).HasMaxLength(20).IsRequired();
        builder.Property(j => j.Name).HasMaxLength(200).IsRequired();
        builder.Property(j => j.Kind).HasConversion<string>().HasMaxLength(16);
        builder.Property(j => j.CountryCode).HasMaxLength(2).IsRequired();
        builder.Property(j => j.Region).HasMaxLength(100);
        builder.HasIndex(j => new { j.OrganizationId, j.Kind, j.Code }).IsUnique();
    }
}
