using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using MultiOrg.Domain.Mail;

namespace MultiOrg.Data.Configurations;

internal sealed class OutboxMailConfiguration : IEntityTypeConfiguration<OutboxMail>
{
    public void Configure(EntityTypeBuilder<OutboxMail> builder)
    {
        builder.ToTable("OutboxMails");
        builder.HasKey(m => m.Id);
        builder.Property(m => m.Kind).HasMaxLength(OutboxMail.KindMaxLength).IsRequired();
        builder.Property(m => m.Recipient).HasMaxLength(OutboxMail.RecipientMaxLength).IsRequired();
        builder.Property(m => m.ClaimedBy).HasMaxLength(OutboxMail.ClaimMaxLength);
        builder.Property(m => m.LastError).HasMaxLength(OutboxMail.ErrorMaxLength);

        // The job's question: what is unsent, not given up, and due.
        builder.HasIndex(m => new { m.SentAt, m.FailedAt, m.NextAttemptAt });
        builder.HasIndex(m => m.OrganizationId);
    }
}
