using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.OpenApi;

namespace MultiOrg.Web.Doors.Api;

/// <summary>
/// Completes each operation of the OpenAPI document from its endpoint's metadata, so a new endpoint is described without
/// a list to update: an operationId from its method and route, the security it accepts (bearer token, or also the
/// organization's API key) and the ProblemDetails answers it can give (who may call it, what it binds, what limits it).
/// </summary>
internal static partial class OpenApiOperations
{
    public const string Bearer = "Bearer";
    public const string ApiKey = "ApiKey";
    public const string ProblemSchema = "ProblemDetails";
    public const string ValidationProblemSchema = "HttpValidationProblemDetails";

    // Identity's MapIdentityApi endpoints take no per-endpoint metadata from us: their summaries are here, by route.
    private static readonly Dictionary<string, string> IdentitySummaries = new(StringComparer.OrdinalIgnoreCase)
    {
        ["POST api/auth/register"] = "Register an account with an email and a password",
        ["POST api/auth/login"] = "Sign in: a bearer access token and a refresh token",
        ["POST api/auth/refresh"] = "Exchange a refresh token (once) for a new access token",
        ["GET api/auth/confirmEmail"] = "Confirm an email address with the link from the confirmation mail",
        ["POST api/auth/resendConfirmationEmail"] = "Send the confirmation mail again",
        ["POST api/auth/forgotPassword"] = "Mail a password reset code",
        ["POST api/auth/resetPassword"] = "Set a new password with the reset code",
        ["POST api/auth/manage/2fa"] = "Read or change the caller's two-factor authentication",
        ["GET api/auth/manage/info"] = "The caller's email and whether it is confirmed",
        ["POST api/auth/manage/info"] = "Change the caller's email or password",
    };

