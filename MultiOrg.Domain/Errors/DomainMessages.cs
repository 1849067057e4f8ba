namespace MultiOrg.Domain.Errors;

/// <summary>The exact messages the design document promises; tests and clients rely on their wording.</summary>
public static class DomainMessages
{
    public const string NoAccess = "You don't have access to this organization";
    public const string UserNotFound = "User not found. They must create an account first.";
    public const string TransferOwnership = "Transfer ownership before leaving";
    public const string AlreadyMember = "That person is already a member of this organization.";
    public const string MemberNotFound = "That person is not a member of this organization.";
    public const string EmailNotConfirmed = "That person has not confirmed their email address yet. Invite them instead.";
    public const string OnlyOwnersGiveHigherRoles = "Only owners can add a member as owner or admin.";
    public const string InvitationNotFound = "Invitation not found.";
    public const string InvitationUnusable = "This invitation was already used, declined or revoked, or it has expired.";
    public const string OnlyOwnerRemovesOwner = "Only an owner can remove an owner.";
}
