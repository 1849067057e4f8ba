using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using MultiOrg.Domain.Branding;

namespace MultiOrg.Data.Configurations;

internal sealed class OrganizationBrandingConfiguration : IEntityTypeConfiguration<OrganizationBranding>
{
    public void Configure(EntityTypeBuilder<OrganizationBranding> builder)
    {
        builder.ToTable("OrganizationBrandings");
        builder.HasKey(b => b.Id);
        builder.HasIndex(b => b.OrganizationId).IsUnique();
        builder.Property(b => b.Logo).HasMaxLength(OrganizationBranding.MaxLogoBytes);
        builder.Property(b => b.LogoContentType).HasMaxLength(32);
        builder.Property(b => b.PrimaryColor).HasMaxLength(7);
        builder.Property(b => b.InvitationSubject).HasMaxLength(OrganizationBranding.SubjectMaxLength);
        builder.Property(b => b.InvitationBody).HasMaxLength(OrganizationBranding.BodyMaxLength);
    }
}
