using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using MultiOrg.Domain.Accounting;

namespace MultiOrg.Data.Configurations.Accounting;

internal sealed class WorkflowStepConfiguration : IEntityTypeConfiguration<WorkflowStep>
{
    public void Configure(EntityTypeBuilder<WorkflowStep> builder)
    {
        builder.HasKey(x => x.Id);
        builder.ToTable("WorkflowSteps");
        builder.Property(s => s.Name).HasMaxLength(200).IsRequired();
        builder.HasIndex(s => new { s.WorkflowDefinitionId, s.Sequence });
        builder.HasOne<WorkflowStep>().WithMany().HasForeignKey(s => s.ParentStepId).OnDelete(DeleteBehavior.NoAction);
        builder.HasMany(s => s.Conditions).WithOne().HasForeignKey(c => c.WorkflowStepId).OnDelete(DeleteBehavior.NoAction);
    }
}
