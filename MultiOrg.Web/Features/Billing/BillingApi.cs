using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using MultiOrg.Domain.Billing;
using MultiOrg.Domain.Members;
using MultiOrg.Domain.Permissions;
using MultiOrg.Web.Doors.Api;

namespace MultiOrg.Web.Features.Billing;

public sealed record ChangePlanRequest(string? Plan, int? Seats);

public sealed record BuyCreditsRequest(int Packs);

/// <summary>An organization's plan, seats and credits: OWNERs change them, ADMINs read them, MEMBERs get 403.</summary>
public static class BillingApi
{
    public static void MapBillingApi(this RouteGroupBuilder organization)
    {
        var billing = organization.MapGroup("/billing").WithTags("Billing");
        billing.MapGet("/", (Guid orgId, BillingService service, CancellationToken ct) => service.GetSummaryAsync(ct))
            .RequirePermission(Permission.ViewBilling)
            .WithSummary("Plan, seats, credit balance and the last 30 days of usage.");
        billing.MapGet("/ledger", LedgerAsync).WithSummary("The credit ledger, newest first, 50 per page.").RequirePermission(Permission.ViewBilling);
        billing.MapPost("/plan/preview", (Guid orgId, ChangePlanRequest request, BillingService service, CancellationToken ct) =>
                service.PreviewChangeAsync(request.Plan, request.Seats, ct))
            .RequirePermission(Permission.ManageBilling)
            .WithSummary("What a plan or seat change would cost and when it would apply; changes nothing.");
        billing.MapPost("/plan", (Guid orgId, ChangePlanRequest request, BillingService service, CancellationToken ct) =>
                service.ChangePlanAsync(request.Plan, request.Seats, ct))
            .RequirePermission(Permission.ManageBilling)
            .WithSummary("Changes plan or seats: a higher total applies now with a prorated charge, a lower one at the period end.");
        billing.MapPost("/credits", BuyCreditsAsync)
            .RequirePermission(Permission.ManageBilling)
            .WithSummary("Buys credit packs (credits now, price on the next statement). Send Idempotency-Key to make a retry safe.");
        billing.MapGet("/statements", (Guid orgId, StatementService statements, CancellationToken ct) => statements.ListAsync(ct))
            .RequirePermission(Permission.ViewBilling)
            .WithSummary("The organization's statements, newest first.");
        billing.MapGet("/statements/{statementId:guid}", (Guid orgId, Guid statementId, StatementService statements, CancellationToken ct) =>
                statements.GetAsync(statementId, ct))
            .RequirePermission(Permission.ViewBilling)
            .WithSummary("One statement with its lines; a partner's carries a section per client billed to it.");
        billing.MapGet("/statements/{statementId:guid}/csv", StatementCsvAsync)
            .RequirePermission(Permission.ViewBilling)
            .WithSummary("One statement as CSV.")
            .Produces(StatusCodes.Status200OK, contentType: "text/csv");
    }

    private static async Task<FileContentHttpResult> StatementCsvAsync(Guid orgId, Guid statementId, StatementService statements, CancellationToken ct)
    {
        var csv = await statements.CsvAsync(statementId, ct);
        return TypedResults.File(System.Text.Encoding.UTF8.GetBytes(csv), "text/csv", $"statement-{statementId}.csv");
    }

    private static Task<PagedResult<CreditEntryView>> LedgerAsync(
        Guid orgId, BillingService service, CreditEntryKind? kind, DateTime? from, DateTime? to, int? page, int? pageSize, CancellationToken ct) =>
        service.ListLedgerAsync(new LedgerQuery(kind, from, to, page ?? 1, pageSize ?? 50), ct);

    private static async Task<Ok<CreditResult>> BuyCreditsAsync(
        Guid orgId, BuyCreditsRequest request, [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey, BillingService service, CancellationToken ct) =>
        TypedResults.Ok(await service.BuyCreditsAsync(request.Packs, idempotencyKey, ct));
}
