using MultiOrg.Domain.Billing;
using MultiOrg.Domain.FeatureSwitches;
using MultiOrg.Domain.Organizations;
using MultiOrg.Domain.Scim;

namespace MultiOrg.Domain.Tenancy;

/// <summary>
/// The one way into an organization (decision 22). Every entry point (a page's circuit, an API request, an assistant
/// tool, a SCIM request, the logo, the account pages) says here who comes in, through which door, from which address,
/// and into which organization; the door sets the <see cref="TenantContext"/> (whose setters are internal to the
/// domain), checks the way in (membership or the credential's organization, then the organization's policies) and
/// applies the feature gate and the metered debit of that use. Nothing else sets the tenant.
/// </summary>
public sealed class OrganizationDoor(
    TenantContext tenant, OrganizationService organizations, ScimTokenService directory, FeatureService features, BillingService billing)
{
    /// <summary>
    /// Who acts, through which door, from which address; no organization yet. A different person than before leaves
    /// the organization the tenant was in.
    /// </summary>
    public void Admit(Caller caller, Door door, string? clientIp)
    {
        if (caller.ApiKey is { } key)
        {
            tenant.SetApiKey(key);
        }
        else if (caller.ScimToken is { } token)
        {
            tenant.SetScimToken(token);
        }
        else
        {
            tenant.SetUser(caller.UserId);
            tenant.SsoPassed = caller.SsoPassed;
        }

        tenant.Door = door;
        tenant.ClientIp = clientIp;
    }

    /// <summary>Admits the caller and enters the organization, then applies the use's feature gate and debit.</summary>
    public async Task<OrganizationSummary> EnterAsync(
        Caller caller, Door door, Guid organizationId, string? clientIp, Metering? metering = null, CancellationToken ct = default)
    {
        Admit(caller, door, clientIp);
        var entered = await EnterAsync(organizationId, ct);
        if (metering is not null)
        {
            await MeterAsync(metering, ct);
        }

        return entered;
    }

    /// <summary>
    /// The admitted caller enters <paramref name="organizationId"/> (again: a reconnect or a change elsewhere re-checks
    /// the way in): a person by membership, a key or token only into its own organization; then the organization's
    /// policies. Refused with a 403-kind domain error, the tenant is left as it was.
    /// </summary>
    public async Task<OrganizationSummary> EnterAsync(Guid organizationId, CancellationToken ct = default) =>
        tenant.ScimToken is { } token
            ? await directory.EnterAsync(token, ct)
            : await organizations.EnterAsync(organizationId, ct);

    /// <summary>Enters and remembers the organization as the person's last-used one (where a new tab starts).</summary>
    public Task<OrganizationSummary> SwitchAsync(Guid organizationId, CancellationToken ct = default) =>
        organizations.SwitchAsync(organizationId, ct);

    /// <summary>The current organization's gate and price for one use: refused (402/403) before the use runs.</summary>
    public async Task MeterAsync(Metering metering, CancellationToken ct = default)
    {
        await features.EnsureAvailableAsync(metering.Feature, metering.Reading, ct);
        await billing.DebitUsageAsync(metering.UsageKind, metering.Source, metering.IdempotencyKey, ct);
    }

    /// <summary>Leaves the current organization without entering another: nothing of it is reachable any more.</summary>
    public void Leave() => tenant.Exit();

    /// <summary>A live connection came back from another address: the allow-list binds the address in use now.</summary>
    public void Readdress(string clientIp) => tenant.ClientIp = clientIp;

    /// <summary>The person is gone (signed out, session ended): the tenant acts for no one and is in no organization.</summary>
    public void SignOut() => tenant.SetUser(null);
}
