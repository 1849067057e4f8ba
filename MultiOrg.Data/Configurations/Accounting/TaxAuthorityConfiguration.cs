using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using MultiOrg.Domain.Accounting;

namespace MultiOrg.Data.Configurations.Accounting;

internal sealed class TaxAuthorityConfiguration : IEntityTypeConfiguration<TaxAuthority>
{
    public void Configure(EntityTypeBuilder<TaxAuthority> builder)
    {
        builder.HasKey(x => x.Id);
        builder.ToTable("TaxAuthorities");
        builder.Property(t => t.Name).HasMaxLength(200).IsRequired();
        builder.Property(t => t.CountryCode).HasMaxLength(2).IsRequired();
        builder.Property(t => t.Region).HasMaxLength(100);
        builder.HasIndex(t => new { t.OrganizationId, t.Name }).IsUnique();
    }
}
