using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using MultiOrg.Domain.Billing;

namespace MultiOrg.Web.Features.Support;

public sealed record RecordPaymentRequest(string? Reference, decimal Amount);

public sealed record AdjustCreditsRequest(long Amount, string? Reason);

/// <summary>Support staff record payments received by invoice and adjust credits; outside any organization's own API.</summary>
public static class SupportApi
{
    public static void MapSupportApi(this RouteGroupBuilder api)
    {
        var support = api.MapGroup("/support/organizations/{orgId:guid}/statements").WithTags("Support");
        support.MapGet("/", (Guid orgId, StatementService statements, CancellationToken ct) => statements.ListForSupportAsync(orgId, ct))
            .WithSummary("An organization's statements, for support staff.");
        support.MapPost("/{statementId:guid}/payments", (Guid orgId, Guid statementId, RecordPaymentRequest request, StatementService statements, CancellationToken ct) =>
                statements.RecordPaymentAsync(orgId, statementId, request.Reference, request.Amount, ct))
            .WithSummary("Records a payment (reference, an amount up to what is left); the statement turns paid when its payments reach the amount due.");
        api.MapPost("/support/organizations/{orgId:guid}/credits/adjustments", AdjustCreditsAsync).WithTags("Support")
            .WithSummary("Adds (positive) or removes (negative) credits with a written reason, for support staff; audited. Send Idempotency-Key to make a retry safe.");
    }

    private static async Task<Ok<CreditResult>> AdjustCreditsAsync(
        Guid orgId, AdjustCreditsRequest request, [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey, BillingService service, CancellationToken ct) =>
        TypedResults.Ok(await service.AdjustAsync(orgId, request.Amount, request.Reason, idempotencyKey, ct));
}
