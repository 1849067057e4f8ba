using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using MultiOrg.Domain.Accounting;

namespace MultiOrg.Data.Configurations.Accounting;

internal sealed class WorkflowConditionConfiguration : IEntityTypeConfiguration<WorkflowCondition>
{
    public void Configure(EntityTypeBuilder<WorkflowCondition> builder)
    {
        builder.HasKey(x => x.Id);
        builder.ToTable("WorkflowConditions");
        builder.Property(c => c.Field).HasMaxLength(100).IsRequired();
        builder.Property(c => c.Operator).HasMaxLength(20).IsRequired();
        builder.Property(c => c.Value).HasMaxLength(500).IsRequired();
        builder.HasIndex(c => c.WorkflowStepId);
    }
}
