using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using MultiOrg.Domain.Joining;

namespace MultiOrg.Data.Configurations;

internal sealed class VerifiedDomainConfiguration : IEntityTypeConfiguration<VerifiedDomain>
{
    public void Configure(EntityTypeBuilder<VerifiedDomain> builder)
    {
        builder.ToTable("VerifiedDomains");
        builder.HasKey(d => d.Id);
        builder.Property(d => d.Domain).HasMaxLength(VerifiedDomain.DomainMaxLength).IsRequired();
        builder.Property(d => d.VerifiedByUserId).HasMaxLength(450).IsRequired();
        builder.Property(d => d.Method).HasMaxLength(16).IsRequired();
        builder.HasIndex(d => new { d.OrganizationId, d.Domain }).IsUnique();

        // Confirming an address looks up its domain across organizations.
        builder.HasIndex(d => d.Domain);
    }
}
