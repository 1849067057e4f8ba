using MultiOrg.Domain.Billing;
using MultiOrg.Domain.Errors;
using MultiOrg.Domain.FeatureSwitches;
using MultiOrg.Domain.Organizations;
using MultiOrg.Domain.Tenancy;
using MultiOrg.Web.Doors.Api;

namespace MultiOrg.Web.Doors;

/// <summary>
/// The JSON API's adapter to the <see cref="OrganizationDoor"/>: every request admits its caller (a person's token or
/// an API key) with its address; an organization's routes enter the route's organization, and a key's request pays
/// for itself. Refusals become the API's problems (<see cref="ApiErrors"/>).
/// </summary>
public static class ApiDoor
{
    /// <summary>Admits the request's caller, and turns domain errors into problems, for every API endpoint.</summary>
    public static async ValueTask<object?> CallerFilter(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        Admit(context.HttpContext);
        try
        {
            return await next(context);
        }
        catch (DomainException error)
        {
            return ApiErrors.ToProblem(error);
        }
    }

    /// <summary>Enters the route's organization (403 for anyone who is not a member) before the handler runs.</summary>
    public static async ValueTask<object?> OrganizationFilter(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        await EnterRouteOrganizationAsync(http);

        // A request made with an API key costs the organization credits; the Idempotency-Key header makes a retry free.
        if (http.RequestServices.GetRequiredService<TenantContext>().ApiKey is { } key)
        {
            var method = http.Request.Method;
            var metering = new Metering(
                Feature.ApiAccess,
                Reading: HttpMethods.IsGet(method) || HttpMethods.IsHead(method),
                UsageKinds.ApiRequest,
                key.Name,
                http.Request.Headers["Idempotency-Key"].FirstOrDefault());
            await http.RequestServices.GetRequiredService<OrganizationDoor>().MeterAsync(metering, http.RequestAborted);
        }

        return await next(context);
    }

    /// <summary>The request's caller (a person's token through door Api, or an API key through door ApiKey) and address.</summary>
    internal static void Admit(HttpContext http)
    {
        var caller = RequestCaller.Of(http.User);
        http.RequestServices.GetRequiredService<OrganizationDoor>()
            .Admit(caller, caller.ApiKey is null ? Door.Api : Door.ApiKey, RequestCaller.AddressOf(http));
    }

    /// <summary>Enters the route's organization: 403 for anyone who is not a member, or whom its policies keep out.</summary>
    internal static async Task EnterRouteOrganizationAsync(HttpContext http)
    {
        if (!Guid.TryParse(http.GetRouteValue("orgId") as string, out var organizationId))
        {
            throw new DomainException(DomainErrorKind.Forbidden, DomainMessages.NoAccess);
        }

        // The permission check before binding entered it already in this request (the tenant is one per request).
        if (http.RequestServices.GetRequiredService<TenantContext>().OrganizationId != organizationId)
        {
            await http.RequestServices.GetRequiredService<OrganizationDoor>().EnterAsync(organizationId, http.RequestAborted);
        }
    }
}