    public static async Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken ct)
    {
        var description = context.Description;
        var method = description.HttpMethod ?? "GET";
        var route = description.RelativePath ?? string.Empty;
        var metadata = description.ActionDescriptor.EndpointMetadata;

        operation.OperationId = OperationId(method, route);
        if (string.IsNullOrWhiteSpace(operation.Summary) && IdentitySummaries.TryGetValue($"{method} {route.TrimEnd('/')}", out var summary))
        {
            operation.Summary = summary;
        }

        var policies = metadata.OfType<IAuthorizeData>().Select(a => a.Policy).ToList();
        var anonymous = policies.Count == 0 || metadata.OfType<IAllowAnonymous>().Any();
        var takesApiKey = !anonymous && policies.Contains(ApiAuthorization.OrganizationPolicy);
        if (!anonymous)
        {
            EnsureSecuritySchemes(context.Document);
            operation.Security = [Requirement(Bearer, context.Document)];
            if (takesApiKey)
            {
                operation.Security.Add(Requirement(ApiKey, context.Document));
            }
        }

        var writes = !HttpMethods.IsGet(method) && !HttpMethods.IsHead(method);
        var parameters = RouteParameter().Matches(route).Select(m => m.Groups[1].Value).ToList();
        var organizationRoute = metadata.OfType<OrganizationEndpoint>().Any();
        var binds = description.ParameterDescriptions.Any(p => p.Source.Id is "Body" or "Query" or "Form" or "FormFile") || writes;

        var statuses = new List<int>();
        Add(statuses, binds, StatusCodes.Status400BadRequest);
        // Identity's login and refresh are anonymous and answer 401 to a wrong password or a spent refresh token.
        Add(statuses, !anonymous || route.EndsWith("/login", StringComparison.OrdinalIgnoreCase) || route.EndsWith("/refresh", StringComparison.OrdinalIgnoreCase),
            StatusCodes.Status401Unauthorized);
        Add(statuses, takesApiKey, StatusCodes.Status402PaymentRequired);
        Add(statuses, !anonymous && (organizationRoute || parameters.Count > 0 || writes || metadata.OfType<OrganizationPermission>().Any()), StatusCodes.Status403Forbidden);
        Add(statuses, parameters.Any(p => p != "orgId" || !organizationRoute), StatusCodes.Status404NotFound);
        Add(statuses, !anonymous && writes, StatusCodes.Status409Conflict);
        Add(statuses, takesApiKey || metadata.OfType<EnableRateLimitingAttribute>().Any(), StatusCodes.Status429TooManyRequests);
        statuses.Add(StatusCodes.Status500InternalServerError);

        operation.Responses ??= [];
        foreach (var status in statuses)
        {
            var key = status.ToString(CultureInfo.InvariantCulture);
            if (operation.Responses.TryGetValue(key, out var declared) && declared.Content?.Count > 0)
            {
                continue;
            }

            operation.Responses[key] = await ProblemResponseAsync(status, context, ct);
        }
    }

    private static void Add(List<int> statuses, bool when, int status)
    {
        if (when)
        {
            statuses.Add(status);
        }
    }

    // Added here rather than by a document transformer, which runs after the operations: a reference to a scheme the
    // document does not hold yet is written as an empty requirement.
    private static void EnsureSecuritySchemes(OpenApiDocument? document)
    {
        if (document is null || document.Components?.SecuritySchemes?.ContainsKey(Bearer) == true)
        {
            return;
        }

        document.AddComponent(Bearer, new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "A person's access token from POST /api/auth/login, or an organization's API key (`mo_…`) on that organization's routes.",
        });
        document.AddComponent(ApiKey, new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Header,
            Name = "X-Api-Key",
            Description = "An organization's API key (`mo_…`): accepted only by that organization's routes, with at most its creator's role of the moment.",
        });
    }

    private static OpenApiSecurityRequirement Requirement(string scheme, OpenApiDocument? document) =>
        new() { [new OpenApiSecuritySchemeReference(scheme, document)] = [] };

    private static async Task<OpenApiResponse> ProblemResponseAsync(int status, OpenApiOperationTransformerContext context, CancellationToken ct)
    {
        var (name, type) = status == StatusCodes.Status400BadRequest
            ? (ValidationProblemSchema, typeof(HttpValidationProblemDetails))
            : (ProblemSchema, typeof(ProblemDetails));
        if (context.Document is { } document && document.Components?.Schemas?.ContainsKey(name) != true)
        {
            document.AddComponent(name, await context.GetOrCreateSchemaAsync(type, null, ct));
        }

        var response = new OpenApiResponse
        {
            Description = Explanation(status),
            Content = new Dictionary<string, OpenApiMediaType>
            {
                ["application/problem+json"] = new() { Schema = new OpenApiSchemaReference(name, context.Document) },
            },
        };
        if (status == StatusCodes.Status429TooManyRequests)
        {
            response.Headers = new Dictionary<string, IOpenApiHeader>
            {
                ["Retry-After"] = new OpenApiHeader
                {
                    Description = "Seconds until the window that refused the request ends.",
                    Schema = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Minimum = "1", Maximum = "3600" },
                },
            };
        }

        return response;
    }

    private static string Explanation(int status) => status switch
    {
        400 => "The request is not valid: `errors` names each field and what is wrong with it.",
        401 => "No valid credential: sign in (bearer token) or send a working API key.",
        402 => "An API-key request when the organization has too few credits left.",
        403 => "The caller may not do this here: not a member, a role or feature that does not allow it, or a security policy (`refusal` says which).",
        404 => "Nothing with that id here (or one the caller may not know about).",
        409 => "The change conflicts with the current state (the last owner, a seat limit, a duplicate); nothing was changed.",
        429 => "Too many requests from this address or API key: try again after Retry-After seconds.",
        _ => "Something went wrong on the server; it was logged.",
    };

    /// <summary>
    /// <c>POST api/organizations/{orgId}/members/bulk-role</c> → <c>postOrganizationMembersBulkRole</c>: the verb, then each
    /// route segment in words, a collection named in the singular when an id of it follows. Unique because routes are.
    /// </summary>
    internal static string OperationId(string method, string route)
    {
        var id = new StringBuilder(method.ToLowerInvariant());
        var segments = route.Split('/', StringSplitOptions.RemoveEmptyEntries);
        for (var i = 0; i < segments.Length; i++)
        {
            var segment = segments[i];
            if ((i == 0 && segment == "api") || segment.StartsWith('{'))
            {
                continue;
            }

            var words = segment.Split('-', '_');
            if (i + 1 < segments.Length && segments[i + 1].StartsWith('{'))
            {
                // A word with no plural ("directory") is told apart from its item by the id: getDirectory, getDirectoryByOrgId.
                var singular = Singular(words[^1]);
                words[^1] = singular != words[^1] || i + 2 < segments.Length ? singular : singular + "By" + ParameterName(segments[i + 1]);
            }

            foreach (var word in words.Where(w => w.Length > 0))
            {
                id.Append(char.ToUpperInvariant(word[0])).Append(word.AsSpan(1));
            }
        }

        return id.ToString();
    }

    private static string ParameterName(string segment)
    {
        var name = segment.Trim('{', '}').Split(':')[0];
        return char.ToUpperInvariant(name[0]) + name[1..];
    }

    private static string Singular(string word) => word switch
    {
        _ when word.EndsWith("ies", StringComparison.Ordinal) => word[..^3] + "y",
        _ when word.EndsWith("sses", StringComparison.Ordinal) => word[..^2],
        _ when word.EndsWith('s') && !word.EndsWith("ss", StringComparison.Ordinal) => word[..^1],
        _ => word,
    };

    [GeneratedRegex(@"\{(\w+)")]
    private static partial Regex RouteParameter();
}
