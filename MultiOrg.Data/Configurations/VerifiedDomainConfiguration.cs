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
        builder.Property(d => d.DnsToken).HasMaxLength(VerifiedDomain.DnsTokenMaxLength);
        builder.Property(d => d.DnsVerifiedDomain).HasMaxLength(VerifiedDomain.DomainMaxLength);
        builder.Ignore(d => d.IsDnsVerified);
        builder.Ignore(d => d.DnsRecord);

        // One organization at most proves a domain by DNS (SQL Server filters out the NULLs, SQLite never matches them).
        builder.HasIndex(d => d.DnsVerifiedDomain).IsUnique();

        // Confirming an address looks up its domain across organizations.
        builder.HasIndex(d => d.Domain);
    }
}
