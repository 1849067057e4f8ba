using Microsoft.AspNetCore.Http.HttpResults;
using MultiOrg.Domain.Accounting;
using MultiOrg.Domain.Errors;
using MultiOrg.Domain.Permissions;
using MultiOrg.Web.Doors.Api;

namespace MultiOrg.Web.Features.Accounting;

public sealed record AddAccountRequest(string? Number, string? Name, AccountType? Type, string? ParentNumber);

public sealed record SaveTaxCodeRequest(string? Code, string? Name, decimal? RatePercent, TaxDirection? Direction);

public sealed record AddEntityRequest(string? Code, string? Name, string? CountryCode, string? CurrencyCode);

/// <summary>Every organization's accounting configuration: chart of accounts, tax codes, entities.</summary>
public static class AccountingApi
{
    public static void MapAccountingApi(this RouteGroupBuilder organization)
    {
        var configuration = organization.MapGroup("").WithTags("Accounting configuration");
        configuration.MapGet("/accounts", (Guid orgId, AccountingService accounting, CancellationToken ct) => accounting.ListAccountsAsync(ct)).RequirePermission(Permission.UseOrganizationData)
            .WithSummary("The chart of accounts");
        configuration.MapPost("/accounts", AddAccountAsync).RequirePermission(Permission.EditConfiguration)
            .WithSummary("Add an account to the chart of accounts (OWNER, ADMIN)");
        configuration.MapGet("/tax-codes", (Guid orgId, AccountingService accounting, CancellationToken ct) => accounting.ListTaxCodesAsync(ct)).RequirePermission(Permission.UseOrganizationData)
            .WithSummary("The tax codes");
        configuration.MapPost("/tax-codes", AddTaxCodeAsync).RequirePermission(Permission.EditConfiguration)
            .WithSummary("Add or change a tax code (OWNER, ADMIN)");
        configuration.MapGet("/entities", (Guid orgId, AccountingService accounting, CancellationToken ct) => accounting.ListEntitiesAsync(ct)).RequirePermission(Permission.UseOrganizationData)
            .WithSummary("The organization's entities");
        configuration.MapPost("/entities", AddEntityAsync).RequirePermission(Permission.EditConfiguration)
            .WithSummary("Add an entity (OWNER, ADMIN)");
    }

    private static async Task<Created<AccountView>> AddAccountAsync(Guid orgId, AddAccountRequest request, AccountingService accounting, CancellationToken ct)
    {
        var type = request.Type ?? throw DomainException.Invalid("type", "Type is required: Asset, Liability, Equity, Revenue or Expense.");
        var account = await accounting.AddAccountAsync(request.Number, request.Name, type, request.ParentNumber, ct);
        return TypedResults.Created($"/api/organizations/{orgId}/accounts/{account.Id}", account);
    }

    private static async Task<Created<TaxCodeView>> AddTaxCodeAsync(Guid orgId, SaveTaxCodeRequest request, AccountingService accounting, CancellationToken ct)
    {
        var rate = request.RatePercent ?? throw DomainException.Invalid("ratePercent", "Rate is required.");
        var taxCode = await accounting.SaveTaxCodeAsync(null, request.Code, request.Name, rate, request.Direction ?? TaxDirection.Both, ct);
        return TypedResults.Created($"/api/organizations/{orgId}/tax-codes/{taxCode.Id}", taxCode);
    }

    private static async Task<Created<EntityView>> AddEntityAsync(Guid orgId, AddEntityRequest request, AccountingService accounting, CancellationToken ct)
    {
        var entity = await accounting.AddEntityAsync(request.Code, request.Name, request.CountryCode, request.CurrencyCode, ct);
        return TypedResults.Created($"/api/organizations/{orgId}/entities/{entity.Id}", entity);
    }
}
