using MultiOrg.Domain.Tenancy;

namespace MultiOrg.Domain.Security;

/// <summary>
/// One organization's security policies. They bind its members only while they work in this organization; a row that
/// does not exist means the defaults (nothing required, keep the audit log forever).
/// </summary>
public sealed class SecurityPolicy : ITenantOwned, ITimestamped
{
    public const int MinPasswordLength = 8;
    public const int MaxPasswordLength = 128;
    public const int MaxIdleMinutes = 24 * 60;
    public const int MaxRetentionDays = 36500;
    public const int MaxAllowListEntries = 200;

    /// <summary>Also the key: an organization has at most one policy row.</summary>
    public Guid OrganizationId { get; set; }

    public bool RequireTwoFactor { get; set; }

    /// <summary>The organization's minimum password length (the application's own minimum is 8).</summary>
    public int PasswordMinLength { get; set; } = MinPasswordLength;

    public bool PasswordRequireDigit { get; set; }

    public bool PasswordRequireUpperAndLower { get; set; }

    public bool PasswordRequireSymbol { get; set; }

    /// <summary>When the password rules last became stricter: a member whose password is older must change it to enter.</summary>
    public DateTime? PasswordRulesTightenedAt { get; set; }

    /// <summary>Minutes without activity after which a tab leaves the organization; null never times out.</summary>
    public int? IdleTimeoutMinutes { get; set; }

    /// <summary>CIDR ranges, one a line, in the form they were saved; empty allows every address.</summary>
    public string IpAllowList { get; set; } = "";

    /// <summary>Days the audit log keeps an entry; null keeps it forever.</summary>
    public int? AuditRetentionDays { get; set; }

    /// <summary>
    /// A shorter retention an owner asked for, waiting out its notice period (every owner was mailed); it replaces
    /// <see cref="AuditRetentionDays"/> at <see cref="PendingAuditRetentionAt"/> unless an owner cancels it first.
    /// </summary>
    public int? PendingAuditRetentionDays { get; set; }

    public DateTime? PendingAuditRetentionAt { get; set; }

    /// <summary>
    /// The last audit entry removed by retention and its hash: verification of the chain starts here, so a purged
    /// log still proves that nothing after it was changed or removed (docs/decisions/0012).
    /// </summary>
    public long AuditPurgedThroughSequence { get; set; }

    public byte[]? AuditPurgedThroughHash { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime UpdatedAt { get; set; }

    public IReadOnlyList<System.Net.IPNetwork> AllowedNetworks => IpAllowLists.ParseStored(IpAllowList);

    /// <summary>True when <paramref name="other"/> asks for more of a password than these rules.</summary>
    public bool PasswordRulesStricterIn(SecurityPolicy other) =>
        other.PasswordMinLength > PasswordMinLength
        || (other.PasswordRequireDigit && !PasswordRequireDigit)
        || (other.PasswordRequireUpperAndLower && !PasswordRequireUpperAndLower)
        || (other.PasswordRequireSymbol && !PasswordRequireSymbol);
}
