using MultiOrg.Domain.Organizations;

namespace MultiOrg.Domain.Members;

/// <summary>
/// The mail to someone added by email: who added them, to which organization and with which role, so a person added
/// without being asked learns of it and can leave (the sender links the organization's members page, where Leave is).
/// </summary>
public sealed record AddedToOrganizationLetter(string Email, string? Name, string AddedBy, Guid OrganizationId, string OrganizationName, OrganizationRole Role);

/// <summary>Mails to members about their membership, written to the outbox of the change's unit.</summary>
public interface IMemberNotices
{
    Mail.QueuedMail EnqueueAdded(IMultiOrgDb db, AddedToOrganizationLetter letter);
}
