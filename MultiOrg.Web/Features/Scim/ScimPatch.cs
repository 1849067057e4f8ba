using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using MultiOrg.Domain.Scim;

namespace MultiOrg.Web.Features.Scim;

/// <summary>
/// PATCH (RFC 7644 §3.5.2) in the forms Entra ID and Okta send: op names in any case; <c>replace</c> with a path, or
/// without one and an object of attributes (whose keys may themselves be paths such as <c>name.givenName</c>);
/// <c>active</c> as a boolean or the string "False"; group members added, removed by value or by
/// <c>members[value eq "…"]</c>, or replaced. The operations are applied to the current resource in memory and the result
/// is saved in one transaction, so a request either applies every operation or none.
/// </summary>
public static partial class ScimPatch
{
    /// <summary>The User schema's attributes (RFC 7643 §4.1) that are accepted and not kept here (title, phone numbers…).</summary>
    private static readonly HashSet<string> IgnoredUserAttributes = new(StringComparer.OrdinalIgnoreCase)
    {
        "nickName", "profileUrl", "title", "userType", "preferredLanguage", "locale", "timezone", "password", "emails", "phoneNumbers",
        "ims", "photos", "addresses", "groups", "entitlements", "roles", "x509Certificates", "id", "meta", "schemas",
    };

    public static ScimUserInput ApplyToUser(ScimUserInput user, JsonObject body)
    {
        foreach (var (op, path, value) in Operations(body))
        {
            if (path is null)
            {
                if (op == "remove" || value is not JsonObject attributes)
                {
                    throw ScimException.Invalid(op == "remove" ? "A remove operation needs a path." : "An operation without a path needs an object value.",
                        op == "remove" ? "noTarget" : "invalidValue");
                }

                foreach (var (key, item) in attributes)
                {
                    user = SetUserAttribute(user, key, op, item);
                }
            }
            else
            {
                user = SetUserAttribute(user, path, op, value);
            }
        }

        return user;
    }

    public static ScimGroupInput ApplyToGroup(ScimGroupInput group, JsonObject body)
    {
        foreach (var (op, path, value) in Operations(body))
        {
            if (path is null)
            {
                if (op == "remove" || value is not JsonObject attributes)
                {
                    throw ScimException.Invalid("An operation without a path needs an object value.", op == "remove" ? "noTarget" : "invalidValue");
                }

                foreach (var (key, item) in attributes)
                {
                    group = SetGroupAttribute(group, key, op, item);
                }
            }
            else
            {
                group = SetGroupAttribute(group, path, op, value);
            }
        }

        return group;
    }

    private static ScimUserInput SetUserAttribute(ScimUserInput user, string path, string op, JsonNode? value)
    {
        var attribute = Unqualified(path, ScimProtocol.UserSchema);
        if (attribute is null)
        {
            // An extension's attribute (the enterprise User's department, employeeNumber…): not kept here.
            return user;
        }

        var remove = op == "remove";
        switch (attribute.ToLowerInvariant())
        {
            case "username":
                return remove ? throw ScimException.Invalid("userName cannot be removed.", "mutability") : user with { UserName = ScimProtocol.String(value, "userName") };
            case "externalid":
                return user with { ExternalId = remove ? null : ScimProtocol.String(value, "externalId") };
            case "displayname":
                return user with { DisplayName = remove ? null : ScimProtocol.String(value, "displayName") };
            case "name.givenname":
                return user with { GivenName = remove ? null : ScimProtocol.String(value, "name.givenName") };
            case "name.familyname":
                return user with { FamilyName = remove ? null : ScimProtocol.String(value, "name.familyName") };
            case "name.formatted":
                return user;
            case "name":
                if (remove)
                {
                    return user with { GivenName = null, FamilyName = null };
                }

                var name = value as JsonObject ?? throw ScimException.Invalid("name must be an object.");
                return user with
                {
                    GivenName = ScimProtocol.Get(name, "givenName") is { } given ? ScimProtocol.String(given, "name.givenName") : user.GivenName,
                    FamilyName = ScimProtocol.Get(name, "familyName") is { } family ? ScimProtocol.String(family, "name.familyName") : user.FamilyName,
                };
            case "active":
                return remove ? throw ScimException.Invalid("active cannot be removed.", "mutability") : user with { Active = ScimProtocol.Boolean(value, "active") };
            default:
                return IgnoredUserAttributes.Contains(AttributeName(attribute))
                    ? user
                    : throw ScimException.Invalid($"{path} is not an attribute of a User.", "invalidPath");
        }
    }

