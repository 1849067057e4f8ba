using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using MultiOrg.Domain.Scim;
using MultiOrg.Domain.Teams;

namespace MultiOrg.Data.Configurations;

internal sealed class ScimTokenConfiguration : IEntityTypeConfiguration<ScimToken>
{
    public void Configure(EntityTypeBuilder<ScimToken> builder)
    {
        builder.ToTable("ScimTokens");
        builder.HasKey(t => t.Id);
        builder.Property(t => t.Name).HasMaxLength(ScimToken.NameMaxLength).IsRequired();
        builder.Property(t => t.Prefix).HasMaxLength(32).IsRequired();
        builder.HasIndex(t => t.Prefix).IsUnique();
        builder.Property(t => t.SecretHash).HasMaxLength(32).IsRequired();
        builder.Property(t => t.CreatedByUserId).HasMaxLength(450).IsRequired();
        builder.HasIndex(t => t.OrganizationId);
    }
}

internal sealed class ScimUserConfiguration : IEntityTypeConfiguration<ScimUser>
{
    public void Configure(EntityTypeBuilder<ScimUser> builder)
    {
        builder.ToTable("ScimUsers");
        builder.HasKey(u => u.Id);
        builder.Property(u => u.UserId).HasMaxLength(450).IsRequired();
        builder.Property(u => u.UserName).HasMaxLength(ScimUser.TextMaxLength).IsRequired();
        builder.Property(u => u.NormalizedUserName).HasMaxLength(ScimUser.TextMaxLength).IsRequired();
        builder.Property(u => u.ExternalId).HasMaxLength(ScimUser.TextMaxLength);
        builder.Property(u => u.GivenName).HasMaxLength(ScimUser.TextMaxLength);
        builder.Property(u => u.FamilyName).HasMaxLength(ScimUser.TextMaxLength);
        builder.Property(u => u.DisplayName).HasMaxLength(ScimUser.TextMaxLength);

        // One provider record per person and per userName in an organization: a repeated create is a 409, never a second row.
        builder.HasIndex(u => new { u.OrganizationId, u.NormalizedUserName }).IsUnique();
        builder.HasIndex(u => new { u.OrganizationId, u.UserId }).IsUnique();
        builder.HasIndex(u => new { u.OrganizationId, u.ExternalId });
        builder.HasOne<Domain.Users.AppUser>().WithMany().HasForeignKey(u => u.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ScimGroupConfiguration : IEntityTypeConfiguration<ScimGroup>
{
    public void Configure(EntityTypeBuilder<ScimGroup> builder)
    {
        builder.ToTable("ScimGroups");
        builder.HasKey(g => g.Id);
        builder.Property(g => g.ExternalId).HasMaxLength(ScimUser.TextMaxLength);
        builder.HasIndex(g => g.TeamId).IsUnique();
        builder.HasIndex(g => new { g.OrganizationId, g.ExternalId });

        // NoAction: the organization's cascade reaches the row already, and SQL Server refuses a second path.
        builder.HasOne<Team>().WithMany().HasForeignKey(g => g.TeamId).OnDelete(DeleteBehavior.NoAction);
    }
}
