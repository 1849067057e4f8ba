using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using MultiOrg.Domain.Accounting;
using MultiOrg.Domain.Clients;
using MultiOrg.Domain.Errors;
using MultiOrg.Domain.Permissions;
using MultiOrg.Web.Doors.Api;

namespace MultiOrg.Web.Features.Clients;

[JsonConverter(typeof(Domain.NamesOnlyEnumConverter<OnboardingPath>))]
public enum OnboardingPath
{
    Copy,
    Template,
}

public sealed record CreateClientRequest(
    string? Name,
    OnboardingPath? Path,
    string? CountryCode,
    Guid? SourceOrganizationId,
    Guid? SourceEntityId,
    AccountingStandard? AccountingStandard,
    ChartTemplate? ChartOfAccounts,
    TaxSystem? TaxSystem,
    bool BillToPartner = false);

/// <summary>A partner's client organizations.</summary>
public static class ClientsApi
{
    public static void MapClientsApi(this RouteGroupBuilder organization)
    {
        var clients = organization.MapGroup("/clients").WithTags("Clients");
        clients.MapGet("/", ListClientsAsync).RequirePermission(Permission.ViewOrganization).WithSummary("The partner's client organizations");
        clients.MapPost("/", CreateClientAsync).RequirePermission(Permission.CreateClients)
            .WithSummary("Create a client organization, copying the partner's configuration or from templates");
    }

    private static async Task<Ok<IReadOnlyList<ClientView>>> ListClientsAsync(Guid orgId, ClientOnboardingService onboarding, CancellationToken ct, string? search = null) =>
        TypedResults.Ok(await onboarding.ListClientsAsync(search, ct));

    private static async Task<Created<OnboardingResult>> CreateClientAsync(Guid orgId, CreateClientRequest request, ClientOnboardingService onboarding, CancellationToken ct)
    {
        var result = request.Path switch
        {
            OnboardingPath.Copy => await onboarding.CreateByCopyAsync(
                new CopyOnboarding(request.Name, request.SourceOrganizationId ?? orgId, request.SourceEntityId, request.CountryCode, request.BillToPartner), ct),
            OnboardingPath.Template => await onboarding.CreateFromTemplatesAsync(
                new TemplateOnboarding(request.Name, request.CountryCode, request.AccountingStandard ?? AccountingStandard.UsGaap,
                    request.ChartOfAccounts ?? ChartTemplate.Standard, request.TaxSystem ?? TaxSystem.AutoDetect, request.BillToPartner), ct),
            _ => throw DomainException.Invalid("path", "Path is required: Copy or Template."),
        };
        return TypedResults.Created($"/api/organizations/{result.OrganizationId}", result);
    }
}
