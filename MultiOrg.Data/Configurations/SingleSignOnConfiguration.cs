using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using MultiOrg.Domain.Joining;
using MultiOrg.Domain.SingleSignOn;

namespace MultiOrg.Data.Configurations;

internal sealed class SsoConnectionConfiguration : IEntityTypeConfiguration<SsoConnection>
{
    public void Configure(EntityTypeBuilder<SsoConnection> builder)
    {
        builder.ToTable("SsoConnections");
        builder.HasKey(c => c.OrganizationId);
        builder.Property(c => c.Authority).HasMaxLength(SsoConnection.AuthorityMaxLength).IsRequired();
        builder.Property(c => c.ClientId).HasMaxLength(SsoConnection.ClientIdMaxLength).IsRequired();

        // Data Protection's payload of a secret of at most 500 characters, base64url.
        builder.Property(c => c.ProtectedClientSecret).HasMaxLength(2000).IsRequired();
        builder.Property(c => c.DefaultRole).HasConversion<string>().HasMaxLength(16);
        builder.Property(c => c.BreakGlassUserId).HasMaxLength(450);
    }
}

internal sealed class SsoDomainConfiguration : IEntityTypeConfiguration<SsoDomain>
{
    public void Configure(EntityTypeBuilder<SsoDomain> builder)
    {
        builder.ToTable("SsoDomains");
        builder.HasKey(d => d.Id);
        builder.Property(d => d.Domain).HasMaxLength(VerifiedDomain.DomainMaxLength).IsRequired();

        // One provider per domain across all organizations: the sign-in page looks the domain up before anyone is inside one.
        builder.HasIndex(d => d.Domain).IsUnique();
        builder.HasIndex(d => d.OrganizationId);
    }
}
