using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using MultiOrg.Domain.Accounting;

namespace MultiOrg.Data.Configurations.Accounting;

internal sealed class WorkflowDefinitionConfiguration : IEntityTypeConfiguration<WorkflowDefinition>
{
    public void Configure(EntityTypeBuilder<WorkflowDefinition> builder)
    {
        builder.HasKey(x => x.Id);
        builder.ToTable("WorkflowDefinitions");
        builder.Property(w => w.Name).HasMaxLength(200).IsRequired();
        builder.HasIndex(w => new { w.LegalEntityId, w.Name }).IsUnique();
        builder.HasOne<LegalEntity>().WithMany().HasForeignKey(w => w.LegalEntityId).OnDelete(DeleteBehavior.NoAction);
        builder.HasMany(w => w.Steps).WithOne().HasForeignKey(s => s.WorkflowDefinitionId).OnDelete(DeleteBehavior.NoAction);
    }
}
