using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using MultiOrg.Domain.Accounting;

namespace MultiOrg.Data.Configurations.Accounting;

internal sealed class SkillFileConfiguration : IEntityTypeConfiguration<SkillFile>
{
    public void Configure(EntityTypeBuilder<SkillFile> builder)
    {
        builder.HasKey(x => x.Id);
        builder.ToTable("SkillFiles");
        builder.Property(s => s.Path).HasMaxLength(300).IsRequired();
        builder.HasIndex(s => new { s.OrganizationId, s.Path }).IsUnique();
    }
}
