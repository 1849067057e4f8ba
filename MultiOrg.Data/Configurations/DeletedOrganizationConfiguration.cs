using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using MultiOrg.Domain.Audit;

namespace MultiOrg.Data.Configurations;

internal sealed class DeletedOrganizationConfiguration : IEntityTypeConfiguration<DeletedOrganization>
{
    public void Configure(EntityTypeBuilder<DeletedOrganization> builder)
    {
        builder.ToTable("DeletedOrganizations");
        builder.HasKey(d => d.Id);
        builder.Property(d => d.Id).ValueGeneratedNever();
        builder.Property(d => d.Name).HasMaxLength(DeletedOrganization.NameMaxLength).IsRequired();
        builder.Property(d => d.DeletedByUserId).HasMaxLength(450);
        builder.Property(d => d.AuditPurgedThroughHash).HasMaxLength(32);
        builder.Property(d => d.LastHash).HasMaxLength(32).IsRequired();
        builder.HasIndex(d => d.DeletedAt);
    }
}
