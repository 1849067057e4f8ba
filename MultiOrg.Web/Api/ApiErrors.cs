using System.Security.Claims;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;
using MultiOrg.Domain.Errors;
using MultiOrg.Domain.Organizations;
using MultiOrg.Domain.Tenancy;

namespace MultiOrg.Web.Api;

/// <summary>How the API speaks when it refuses: domain errors become ProblemDetails with the service's message.</summary>
public static class ApiErrors
{
    public static IResult ToProblem(DomainException error) => error.Kind switch
    {
        DomainErrorKind.Validation => TypedResults.ValidationProblem(
            new Dictionary<string, string[]> { [error.Field ?? "request"] = [error.Message] },
            detail: error.Message,
            title: "The request is not valid."),
        DomainErrorKind.NotFound => TypedResults.Problem(error.Message, statusCode: StatusCodes.Status404NotFound, title: "Not found"),
        DomainErrorKind.Forbidden => TypedResults.Problem(error.Message, statusCode: StatusCodes.Status403Forbidden, title: "Forbidden"),
        DomainErrorKind.Conflict => TypedResults.Problem(error.Message, statusCode: StatusCodes.Status409Conflict, title: "Conflict"),
        _ => TypedResults.Problem(error.Message, statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized"),
    };

    /// <summary>Sets the request's acting user and door, and turns domain errors into problems, for every API endpoint.</summary>
    public static async ValueTask<object?> TenantUserFilter(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var tenant = context.HttpContext.RequestServices.GetRequiredService<TenantContext>();
        tenant.SetUser(context.HttpContext.User.FindFirstValue(ClaimTypes.NameIdentifier));
        tenant.Door = Door.Api;
        try
        {
            return await next(context);
        }
        catch (DomainException error)
        {
            return ToProblem(error);
        }
    }

    /// <summary>Enters the route's organization (403 for anyone who is not a member) before the handler runs.</summary>
    public static async ValueTask<object?> EnterOrganizationFilter(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var raw = context.HttpContext.GetRouteValue("orgId") as string;
        if (!Guid.TryParse(raw, out var organizationId))
        {
            return TypedResults.Problem(DomainMessages.NoAccess, statusCode: StatusCodes.Status403Forbidden, title: "Forbidden");
        }

        var organizations = context.HttpContext.RequestServices.GetRequiredService<OrganizationService>();
        await organizations.EnterAsync(organizationId, context.HttpContext.RequestAborted);
        return await next(context);
    }
}

/// <summary>Bad input that fails before a handler runs (malformed JSON, wrong types) is a 400 with the reason, never a 500.</summary>
internal sealed class BadRequestExceptionHandler(IProblemDetailsService problemDetails) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException bad)
        {
            return false;
        }

        httpContext.Response.StatusCode = bad.StatusCode;
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails =
            {
                Status = bad.StatusCode,
                Title = "The request is not valid.",
                Detail = bad.InnerException is { } inner ? $"{bad.Message} {inner.Message}" : bad.Message,
            },
        });
    }
}

