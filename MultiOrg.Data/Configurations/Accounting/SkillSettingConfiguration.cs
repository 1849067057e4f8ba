using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using MultiOrg.Domain.Accounting;

namespace MultiOrg.Data.Configurations.Accounting;

internal sealed class SkillSettingConfiguration : IEntityTypeConfiguration<SkillSetting>
{
    public void Configure(EntityTypeBuilder<SkillSetting> builder)
    {
        builder.HasKey(x => x.Id);
        builder.ToTable("SkillSettings");
        builder.Property(s => s.SkillName).HasMaxLength(100).IsRequired();
        builder.Property(s => s.Key).HasMaxLength(100).IsRequired();
        builder.Property(s => s.Value).HasMaxLength(2000).IsRequired();
        builder.HasIndex(s => new { s.OrganizationId, s.SkillName, s.Key }).IsUnique();
    }
}
