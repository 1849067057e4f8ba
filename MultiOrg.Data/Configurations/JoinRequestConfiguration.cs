using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using MultiOrg.Domain.Joining;
using MultiOrg.Domain.Users;

namespace MultiOrg.Data.Configurations;

internal sealed class JoinRequestConfiguration : IEntityTypeConfiguration<JoinRequest>
{
    public void Configure(EntityTypeBuilder<JoinRequest> builder)
    {
        builder.ToTable("JoinRequests");
        builder.HasKey(r => r.Id);
        builder.Property(r => r.UserId).HasMaxLength(450).IsRequired();
        builder.Property(r => r.Email).HasMaxLength(256).IsRequired();
        builder.Property(r => r.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(r => r.DecidedByUserId).HasMaxLength(450);

        // One request per person and organization: a rejected person does not file again by confirming again.
        builder.HasIndex(r => new { r.OrganizationId, r.UserId }).IsUnique();
        builder.HasIndex(r => r.UserId);
        builder.HasOne<AppUser>().WithMany().HasForeignKey(r => r.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
