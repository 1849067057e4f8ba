using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MultiOrg.Data.Configurations;

internal sealed class FeatureSwitchConfiguration : IEntityTypeConfiguration<MultiOrg.Domain.FeatureSwitches.FeatureSwitch>
{
    public void Configure(EntityTypeBuilder<MultiOrg.Domain.FeatureSwitches.FeatureSwitch> builder)
    {
        builder.ToTable("FeatureSwitches");
        builder.HasKey(s => s.Id);
        builder.HasIndex(s => new { s.OrganizationId, s.Feature }).IsUnique();
        builder.Property(s => s.Feature).HasConversion<string>().HasMaxLength(32);
    }
}
