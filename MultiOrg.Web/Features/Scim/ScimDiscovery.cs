using System.Text.Json.Nodes;
using MultiOrg.Domain.Errors;
using MultiOrg.Domain.Scim;

namespace MultiOrg.Web.Features.Scim;

/// <summary>What the server supports, as RFC 7644 §4 asks: ServiceProviderConfig, ResourceTypes and Schemas.</summary>
internal static class ScimDiscovery
{
    private const string ConfigSchema = "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig";
    private const string ResourceTypeSchema = "urn:ietf:params:scim:schemas:core:2.0:ResourceType";
    private const string SchemaSchema = "urn:ietf:params:scim:schemas:core:2.0:Schema";

    public static void Map(RouteGroupBuilder scim)
    {
        scim.MapGet("/ServiceProviderConfig", () => ScimProtocol.Json(ServiceProviderConfig()));
        scim.MapGet("/ResourceTypes", () => ScimProtocol.Json(ScimProtocol.ListResponse(ResourceTypes(), 2, 1)));
        scim.MapGet("/ResourceTypes/{name}", (string name) =>
            ScimProtocol.Json(ResourceTypes().FirstOrDefault(r => string.Equals((string?)r["id"], name, StringComparison.OrdinalIgnoreCase))
                ?? throw new DomainException(DomainErrorKind.NotFound, "Resource type not found.")));
        scim.MapGet("/Schemas", () => ScimProtocol.Json(ScimProtocol.ListResponse(Schemas(), 2, 1)));
        scim.MapGet("/Schemas/{id}", (string id) =>
            ScimProtocol.Json(Schemas().FirstOrDefault(s => string.Equals((string?)s["id"], id, StringComparison.OrdinalIgnoreCase))
                ?? throw new DomainException(DomainErrorKind.NotFound, "Schema not found.")));
    }

    private static JsonObject ServiceProviderConfig() => new()
    {
        ["schemas"] = new JsonArray(ConfigSchema),
        ["documentationUri"] = "https://github.com/multiorg/multiorg#directory-sync-scim",
        ["patch"] = new JsonObject { ["supported"] = true },
        ["bulk"] = new JsonObject { ["supported"] = false, ["maxOperations"] = 0, ["maxPayloadSize"] = 0 },
        ["filter"] = new JsonObject { ["supported"] = true, ["maxResults"] = ScimFields.MaxResults },
        ["changePassword"] = new JsonObject { ["supported"] = false },
        ["sort"] = new JsonObject { ["supported"] = false },
        ["etag"] = new JsonObject { ["supported"] = false },
        ["authenticationSchemes"] = new JsonArray(new JsonObject
        {
            ["type"] = "oauthbearertoken",
            ["name"] = "SCIM token",
            ["description"] = "The organization's SCIM token (Settings → Security → Directory sync), sent as 'Authorization: Bearer moscim_…'.",
            ["primary"] = true,
        }),
        ["meta"] = new JsonObject { ["resourceType"] = "ServiceProviderConfig" },
    };

    private static List<JsonObject> ResourceTypes() =>
    [
        ResourceType("User", "/Users", ScimProtocol.UserSchema, "A member of the organization, as its identity provider knows them."),
        ResourceType("Group", "/Groups", ScimProtocol.GroupSchema, "A team of the organization."),
    ];

    private static JsonObject ResourceType(string name, string endpoint, string schema, string description) => new()
    {
        ["schemas"] = new JsonArray(ResourceTypeSchema),
        ["id"] = name,
        ["name"] = name,
        ["endpoint"] = endpoint,
        ["description"] = description,
        ["schema"] = schema,
        ["meta"] = new JsonObject { ["resourceType"] = "ResourceType" },
    };

    private static List<JsonObject> Schemas() =>
    [
        Schema(ScimProtocol.UserSchema, "User", "User Account",
        [
            Attribute("userName", required: true, uniqueness: "server"),
            Attribute("externalId", caseExact: true),
            Complex("name", [Attribute("givenName"), Attribute("familyName"), Attribute("formatted", mutability: "readOnly")]),
            Attribute("displayName"),
            Attribute("active", type: "boolean"),
            Complex("emails", [Attribute("value"), Attribute("type"), Attribute("primary", type: "boolean")], multiValued: true, mutability: "immutable"),
        ]),
        Schema(ScimProtocol.GroupSchema, "Group", "Group: a team of the organization",
        [
            Attribute("displayName", required: true, uniqueness: "server"),
            Attribute("externalId", caseExact: true),
            Complex("members", [Attribute("value", mutability: "immutable"), Attribute("display", mutability: "readOnly"), Attribute("$ref", type: "reference", mutability: "readOnly")], multiValued: true),
        ]),
    ];

    private static JsonObject Schema(string id, string name, string description, JsonNode[] attributes) => new()
    {
        ["schemas"] = new JsonArray(SchemaSchema),
        ["id"] = id,
        ["name"] = name,
        ["description"] = description,
        ["attributes"] = new JsonArray(attributes),
        ["meta"] = new JsonObject { ["resourceType"] = "Schema" },
    };

    private static JsonObject Attribute(
        string name, string type = "string", bool required = false, bool caseExact = false, string mutability = "readWrite", string uniqueness = "none") => new()
    {
        ["name"] = name,
        ["type"] = type,
        ["multiValued"] = false,
        ["required"] = required,
        ["caseExact"] = caseExact,
        ["mutability"] = mutability,
        ["returned"] = "default",
        ["uniqueness"] = uniqueness,
    };

    private static JsonObject Complex(string name, JsonNode[] subAttributes, bool multiValued = false, string mutability = "readWrite")
    {
        var attribute = Attribute(name, type: "complex", mutability: mutability);
        attribute["multiValued"] = multiValued;
        attribute["subAttributes"] = new JsonArray(subAttributes);
        return attribute;
    }
}
