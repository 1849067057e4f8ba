using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using MultiOrg.Domain.Security;

namespace MultiOrg.Data.Configurations;

internal sealed class SecurityPolicyConfiguration : IEntityTypeConfiguration<SecurityPolicy>
{
    public void Configure(EntityTypeBuilder<SecurityPolicy> builder)
    {
        builder.ToTable("SecurityPolicies");
        builder.HasKey(p => p.OrganizationId);
        builder.Property(p => p.IpAllowList).HasMaxLength(SecurityPolicy.MaxAllowListEntries * 50).IsRequired();
        builder.Property(p => p.AuditPurgedThroughHash).HasMaxLength(32);
        builder.Ignore(p => p.AllowedNetworks);
    }
}
