using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Scalar.AspNetCore;

namespace MultiOrg.Web.Doors.Api;

/// <summary>The OpenAPI document of the whole JSON API (/openapi/v1.json) and its browsable reference (/api-reference).</summary>
public static class OpenApiSetup
{
    public const string ReferencePath = "/api-reference";

    public static IServiceCollection AddMultiOrgOpenApi(this IServiceCollection services) =>
        services.AddOpenApi(options => options
            .AddOperationTransformer(OpenApiOperations.TransformAsync)
            .AddSchemaTransformer(OpenApiSchemas.TransformAsync)
            .AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "MultiOrg API",
                    Version = "v1",
                    Description = "Organizations, members, clients, accounting configuration and API keys. Authenticate with a bearer token " +
                        "from POST /api/auth/login, or with an organization's API key as `Authorization: Bearer mo_…` or `X-Api-Key`. " +
                        "Every refusal is a ProblemDetails (application/problem+json).",
                    Contact = new OpenApiContact { Name = "The operator of this MultiOrg server" },
                };

                // Relative: the document is the same wherever it is fetched (a generated client is compared with it), and a
                // client calls the server it was given.
                document.Servers = [new OpenApiServer
                {
                    Url = "/",
                    Description = "The server this document was fetched from (production, or a local one).",
                    Extensions = new Dictionary<string, IOpenApiExtension> { ["x-internal"] = new JsonNodeExtension(false) },
                }];
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
