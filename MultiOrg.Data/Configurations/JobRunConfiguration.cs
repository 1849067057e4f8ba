using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MultiOrg.Data.Configurations;

internal sealed class JobRunConfiguration : IEntityTypeConfiguration<MultiOrg.Domain.Jobs.JobRun>
{
    public void Configure(EntityTypeBuilder<MultiOrg.Domain.Jobs.JobRun> builder)
    {
        builder.ToTable("JobRuns");
        builder.HasKey(r => r.Id);

        // The lease: one run per job and due time, whichever server inserts first.
        builder.HasIndex(r => new { r.Job, r.DueAt }).IsUnique();
        builder.Property(r => r.Job).HasMaxLength(MultiOrg.Domain.Jobs.JobRun.JobMaxLength).IsRequired();
        builder.Property(r => r.Holder).HasMaxLength(200).IsRequired();
        builder.Property(r => r.Outcome).HasMaxLength(MultiOrg.Domain.Jobs.JobLeases.OutcomeMaxLength);
    }
}