    private static ScimGroupInput SetGroupAttribute(ScimGroupInput group, string path, string op, JsonNode? value)
    {
        var attribute = Unqualified(path, ScimProtocol.GroupSchema) ?? throw ScimException.Invalid($"{path} is not an attribute of a Group.", "invalidPath");
        var remove = op == "remove";
        if (MemberFilter().Match(attribute) is { Success: true } filtered)
        {
            var id = ScimProtocol.ParseId(filtered.Groups["id"].Value);
            return remove
                ? group with { Members = [.. group.Members.Where(m => m != id)] }
                : throw ScimException.Invalid("Only remove takes a filtered members path.", "invalidPath");
        }

        switch (attribute.ToLowerInvariant())
        {
            case "displayname":
                return remove ? throw ScimException.Invalid("displayName cannot be removed.", "mutability") : group with { DisplayName = ScimProtocol.String(value, "displayName") };
            case "externalid":
                return group with { ExternalId = remove ? null : ScimProtocol.String(value, "externalId") };
            case "members":
                var ids = ScimResources.MemberIds(value);
                return op switch
                {
                    "add" => group with { Members = [.. group.Members.Union(ids)] },
                    "replace" => group with { Members = ids },

                    // Entra ID removes by listing the members in the value; without a value, every member goes.
                    _ => group with { Members = value is null ? [] : [.. group.Members.Except(ids)] },
                };
            case "id" or "meta" or "schemas":
                // Okta's replace without a path repeats the id beside the new displayName.
                return group;
            default:
                throw ScimException.Invalid($"{path} is not an attribute of a Group.", "invalidPath");
        }
    }

    private static IEnumerable<(string Op, string? Path, JsonNode? Value)> Operations(JsonObject body)
    {
        ScimProtocol.RequireSchema(body, ScimProtocol.PatchSchema);
        if (ScimProtocol.Get(body, "Operations") is not JsonArray operations || operations.Count == 0)
        {
            throw ScimException.Invalid("A PATCH request needs a non-empty Operations list.", "invalidSyntax");
        }

        if (operations.Count > 1000)
        {
            throw ScimException.Invalid("A PATCH request takes at most 1000 operations.", "tooMany");
        }

        foreach (var item in operations)
        {
            var operation = item as JsonObject ?? throw ScimException.Invalid("Each operation must be an object.", "invalidSyntax");
            var op = ScimProtocol.String(ScimProtocol.Get(operation, "op"), "op")?.ToLowerInvariant();
            if (op is not ("add" or "replace" or "remove"))
            {
                throw ScimException.Invalid("op must be add, replace or remove.", "invalidSyntax");
            }

            var path = ScimProtocol.String(ScimProtocol.Get(operation, "path"), "path");
            yield return (op, string.IsNullOrWhiteSpace(path) ? null : path.Trim(), ScimProtocol.Get(operation, "value"));
        }
    }

    /// <summary>The attribute path without the resource's own schema URN, or null when it belongs to an extension schema.</summary>
    private static string? Unqualified(string path, string schema)
    {
        if (path.StartsWith(schema + ":", StringComparison.OrdinalIgnoreCase))
        {
            return path[(schema.Length + 1)..];
        }

        return path.StartsWith("urn:", StringComparison.OrdinalIgnoreCase) ? null : path;
    }

    /// <summary>The attribute a path starts with: <c>emails</c> for <c>emails[type eq "work"].value</c>.</summary>
    private static string AttributeName(string path)
    {
        var end = path.IndexOfAny(['[', '.']);
        if (end >= 0 && path[end] == '[' && !path.Contains(']', StringComparison.Ordinal))
        {
            throw ScimException.Invalid($"{path} is not a valid path.", "invalidPath");
        }

        return end < 0 ? path : path[..end];
    }

    [GeneratedRegex("""^members\[\s*value\s+eq\s+"(?<id>[^"]*)"\s*\]$""", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 100)]
    private static partial Regex MemberFilter();
}
