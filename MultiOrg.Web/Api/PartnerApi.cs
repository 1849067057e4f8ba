using Microsoft.AspNetCore.Http.HttpResults;
using MultiOrg.Domain.Clients;

namespace MultiOrg.Web.Api;

public sealed record PushApiRequest(IReadOnlyList<ItemRef>? Items, IReadOnlyList<ItemRef>? Overwrite, IReadOnlyList<Guid>? ClientIds)
{
    public PushRequest ToDomain() => new(Items ?? [], Overwrite ?? [], ClientIds);
}

/// <summary>A partner's overview of its clients: the dashboard, configuration drift, and pushing configuration.</summary>
public static class PartnerApi
{
    public static void MapPartnerApi(this RouteGroupBuilder organization)
    {
        var partner = organization.MapGroup("/partner").WithTags("Partner");
        partner.MapGet("/dashboard", DashboardAsync);
        partner.MapGet("/drift", DriftAsync);
        partner.MapGet("/items", (Guid orgId, ConfigurationPushService push, CancellationToken ct) => push.ListPartnerItemsAsync(ct));
        partner.MapPost("/push/preview", PreviewAsync);
        partner.MapPost("/push", ApplyAsync);
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
