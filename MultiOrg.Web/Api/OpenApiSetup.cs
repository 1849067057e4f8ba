using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Scalar.AspNetCore;

namespace MultiOrg.Web.Api;

/// <summary>The OpenAPI document of the whole JSON API (/openapi/v1.json) and its browsable reference (/api-reference).</summary>
public static class OpenApiSetup
{
    public const string ReferencePath = "/api-reference";

    public static IServiceCollection AddMultiOrgOpenApi(this IServiceCollection services) =>
        services.AddOpenApi(options => options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info = new OpenApiInfo
            {
                Title = "MultiOrg API",
                Version = "v1",
                Description = "Organizations, members, clients, accounting configuration and API keys. Authenticate with a bearer token " +
                    "from POST /api/auth/login, or with an organization's API key as `Authorization: Bearer mo_…` or `X-Api-Key`.",
            };
            return Task.CompletedTask;
        }));

    public static void MapMultiOrgOpenApi(this WebApplication app)
    {
        app.MapOpenApi();
        app.MapScalarApiReference(ReferencePath, options => options
            .WithTitle("MultiOrg API reference")
            .WithOpenApiRoutePattern("/openapi/{documentName}.json")
            .DisableDefaultFonts());
    }
}
