using MultiOrg.Domain.Organizations;

namespace MultiOrg.Web.Shell;

/// <summary>
/// The signed-in person's organizations for this circuit (the switcher's list). Pages that create, rename, leave or
/// delete an organization call <see cref="RefreshAsync"/>; the switcher and the layout listen to <see cref="Changed"/>.
/// </summary>
public sealed class UserOrganizations(OrganizationService organizations)
{
    public UserContext? Context { get; private set; }

    public IReadOnlyList<OrganizationSummary> All => Context?.Organizations ?? [];

    public event Action? Changed;

    public async Task RefreshAsync(CancellationToken ct = default)
    {
        Context = await organizations.GetUserContextAsync(ct);
        Changed?.Invoke();
    }
}
