namespace MultiOrg.Domain.Errors;

/// <summary>The exact messages the design document promises; tests and clients rely on their wording.</summary>
public static class DomainMessages
{
    /// <summary>The change is stored; only its notice mail failed (the sender logged why). A real outbox is issue #26.</summary>
    public const string SavedMailNotSent = "Saved. The mail could not be sent yet: it is queued and will be retried.";
    public const string NoAccess = "You don't have access to this organization";
    public const string UserNotFound = "User not found. They must create an account first.";
    public const string TransferOwnership = "Transfer ownership before leaving";
    public const string LastOwnerKeepsRole = "This is the last OWNER: make another member OWNER before changing this role.";
    public const string LastOwnerStays = "This is the last OWNER: make another member OWNER before removing them.";
    public const string AlreadyMember = "That person is already a member of this organization.";
    public const string MemberNotFound = "That person is not a member of this organization.";
    public const string EmailNotConfirmed = "That person has not confirmed their email address yet. Invite them instead.";
    public const string OnlyOwnersGiveHigherRoles = "Only owners can add a member as owner or admin.";
    public const string InvitationNotFound = "Invitation not found.";
    public const string InvitationUnusable = "This invitation was already used, declined or revoked, or it has expired.";
    public const string OnlyOwnerRemovesOwner = "Only an owner can remove an owner.";
    public const string OnlyOwnerSignsOutOwner = "Only an owner can sign an owner out everywhere.";
    public const string ReadOnlyImpersonation = "This impersonation is read-only: support can look but not change anything here.";
    public const string ImpersonationEnded = "The impersonation has ended. Start a new one from the support console to continue.";
    public const string NotWhileImpersonating = "Support cannot do this while impersonating: it is for the organization's own owners and admins.";
    public const string NoSecretsWhileImpersonating = "API keys cannot be created while impersonating: a key's secret is for the organization alone.";
    public const string KeysAreManagedByPeople = "API keys are managed by a signed-in person: an API key cannot create, list or revoke keys.";
    public const string OnlyOwnerRevokesOwnerKey = "Only an owner can revoke an owner's key: a key can be revoked by someone whose role is at least the key's.";
    public const string BulkLeavesNoOwner = "This change would leave the organization without an owner. Keep at least one OWNER; nothing was changed.";
    public const string BulkRemoveSelf = "You cannot remove yourself; use Leave instead.";
}
