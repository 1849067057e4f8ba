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
        builder.Property(c => c.Protocol).HasConversion<string>().HasMaxLength(16).HasDefaultValue(SsoProtocol.OpenIdConnect);
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

internal sealed class SamlProviderConfiguration : IEntityTypeConfiguration<SamlProvider>
{
    public void Configure(EntityTypeBuilder<SamlProvider> builder)
    {
        builder.ToTable("SamlProviders");
        builder.HasKey(p => p.OrganizationId);
        builder.Property(p => p.IdpEntityId).HasMaxLength(SamlProvider.EntityIdMaxLength).IsRequired();
        builder.Property(p => p.IdpSsoUrl).HasMaxLength(SamlProvider.UrlMaxLength).IsRequired();
        builder.Property(p => p.IdpCertificate).HasMaxLength(SamlProvider.CertificateMaxLength).IsRequired();
        builder.Property(p => p.MetadataUrl).HasMaxLength(SamlProvider.UrlMaxLength);
        builder.Property(p => p.EmailAttribute).HasMaxLength(SamlProvider.AttributeMaxLength);
        builder.Property(p => p.NameAttribute).HasMaxLength(SamlProvider.AttributeMaxLength);

        // Data Protection's payload of a PKCS#12 file holding one 2048-bit key and its certificate, base64 twice.
        builder.Property(p => p.ProtectedSpKey).HasMaxLength(12000).IsRequired();
        builder.Property(p => p.SpCertificate).HasMaxLength(SamlProvider.CertificateMaxLength).IsRequired();
    }
}

internal sealed class SamlMessageIdConfiguration : IEntityTypeConfiguration<SamlMessageId>
{
    public void Configure(EntityTypeBuilder<SamlMessageId> builder)
    {
        builder.ToTable("SamlMessageIds");
        builder.HasKey(m => m.Key);
        builder.Property(m => m.Key).HasMaxLength(SamlMessageId.KeyMaxLength);
        builder.HasIndex(m => m.ExpiresAt);
    }
}
