using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using MultiOrg.Domain.Accounting;

namespace MultiOrg.Data.Configurations.Accounting;

internal sealed class AgentConfigurationConfiguration : IEntityTypeConfiguration<AgentConfiguration>
{
    public void Configure(EntityTypeBuilder<AgentConfiguration> builder)
    {
        builder.HasKey(x => x.Id);
        builder.ToTable("AgentConfigurations");
        builder.Property(a => a.AgentKey).HasMaxLength(100).IsRequired();
        builder.Property(a => a.Name).HasMaxLength(200).IsRequired();
        builder.HasIndex(a => new { a.OrganizationId, a.AgentKey }).IsUnique();
    }
}
