using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using MultiOrg.Domain.Organizations;

namespace MultiOrg.Data.Configurations;

internal sealed class OrganizationMemberConfiguration : IEntityTypeConfiguration<OrganizationMember>
{
    public void Configure(EntityTypeBuilder<OrganizationMember> builder)
    {
        builder.ToTable("OrganizationMembers");
        builder.HasKey(m => m.Id);
        builder.HasIndex(m => new { m.UserId, m.OrganizationId }).IsUnique();
        builder.HasIndex(m => new { m.OrganizationId, m.Role });
        builder.HasIndex(m => new { m.OrganizationId, m.CreatedAt });
        builder.HasIndex(m => new { m.OrganizationId, m.LastActiveAt });
        builder.Property(m => m.SortEmail).HasMaxLength(SortKeys.MaxLength).IsRequired();
        builder.Property(m => m.SortName).HasMaxLength(SortKeys.MaxLength).IsRequired();
        builder.HasIndex(m => new { m.OrganizationId, m.SortEmail });
        builder.HasIndex(m => new { m.OrganizationId, m.SortName, m.SortEmail });
        builder.Property(m => m.UserId).HasMaxLength(450).IsRequired();
        builder.Property(m => m.Role)
            .HasConversion(r => r.ToApiName(), s => ParseRole(s))
            .HasMaxLength(16)
            .IsRequired();
        builder.HasOne(m => m.User).WithMany().HasForeignKey(m => m.UserId).OnDelete(DeleteBehavior.Cascade);
    }

    private static OrganizationRole ParseRole(string value) => value switch
    {
        "OWNER" => OrganizationRole.Owner,
        "ADMIN" => OrganizationRole.Admin,
        _ => OrganizationRole.Member,
    };
}
