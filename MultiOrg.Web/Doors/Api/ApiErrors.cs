using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;
using MultiOrg.Domain.Errors;

namespace MultiOrg.Web.Doors.Api;

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
        DomainErrorKind.Forbidden => TypedResults.Problem(error.Message, statusCode: StatusCodes.Status403Forbidden, title: "Forbidden",
            extensions: error.Refusal == MultiOrg.Domain.Security.SecurityRefusal.None
                ? null
                : new Dictionary<string, object?> { ["refusal"] = error.Refusal.ToString() }),
        DomainErrorKind.Conflict => TypedResults.Problem(error.Message, statusCode: StatusCodes.Status409Conflict, title: "Conflict"),
        DomainErrorKind.InsufficientCredits => TypedResults.Problem(error.Message, statusCode: StatusCodes.Status402PaymentRequired, title: "Insufficient credits"),
        _ => TypedResults.Problem(error.Message, statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized"),
    };
}

/// <summary>Bad input that fails before a handler runs (malformed JSON, wrong types) is a 400 with the reason, never a 500.</summary>
internal sealed partial class BadRequestExceptionHandler(IProblemDetailsService problemDetails) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException bad)
        {
            return false;
        }

        return await problemDetails.WriteProblemAsync(httpContext, bad.StatusCode, "The request is not valid.", Describe(bad));
    }

    // Names the problem (and the JSON path) without echoing framework messages that carry internal type names.
    private static string Describe(BadHttpRequestException bad) => bad.InnerException switch
    {
        System.Text.Json.JsonException { Path: { Length: > 1 } path } => $"The value at '{path}' in the request body is not valid.",
        System.Text.Json.JsonException => "The request body is not valid JSON.",
        _ when bad.Message.Contains("body", StringComparison.OrdinalIgnoreCase) => "The request body is missing or not valid JSON.",
        _ when BoundParameter().Match(bad.Message) is { Success: true } bound => $"The value of '{bound.Groups[1].Value}' is not valid.",
        _ when bad.Message.Contains("query", StringComparison.OrdinalIgnoreCase) => "A query string value is not valid.",
        _ => "The request is not valid.",
    };

    // 'Failed to bind parameter "Type name" from "value".': only the name is shown, never the type.
    [System.Text.RegularExpressions.GeneratedRegex("^Failed to bind parameter \"(?:[^\" ]+ )?([A-Za-z_][A-Za-z0-9_]*)\"")]
    private static partial System.Text.RegularExpressions.Regex BoundParameter();
}

/// <summary>An unexpected failure behind /api answers ProblemDetails with a generic message (details go to the log only).</summary>
internal sealed class ApiExceptionHandler(IProblemDetailsService problemDetails, ILogger<ApiExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        // The exception handler has already pointed the request at its error page (/Error): the failed request's own
        // path is the one that tells an API call from a page.
        var path = httpContext.Features.Get<Microsoft.AspNetCore.Diagnostics.IExceptionHandlerPathFeature>()?.Path ?? httpContext.Request.Path;
        if (!new PathString(path).StartsWithSegments("/api"))
        {
            return false;
        }

        if (exception is Microsoft.EntityFrameworkCore.Storage.RetryLimitExceededException)
        {
            // Deadlocks or serialization failures outlasted the execution strategy's retries (decision 24): the request
            // changed nothing and may simply be sent again.
            logger.LogWarning(exception, "Database busy on {Method} {Path}", httpContext.Request.Method, path);
            httpContext.Response.Headers.RetryAfter = "1";
            return await problemDetails.WriteProblemAsync(
                httpContext, StatusCodes.Status503ServiceUnavailable, "The database is busy.", "Nothing was changed. Try again in a moment.");
        }

        logger.LogError(exception, "Unhandled error on {Method} {Path}", httpContext.Request.Method, path);
        return await problemDetails.WriteProblemAsync(
            httpContext,
            StatusCodes.Status500InternalServerError,
            "Something went wrong on our side.",
            "The error was logged. Try again, and contact support if it keeps happening.");
    }
}

internal static class ProblemWriting
{
    public static ValueTask<bool> WriteProblemAsync(this IProblemDetailsService problemDetails, HttpContext httpContext, int status, string title, string detail)
    {
        httpContext.Response.StatusCode = status;
        return problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = { Status = status, Title = title, Detail = detail },
        });
    }
}

/// <summary>The authorization policies of the JSON API.</summary>
public static class ApiAuthorization
{
    /// <summary>A person's bearer token.</summary>
    public const string Policy = "Api";

    /// <summary>A person's bearer token, or the API key of the organization in the route (<c>orgId</c>).</summary>
    public const string OrganizationPolicy = "OrganizationApi";
}

