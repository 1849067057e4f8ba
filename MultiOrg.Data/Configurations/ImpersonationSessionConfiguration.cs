using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using MultiOrg.Domain.Organizations;
using MultiOrg.Domain.Support;
using MultiOrg.Domain.Users;

namespace MultiOrg.Data.Configurations;

internal sealed class ImpersonationSessionConfiguration : IEntityTypeConfiguration<ImpersonationSession>
{
    public void Configure(EntityTypeBuilder<ImpersonationSession> builder)
    {
        builder.ToTable("ImpersonationSessions");
        builder.HasKey(s => s.Id);
        builder.Property(s => s.SupportUserId).HasMaxLength(450).IsRequired();
        builder.Property(s => s.Reason).HasMaxLength(ImpersonationSession.ReasonMaxLength).IsRequired();
        builder.Property(s => s.WriteReason).HasMaxLength(ImpersonationSession.ReasonMaxLength);
        builder.Property(s => s.EndedBy).HasMaxLength(32);
        builder.HasIndex(s => new { s.SupportUserId, s.EndedAt });
        builder.HasOne<AppUser>().WithMany().HasForeignKey(s => s.SupportUserId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Organization>().WithMany().HasForeignKey(s => s.OrganizationId).OnDelete(DeleteBehavior.Cascade);
    }
}
