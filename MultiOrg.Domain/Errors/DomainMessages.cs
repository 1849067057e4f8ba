namespace MultiOrg.Domain.Errors;

/// <summary>The exact messages the design document promises; tests and clients rely on their wording.</summary>
public static class DomainMessages
{
    public const string NoAccess = "You don't have access to this organization";
    public const string UserNotFound = "User not found. They must create an account first.";
    public const string TransferOwnership = "Transfer ownership before leaving";
    public const string AlreadyMember = "That person is already a member of this organization.";
    public const string MemberNotFound = "That person is not a member of this organization.";
    public const string OnlyOwnerRemovesOwner = "Only an owner can remove an owner.";
    public const string BulkLeavesNoOwner = "This change would leave the organization without an owner. Keep at least one OWNER; nothing was changed.";
    public const string BulkRemoveSelf = "You cannot remove yourself; use Leave instead.";
}
