namespace MultiOrg.Domain.Events;

/// <summary>What changed, in a way that open circuits (on this server or another) must react to.</summary>
public enum OrganizationEventKind
{
    /// <summary><see cref="OrganizationEvent.UserId"/> is no longer a member (removed, or left in another tab).</summary>
    MemberRemoved,

    /// <summary><see cref="OrganizationEvent.UserId"/>'s role in the organization changed.</summary>
    RoleChanged,

    /// <summary>The organization is gone, with every membership.</summary>
    OrganizationDeleted,

    /// <summary><see cref="OrganizationEvent.UserId"/> was signed out of every browser (security stamp changed, sessions ended).</summary>
    SignedOutEverywhere,

    /// <summary>The impersonation <see cref="OrganizationEvent.ImpersonationSessionId"/> of support user <see cref="OrganizationEvent.UserId"/> ended.</summary>
    ImpersonationEnded,

    /// <summary>The organization's security policy changed (allow-list, two-factor, idle timeout…).</summary>
    PolicyChanged,

    /// <summary>
    /// Not a change: this server's link to the other servers was down and is back, so it may have missed their events.
    /// Every circuit re-checks its organization against the database. Delivered locally only, never published.
    /// </summary>
    EventsInterrupted,
}

/// <summary>
/// One committed change that other circuits must see. It carries ids only, never names or secrets: a receiver re-reads
/// whatever it needs from the database under its own tenant.
/// </summary>
public sealed record OrganizationEvent(
    OrganizationEventKind Kind,
    Guid OrganizationId,
    string? UserId = null,
    Guid? ImpersonationSessionId = null)
{
    public Guid Id { get; init; } = Guid.CreateVersion7();

    /// <summary>When it was published (for the time an event takes to reach a circuit on another server).</summary>
    public DateTimeOffset PublishedAt { get; init; } = DateTimeOffset.UtcNow;

    /// <summary>
    /// Whether a circuit of <paramref name="userId"/> that is in <paramref name="currentOrganizationId"/> must react: an
    /// organization-wide change concerns everyone inside it, a change about one person concerns that person's tabs.
    /// </summary>
    public bool Concerns(string? userId, Guid? currentOrganizationId) => Kind switch
    {
        OrganizationEventKind.OrganizationDeleted or OrganizationEventKind.PolicyChanged => currentOrganizationId == OrganizationId,
        OrganizationEventKind.EventsInterrupted => true,
        _ => userId is not null && userId == UserId,
    };
}
