using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using MultiOrg.Domain.Accounting;

namespace MultiOrg.Data.Configurations.Accounting;

internal sealed class PostingProfileConfiguration : IEntityTypeConfiguration<PostingProfile>
{
    public void Configure(EntityTypeBuilder<PostingProfile> builder)
    {
        builder.HasKey(x => x.Id);
        builder.ToTable("PostingProfiles");
        builder.Property(p => p.Name).HasMaxLength(200).IsRequired();
        builder.HasIndex(p => new { p.LegalEntityId, p.Name }).IsUnique();

        // NoAction: the organization's cascade already removes these rows; SQL Server refuses a second cascade path.
        builder.HasOne<LegalEntity>().WithMany().HasForeignKey(p => p.LegalEntityId).OnDelete(DeleteBehavior.NoAction);
        builder.HasOne<Account>().WithMany().HasForeignKey(p => p.DebitAccountId).OnDelete(DeleteBehavior.NoAction);
        builder.HasOne<Account>().WithMany().HasForeignKey(p => p.CreditAccountId).OnDelete(DeleteBehavior.NoAction);
    }
}
