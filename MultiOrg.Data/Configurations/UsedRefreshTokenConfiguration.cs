using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using MultiOrg.Domain.Security;
using MultiOrg.Domain.Users;

namespace MultiOrg.Data.Configurations;

internal sealed class UsedRefreshTokenConfiguration : IEntityTypeConfiguration<UsedRefreshToken>
{
    public void Configure(EntityTypeBuilder<UsedRefreshToken> builder)
    {
        builder.ToTable("UsedRefreshTokens");
        builder.HasKey(t => t.Id);
        builder.Property(t => t.Id).HasMaxLength(UsedRefreshToken.IdMaxLength);
        builder.Property(t => t.FamilyId).HasMaxLength(UsedRefreshToken.IdMaxLength).IsRequired();
        builder.Property(t => t.UserId).HasMaxLength(450).IsRequired();
        builder.HasOne<AppUser>().WithMany().HasForeignKey(t => t.UserId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(t => t.FamilyId);
        builder.HasIndex(t => new { t.UserId, t.FamilyEndedAt });
        builder.HasIndex(t => t.KeepUntil);
    }
}
