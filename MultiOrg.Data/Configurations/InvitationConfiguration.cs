using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using MultiOrg.Domain.Invitations;
using MultiOrg.Domain.Organizations;

namespace MultiOrg.Data.Configurations;

internal sealed class InvitationConfiguration : IEntityTypeConfiguration<Invitation>
{
    public void Configure(EntityTypeBuilder<Invitation> builder)
    {
        builder.ToTable("Invitations");
        builder.HasKey(i => i.Id);
        builder.Property(i => i.Email).HasMaxLength(Invitation.EmailMaxLength).IsRequired();
        builder.Property(i => i.NormalizedEmail).HasMaxLength(Invitation.EmailMaxLength).IsRequired();
        builder.Property(i => i.Name).HasMaxLength(Invitation.NameMaxLength);
        builder.Property(i => i.TokenHash).HasMaxLength(32).IsRequired();
        builder.HasIndex(i => i.TokenHash).IsUnique();
        builder.Property(i => i.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(i => i.InvitedByUserId).HasMaxLength(450).IsRequired();
        builder.Property(i => i.RespondedByUserId).HasMaxLength(450);
        builder.Property(i => i.Role)
            .HasConversion(r => r.ToApiName(), s => s == "OWNER" ? OrganizationRole.Owner : s == "ADMIN" ? OrganizationRole.Admin : OrganizationRole.Member)
            .HasMaxLength(16);

        // The invitee's inbox looks up by email across organizations; the admin list by organization and status.
        builder.HasIndex(i => new { i.NormalizedEmail, i.Status });
        builder.HasIndex(i => new { i.OrganizationId, i.Status, i.NormalizedEmail });
    }
}
