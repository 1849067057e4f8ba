using MultiOrg.Domain.Errors;
using MultiOrg.Domain.Organizations;

namespace MultiOrg.Domain.Tenancy;

/// <summary>
/// Who is acting, for which organization and in which role: one per circuit or request (scoped).
/// The DbContext's tenant filter reads <see cref="OrganizationId"/>; with none set, tenant-owned data is invisible.
/// </summary>
public sealed class TenantContext
{
    public string? UserId { get; private set; }

    public Guid? OrganizationId { get; private set; }

    public string? OrganizationName { get; private set; }

    /// <summary>The role seen when the organization was entered; services re-read it before they act.</summary>
    public OrganizationRole? Role { get; private set; }

    /// <summary>How the person reached it (their own membership, its partner's staff): what the role alone does not say.</summary>
    public Permissions.Reach Reach { get; private set; } = Permissions.Reach.OwnMember;

    public Door Door { get; internal set; } = Door.Page;

    /// <summary>The client's address, recorded with every audited change (set by the door: <see cref="OrganizationDoor"/>; null where unknown).</summary>
    public string? ClientIp { get; internal set; }

    /// <summary>Set when an API key is acting: it reaches its one organization only, with the key's role.</summary>
    public ApiKeys.ApiKeyIdentity? ApiKey { get; private set; }

    /// <summary>Set when an organization's identity provider acts through its SCIM token: its one organization, nothing else.</summary>
    public Scim.ScimTokenIdentity? ScimToken { get; private set; }

    /// <summary>
    /// Set while a support user impersonates an organization: the circuit is pinned to it, with ADMIN's view and, unless
    /// the session is write-enabled, no writes at all.
    /// </summary>
    public Support.ImpersonationGrant? Impersonation { get; private set; }

    /// <summary>
    /// Organizations whose identity provider this session passed (a sign-in or a step-up through it): a member whose
    /// address is elsewhere enters an organization that requires single sign-on only with its mark. Set from the
    /// session's claims by the door; a password session and an API token from the password login carry none.
    /// </summary>
    public IReadOnlySet<Guid> SsoPassed { get; internal set; } = new HashSet<Guid>();

    /// <summary>Raised after the organization changes, so a circuit can re-render under the new tenant.</summary>
    public event Action? Changed;

    public bool IsAuthenticated => UserId is not null;

    internal void SetUser(string? userId)
    {
        if (UserId == userId)
        {
            return;
        }

        UserId = userId;
        Impersonation = null;
        OrganizationId = null;
        OrganizationName = null;
        Role = null;
        Changed?.Invoke();
    }

    /// <summary>An API key acts for the user who created it, inside the key's organization only.</summary>
    internal void SetApiKey(ApiKeys.ApiKeyIdentity key)
    {
        ApiKey = key;
        Door = Door.ApiKey;
        SetUser(key.CreatedByUserId);
    }

    /// <summary>A SCIM token acts for the owner who created it, inside the token's organization only, through door <see cref="Door.Directory"/>.</summary>
    internal void SetScimToken(Scim.ScimTokenIdentity token)
    {
        ScimToken = token;
        Door = Door.Directory;
        SetUser(token.CreatedByUserId);
    }

    public string RequireUser() =>
        UserId ?? throw new DomainException(DomainErrorKind.Unauthenticated, "Sign in to continue.");

    public Guid RequireOrganization() =>
        OrganizationId ?? throw new DomainException(DomainErrorKind.Forbidden, DomainMessages.NoAccess);

    /// <summary>Enters an organization; <paramref name="reach"/> null keeps the reach of the same organization (a rename, a role change).</summary>
    internal void Enter(Guid organizationId, string organizationName, OrganizationRole role, Permissions.Reach? reach = null)
    {
        reach ??= OrganizationId == organizationId ? Reach : Permissions.Reach.OwnMember;
        var changed = OrganizationId != organizationId || Role != role || OrganizationName != organizationName || Reach != reach;
        Reach = reach;
        OrganizationId = organizationId;
        OrganizationName = organizationName;
        Role = role;
        if (changed)
        {
            Changed?.Invoke();
        }
    }

    /// <summary>
    /// A person acting inside one given organization, through this context's door and from its address: for services
    /// that write to an organization they verified the person may reach (a client, an invitation's organization).
    /// </summary>
    internal TenantContext ActingIn(string userId, Guid organizationId, string organizationName, OrganizationRole role)
    {
        var scoped = new TenantContext { Door = Door, ClientIp = ClientIp };
        scoped.SetUser(userId);
        scoped.Enter(organizationId, organizationName, role);
        return scoped;
    }

    /// <summary>The application itself at work inside one organization (a background job): no person, door <see cref="Door.Job"/>.</summary>
    internal static TenantContext ForJob(Guid organizationId, string organizationName)
    {
        var job = new TenantContext { Door = Door.Job };
        job.Enter(organizationId, organizationName, OrganizationRole.Owner);
        return job;
    }

    internal void BeginImpersonation(Support.ImpersonationGrant grant)
    {
        Impersonation = grant;
        Enter(grant.OrganizationId, grant.OrganizationName, OrganizationRole.Admin, new Permissions.Reach(false, null));
    }

    internal void EndImpersonation()
    {
        if (Impersonation is null)
        {
            return;
        }

        Impersonation = null;
        if (OrganizationId is null)
        {
            Changed?.Invoke();
        }
        else
        {
            Exit();
        }
    }

    internal void Exit()
    {
        if (OrganizationId is null)
        {
            return;
        }

        OrganizationId = null;
        OrganizationName = null;
        Role = null;
        Changed?.Invoke();
    }
}
