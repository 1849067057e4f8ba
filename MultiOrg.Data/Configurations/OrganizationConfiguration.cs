using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using MultiOrg.Domain.Organizations;

namespace MultiOrg.Data.Configurations;

internal sealed class OrganizationConfiguration : IEntityTypeConfiguration<Organization>
{
    public void Configure(EntityTypeBuilder<Organization> builder)
    {
        builder.ToTable("Organizations");
        builder.HasKey(o => o.Id);
        builder.Property(o => o.Name).HasMaxLength(Organization.NameMaxLength).IsRequired();
        builder.Property(o => o.Kind).HasConversion<string>().HasMaxLength(16);
        builder.Property(o => o.CountryCode).HasMaxLength(2);
        builder.Property(o => o.MembershipMode).HasConversion<string>().HasMaxLength(24)
            .HasDefaultValue(MultiOrg.Domain.Joining.MembershipMode.InviteOnly).HasSentinel(MultiOrg.Domain.Joining.MembershipMode.InviteOnly);
        builder.HasIndex(o => o.PartnerOrganizationId);
        builder.Property(o => o.Visibility).HasConversion<string>().HasMaxLength(16)
            .HasDefaultValue(OrganizationVisibility.Private).HasSentinel(OrganizationVisibility.Private);
        builder.HasIndex(o => new { o.Visibility, o.Name });
        builder.Property(o => o.Type).HasConversion<string>().HasMaxLength(32);
        builder.Property(o => o.Description).HasMaxLength(Organization.DescriptionMaxLength);
        builder.Property(o => o.Website).HasMaxLength(Organization.ContactFieldMaxLength);
        builder.Property(o => o.ContactName).HasMaxLength(Organization.ContactFieldMaxLength);
        builder.Property(o => o.ContactEmail).HasMaxLength(Organization.ContactFieldMaxLength);
        builder.Property(o => o.ContactPhone).HasMaxLength(Organization.ContactFieldMaxLength);
        builder.Property(o => o.ContactAddress).HasMaxLength(Organization.AddressMaxLength);
        builder.Property(o => o.BillingContactName).HasMaxLength(Organization.ContactFieldMaxLength);
        builder.Property(o => o.BillingContactEmail).HasMaxLength(Organization.ContactFieldMaxLength);
        builder.Property(o => o.BillingContactPhone).HasMaxLength(Organization.ContactFieldMaxLength);
        builder.Property(o => o.BillingContactAddress).HasMaxLength(Organization.AddressMaxLength);

        // NoAction: a partner with clients cannot be deleted until its clients are moved or deleted.
        builder.HasOne<Organization>().WithMany().HasForeignKey(o => o.PartnerOrganizationId).OnDelete(DeleteBehavior.NoAction);
        builder.HasMany(o => o.Members).WithOne(m => m.Organization!)
            .HasForeignKey(m => m.OrganizationId).OnDelete(DeleteBehavior.Cascade);
    }
}
