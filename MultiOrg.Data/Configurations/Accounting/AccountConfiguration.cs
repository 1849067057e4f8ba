using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using MultiOrg.Domain.Accounting;

namespace MultiOrg.Data.Configurations.Accounting;

internal sealed class AccountConfiguration : IEntityTypeConfiguration<Account>
{
    public void Configure(EntityTypeBuilder<Account> builder)
    {
        builder.HasKey(x => x.Id);
        builder.ToTable("Accounts");
        builder.Property(a => a.Number).HasMaxLength(Account.NumberMaxLength).IsRequired();
        builder.Property(a => a.Name).HasMaxLength(Account.NameMaxLength).IsRequired();
        builder.Property(a => a.Type).HasConversion<string>().HasMaxLength(16);
        builder.HasIndex(a => new { a.OrganizationId, a.Number }).IsUnique();
        builder.HasOne<Account>().WithMany().HasForeignKey(a => a.ParentAccountId).OnDelete(DeleteBehavior.NoAction);
    }
}
