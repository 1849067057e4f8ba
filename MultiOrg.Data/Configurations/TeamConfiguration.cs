using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using MultiOrg.Domain.Teams;
using MultiOrg.Domain.Users;

namespace MultiOrg.Data.Configurations;

internal sealed class DepartmentConfiguration : IEntityTypeConfiguration<Department>
{
    public void Configure(EntityTypeBuilder<Department> builder)
    {
        builder.ToTable("Departments");
        builder.HasKey(d => d.Id);
        builder.Property(d => d.Name).HasMaxLength(Department.NameMaxLength).IsRequired();
        builder.HasIndex(d => new { d.OrganizationId, d.ParentDepartmentId });

        // NoAction: the team service moves children up before it deletes a department (SQL Server refuses cascade cycles).
        builder.HasOne<Department>().WithMany().HasForeignKey(d => d.ParentDepartmentId).OnDelete(DeleteBehavior.NoAction);
    }
}

internal sealed class TeamConfiguration : IEntityTypeConfiguration<Team>
{
    public void Configure(EntityTypeBuilder<Team> builder)
    {
        builder.ToTable("Teams");
        builder.HasKey(t => t.Id);
        builder.Property(t => t.Name).HasMaxLength(Team.NameMaxLength).IsRequired();
        builder.HasIndex(t => new { t.OrganizationId, t.DepartmentId });
        builder.HasOne(t => t.Department).WithMany().HasForeignKey(t => t.DepartmentId).OnDelete(DeleteBehavior.NoAction);
    }
}

internal sealed class TeamMemberConfiguration : IEntityTypeConfiguration<TeamMember>
{
    public void Configure(EntityTypeBuilder<TeamMember> builder)
    {
        builder.ToTable("TeamMembers");
        builder.HasKey(t => t.Id);
        builder.Property(t => t.UserId).HasMaxLength(450).IsRequired();
        builder.HasIndex(t => new { t.TeamId, t.UserId }).IsUnique();
        builder.HasIndex(t => new { t.OrganizationId, t.UserId });

        // The dashboard's members-per-team count groups the organization's places by team.
        builder.HasIndex(t => new { t.OrganizationId, t.TeamId });
        builder.HasOne(t => t.Team).WithMany().HasForeignKey(t => t.TeamId).OnDelete(DeleteBehavior.NoAction);
        builder.HasOne<AppUser>().WithMany().HasForeignKey(t => t.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class DepartmentAdminConfiguration : IEntityTypeConfiguration<DepartmentAdmin>
{
    public void Configure(EntityTypeBuilder<DepartmentAdmin> builder)
    {
        builder.ToTable("DepartmentAdmins");
        builder.HasKey(a => a.Id);
        builder.Property(a => a.UserId).HasMaxLength(450).IsRequired();
        builder.HasIndex(a => new { a.DepartmentId, a.UserId }).IsUnique();
        builder.HasIndex(a => new { a.OrganizationId, a.UserId });
        builder.HasOne<Department>().WithMany().HasForeignKey(a => a.DepartmentId).OnDelete(DeleteBehavior.NoAction);
        builder.HasOne<AppUser>().WithMany().HasForeignKey(a => a.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
