using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using MultiOrg.Domain.Notes;

namespace MultiOrg.Data.Configurations;

internal sealed class OrganizationNoteConfiguration : IEntityTypeConfiguration<OrganizationNote>
{
    public void Configure(EntityTypeBuilder<OrganizationNote> builder)
    {
        builder.ToTable("OrganizationNotes");
        builder.HasKey(n => n.Id);
        builder.Property(n => n.Text).HasMaxLength(OrganizationNote.TextMaxLength).IsRequired();
        builder.Property(n => n.AuthorUserId).HasMaxLength(450).IsRequired();
        builder.HasIndex(n => new { n.OrganizationId, n.CreatedAt });
    }
}
