using Microsoft.AspNetCore.Http.HttpResults;
using MultiOrg.Domain.Billing;
using MultiOrg.Domain.Clients;
using MultiOrg.Domain.Permissions;
using MultiOrg.Web.Doors.Api;

namespace MultiOrg.Web.Features.Partner;

public sealed record PushApiRequest(IReadOnlyList<ItemRef>? Items, IReadOnlyList<ItemRef>? Overwrite, IReadOnlyList<Guid>? ClientIds)
{
    public PushRequest ToDomain() => new(Items ?? [], Overwrite ?? [], ClientIds);
}

public sealed record ClientBillingRequest(bool BilledToPartner);

/// <summary>A partner's overview of its clients: the dashboard, configuration drift, and pushing configuration.</summary>
public static class PartnerApi
{
    public static void MapPartnerApi(this RouteGroupBuilder organization)
    {
        var partner = organization.MapGroup("/partner").WithTags("Partner");
        partner.MapGet("/dashboard", DashboardAsync).RequirePermission(Permission.ManageClients)
            .WithSummary("One row per client: members, configuration counts, onboarding and last activity");
        partner.MapGet("/drift", DriftAsync).RequirePermission(Permission.ManageClients)
            .WithSummary("How a client's configuration (or every client's) differs from the partner's");
        partner.MapGet("/items", (Guid orgId, ConfigurationPushService push, CancellationToken ct) => push.ListPartnerItemsAsync(ct)).RequirePermission(Permission.ManageClients)
            .WithSummary("The partner's configuration items that can be pushed");
        partner.MapPost("/push/preview", PreviewAsync).RequirePermission(Permission.ManageClients)
            .WithSummary("What pushing items would do in each client; changes nothing");
        partner.MapPost("/push", ApplyAsync).RequirePermission(Permission.ManageClients)
            .WithSummary("Push configuration items to clients, each client in its own transaction");
        partner.MapGet("/costs", (Guid orgId, StatementService statements, CancellationToken ct, DateTime? period = null) => statements.ClientCostsAsync(period, ct))
            .RequirePermission(Permission.ViewBilling)
            .WithSummary("What each client cost in a closed period (the latest when none is given), to pass costs on.");
        partner.MapGet("/costs/csv", CostsCsvAsync)
            .RequirePermission(Permission.ViewBilling)
            .WithSummary("The client cost table as CSV.")
            .Produces(StatusCodes.Status200OK, contentType: "text/csv");
        partner.MapPut("/clients/{clientId:guid}/billing", SetBilledToPartnerAsync)
            .RequirePermission(Permission.ManageBilling)
            .WithSummary("Whether this client's statements go to the partner (OWNER). Its credits stay its own.");
    }

    private static async Task<FileContentHttpResult> CostsCsvAsync(Guid orgId, StatementService statements, CancellationToken ct, DateTime? period = null)
    {
        var csv = await statements.ClientCostsCsvAsync(period, ct);
        return TypedResults.File(System.Text.Encoding.UTF8.GetBytes(csv), "text/csv", "client-costs.csv");
    }

    private static async Task<NoContent> SetBilledToPartnerAsync(Guid orgId, Guid clientId, ClientBillingRequest request, StatementService statements, CancellationToken ct)
    {
        await statements.SetBilledToPartnerAsync(clientId, request.BilledToPartner, ct);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<PartnerDashboard>> DashboardAsync(
        Guid orgId, PartnerAggregationService partner, CancellationToken ct,
        string? search = null, ClientSort sort = ClientSort.Name, bool descending = false, int page = 1, int pageSize = 25) =>
        TypedResults.Ok(await partner.GetDashboardAsync(new PartnerDashboardQuery(search, sort, descending, page, pageSize), ct));

    private static async Task<Ok<IReadOnlyList<ClientDrift>>> DriftAsync(Guid orgId, PartnerAggregationService partner, CancellationToken ct, Guid? clientId = null) =>
        TypedResults.Ok(await partner.GetDriftAsync(clientId, ct));

    private static async Task<Ok<IReadOnlyList<ClientPlan>>> PreviewAsync(Guid orgId, PushApiRequest request, ConfigurationPushService push, CancellationToken ct) =>
        TypedResults.Ok(await push.PreviewAsync(request.ToDomain(), ct));

    /// <summary>Runs the push within the request; each client still commits on its own, and the answer lists every outcome.</summary>
    private static async Task<Ok<PushReport>> ApplyAsync(Guid orgId, PushApiRequest request, ConfigurationPushService push, CancellationToken ct) =>
        TypedResults.Ok(await push.ApplyAsync(request.ToDomain(), null, ct));
}
