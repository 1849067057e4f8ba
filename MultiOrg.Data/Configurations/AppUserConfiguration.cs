using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using MultiOrg.Domain.Users;

namespace MultiOrg.Data.Configurations;

internal sealed class AppUserConfiguration : IEntityTypeConfiguration<AppUser>
{
    public void Configure(EntityTypeBuilder<AppUser> builder)
    {
        builder.Property(u => u.DisplayName).HasMaxLength(AppUser.DisplayNameMaxLength);
        builder.Property(u => u.GlobalRole).HasConversion<string>().HasMaxLength(16);
        builder.Ignore(u => u.Name);

        // Not a foreign key on purpose (design document): the organization may be deleted at any time.
        builder.HasIndex(u => u.LastOrganizationId);
    }
}
