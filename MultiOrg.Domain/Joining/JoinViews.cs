namespace MultiOrg.Domain.Joining;

/// <summary>
/// A claimed domain: <see cref="Method"/> is the confirmed-address proof (auto-join and approval); <see cref="DnsVerified"/>
/// the DNS proof (single sign-on, "SSO required"). <see cref="DnsRecord"/> is the TXT record to publish, shown to editors.
/// </summary>
public sealed record VerifiedDomainView(
    Guid Id, string Domain, string VerifiedBy, string Method, DateTime VerifiedAt,
    bool DnsVerified = false, DateTime? DnsVerifiedAt = null, string? DnsRecord = null);

/// <summary>An organization's membership mode and the domains whose people may join by themselves.</summary>
public sealed record JoinPolicyView(
    MembershipMode Mode, IReadOnlyList<VerifiedDomainView> Domains, bool CanEdit,
    Organizations.OrganizationVisibility Visibility = Organizations.OrganizationVisibility.Private);

public sealed record JoinRequestView(Guid Id, string UserId, string Name, string Email, DateTime RequestedAt);

public enum SelfJoinResult
{
    Joined,
    Requested,
}

/// <summary>What confirming an address did in one organization.</summary>
public sealed record SelfJoinOutcome(Guid OrganizationId, string OrganizationName, SelfJoinResult Result);

/// <summary>A public organization as the directory shows it to any signed-in person.</summary>
public sealed record DirectoryEntry(
    Guid Id, string Name, string? Description, Organizations.OrganizationType? Type, string? Website, MembershipMode Mode, int MemberCount, bool IsMember);

public sealed record DirectoryPage(IReadOnlyList<DirectoryEntry> Items, int Total, int Page, int PageSize);

/// <summary>How a join request was decided; <see cref="AlreadyMember"/>: the person had joined another way, nobody was added.</summary>
public sealed record JoinDecision(JoinRequestStatus Status, bool AlreadyMember);
