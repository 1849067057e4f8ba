using System.Globalization;
using System.Text.Json.Nodes;
using MultiOrg.Domain.Scim;

namespace MultiOrg.Web.Features.Scim;

/// <summary>Users and Groups as JSON (RFC 7643 §4), and the request bodies read back into the domain's inputs.</summary>
public static class ScimResources
{
    public static JsonObject User(ScimUserView user, string baseUrl)
    {
        var name = new JsonObject();
        AddIfSet(name, "givenName", user.GivenName);
        AddIfSet(name, "familyName", user.FamilyName);
        AddIfSet(name, "formatted", $"{user.GivenName} {user.FamilyName}".Trim() is { Length: > 0 } formatted ? formatted : null);
        var body = new JsonObject
        {
            ["schemas"] = new JsonArray(ScimProtocol.UserSchema),
            ["id"] = user.Id.ToString(),
            ["userName"] = user.UserName,
            ["name"] = name,
            ["active"] = user.Active,
            ["emails"] = new JsonArray(new JsonObject { ["value"] = user.Email, ["type"] = "work", ["primary"] = true }),
            ["meta"] = Meta("User", user.CreatedAt, user.UpdatedAt, $"{baseUrl}/Users/{user.Id}"),
        };
        AddIfSet(body, "externalId", user.ExternalId);
        AddIfSet(body, "displayName", user.DisplayName);
        return body;
    }

    public static JsonObject Group(ScimGroupView group, string baseUrl, bool withMembers = true)
    {
        var body = new JsonObject
        {
            ["schemas"] = new JsonArray(ScimProtocol.GroupSchema),
            ["id"] = group.Id.ToString(),
            ["displayName"] = group.DisplayName,
            ["meta"] = Meta("Group", group.CreatedAt, group.UpdatedAt, $"{baseUrl}/Groups/{group.Id}"),
        };
        AddIfSet(body, "externalId", group.ExternalId);
        if (withMembers)
        {
            body["members"] = new JsonArray([.. group.Members.Select(m => (JsonNode)new JsonObject
            {
                ["value"] = m.Id.ToString(),
                ["display"] = m.Display,
                ["$ref"] = $"{baseUrl}/Users/{m.Id}",
            })]);
        }

        return body;
    }

    /// <summary>A User body (POST, PUT): what the organization keeps of it. A password is never taken from a directory.</summary>
    public static ScimUserInput UserInput(JsonObject body, bool activeWhenMissing)
    {
        var name = ScimProtocol.Get(body, "name");
        if (name is not null and not JsonObject)
        {
            throw ScimException.Invalid("name must be an object.");
        }

        var active = ScimProtocol.Get(body, "active");
        return new ScimUserInput(
            ScimProtocol.String(ScimProtocol.Get(body, "userName"), "userName"),
            ScimProtocol.String(ScimProtocol.Get(body, "externalId"), "externalId"),
            ScimProtocol.String(ScimProtocol.Get(name as JsonObject, "givenName"), "name.givenName"),
            ScimProtocol.String(ScimProtocol.Get(name as JsonObject, "familyName"), "name.familyName"),
            ScimProtocol.String(ScimProtocol.Get(body, "displayName"), "displayName"),
            PrimaryEmail(ScimProtocol.Get(body, "emails")),
            active is null ? activeWhenMissing : ScimProtocol.Boolean(active, "active"));
    }

    public static ScimGroupInput GroupInput(JsonObject body) => new(
        ScimProtocol.String(ScimProtocol.Get(body, "displayName"), "displayName"),
        ScimProtocol.String(ScimProtocol.Get(body, "externalId"), "externalId"),
        MemberIds(ScimProtocol.Get(body, "members")));

    /// <summary>The <c>value</c> of each member object; an id that is no id of ours names no user here.</summary>
    public static IReadOnlyList<Guid> MemberIds(JsonNode? members)
    {
        if (members is null)
        {
            return [];
        }

        if (members is not JsonArray list)
        {
            throw ScimException.Invalid("members must be a list of objects with a value.");
        }

        return [.. list.Select(m => ScimProtocol.String(ScimProtocol.Get(m as JsonObject, "value"), "members.value") is { } value
            ? ScimProtocol.ParseId(value) ?? throw ScimException.Invalid($"There is no user {value} in this organization (members).")
            : throw ScimException.Invalid("Each member needs a value (the user's id).")) ];
    }

    /// <summary>The primary address, else the work one, else the first (Entra ID and Okta both mark one primary).</summary>
    private static string? PrimaryEmail(JsonNode? emails)
    {
        if (emails is null)
        {
            return null;
        }

        if (emails is not JsonArray list || list.Any(e => e is not JsonObject))
        {
            throw ScimException.Invalid("emails must be a list of objects.");
        }

        var entries = list.Cast<JsonObject>().ToList();
        var chosen = entries.FirstOrDefault(e => ScimProtocol.Get(e, "primary") is { } primary && ScimProtocol.Boolean(primary, "emails.primary"))
            ?? entries.FirstOrDefault(e => string.Equals(ScimProtocol.String(ScimProtocol.Get(e, "type"), "emails.type"), "work", StringComparison.OrdinalIgnoreCase))
            ?? entries.FirstOrDefault();
        return ScimProtocol.String(ScimProtocol.Get(chosen, "value"), "emails.value");
    }

    private static JsonObject Meta(string resourceType, DateTime created, DateTime lastModified, string location) => new()
    {
        ["resourceType"] = resourceType,
        ["created"] = Timestamp(created),
        ["lastModified"] = Timestamp(lastModified),
        ["location"] = location,
    };

    private static string Timestamp(DateTime value) =>
        DateTime.SpecifyKind(value, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static void AddIfSet(JsonObject body, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            body[name] = value;
        }
    }
}
