using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using MultiOrg.Domain.Errors;
using MultiOrg.Domain.Scim;

namespace MultiOrg.Web.Features.Scim;

/// <summary>A refusal in SCIM's own terms (RFC 7644 §3.12): the HTTP status and, where the RFC names one, its scimType.</summary>
public sealed class ScimException(int status, string detail, string? scimType = null) : Exception(detail)
{
    public int Status { get; } = status;

    public string? ScimType { get; } = scimType;

    public static ScimException Invalid(string detail, string scimType = "invalidValue") => new(StatusCodes.Status400BadRequest, detail, scimType);
}

/// <summary>
/// The wire format of RFC 7643/7644 as this server speaks it: <c>application/scim+json</c>, attribute names without
/// case (§2.1 of 7643), errors in the Error message shape, the one filter form <c>attribute eq "value"</c>, bounded paging.
/// </summary>
public static partial class ScimProtocol
{
    public const string ContentType = "application/scim+json";
    public const string UserSchema = "urn:ietf:params:scim:schemas:core:2.0:User";
    public const string GroupSchema = "urn:ietf:params:scim:schemas:core:2.0:Group";
    public const string EnterpriseUserSchema = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
    public const string ErrorSchema = "urn:ietf:params:scim:api:messages:2.0:Error";
    public const string ListSchema = "urn:ietf:params:scim:api:messages:2.0:ListResponse";
    public const string PatchSchema = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

    /// <summary>A SCIM body is a few kilobytes; a member list of a large group stays far below this.</summary>
    public const int MaxBodyBytes = 1024 * 1024;

    public static IResult Json(JsonNode body, int status = StatusCodes.Status200OK) =>
        Results.Text(body.ToJsonString(), ContentType, System.Text.Encoding.UTF8, status);

    public static JsonObject Error(int status, string detail, string? scimType = null)
    {
        var error = new JsonObject
        {
            ["schemas"] = new JsonArray(ErrorSchema),
            ["status"] = status.ToString(CultureInfo.InvariantCulture),
            ["detail"] = detail,
        };
        if (scimType is not null)
        {
            error["scimType"] = scimType;
        }

        return error;
    }

    public static IResult ErrorResult(int status, string detail, string? scimType = null) => Json(Error(status, detail, scimType), status);

    /// <summary>The domain's refusals in SCIM terms: a duplicate is <c>uniqueness</c>, bad input <c>invalidValue</c>, a full organization 403.</summary>
    public static IResult ToError(DomainException error) => error.Kind switch
    {
        DomainErrorKind.Validation when error.Field == "filter" => ErrorResult(400, error.Message, "invalidFilter"),
        DomainErrorKind.Validation => ErrorResult(400, error.Field is { } field ? $"{error.Message} ({field})" : error.Message, "invalidValue"),
        DomainErrorKind.NotFound => ErrorResult(404, error.Message),
        DomainErrorKind.Conflict when error.Field is ScimFields.UserName or ScimFields.ExternalId or ScimFields.DisplayName or ScimFields.Emails =>
            ErrorResult(409, error.Message, "uniqueness"),
        DomainErrorKind.Conflict => ErrorResult(409, error.Message),
        DomainErrorKind.Unauthenticated => ErrorResult(401, error.Message),
        _ => ErrorResult(403, error.Message),
    };

    /// <summary>Reads a JSON object body, bounded in size; anything else is <c>invalidSyntax</c>.</summary>
    public static async Task<JsonObject> ReadObjectAsync(HttpRequest request, CancellationToken ct)
    {
        if (request.ContentLength > MaxBodyBytes)
        {
            throw new ScimException(StatusCodes.Status413PayloadTooLarge, $"The request body is larger than {MaxBodyBytes} bytes.");
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                throw new ScimException(StatusCodes.Status413PayloadTooLarge, $"The request body is larger than {MaxBodyBytes} bytes.");
            }

            buffer.Write(chunk, 0, read);
        }

        try
        {
            return JsonNode.Parse(buffer.ToArray(), documentOptions: new JsonDocumentOptions { MaxDepth = 16 }) as JsonObject
                ?? throw ScimException.Invalid("The request body must be a JSON object.", "invalidSyntax");
        }
        catch (JsonException)
        {
            throw ScimException.Invalid("The request body is not valid JSON.", "invalidSyntax");
        }
    }

    /// <summary>The body must say what it is (RFC 7643 §3): a User body carries the User schema, a PATCH the PatchOp message.</summary>
    public static void RequireSchema(JsonObject body, string schema)
    {
        if (Get(body, "schemas") is not JsonArray schemas
            || !schemas.Any(s => s is JsonValue v && v.TryGetValue<string>(out var text) && string.Equals(text, schema, StringComparison.OrdinalIgnoreCase)))
        {
            throw ScimException.Invalid($"The request's schemas must include {schema}.", "invalidSyntax");
        }
    }

    /// <summary>An attribute by name, without regard to case (RFC 7643 §2.1).</summary>
    public static JsonNode? Get(JsonObject? body, string name) =>
        body?.FirstOrDefault(p => string.Equals(p.Key, name, StringComparison.OrdinalIgnoreCase)).Value;

    public static string? String(JsonNode? node, string attribute) => node switch
    {
        null => null,
        JsonValue value when value.TryGetValue<string>(out var text) => text,
        _ => throw ScimException.Invalid($"{attribute} must be a string."),
    };

    /// <summary>A boolean, or the strings "True"/"False" in any case, which Entra ID sends for <c>active</c>.</summary>
    public static bool Boolean(JsonNode? node, string attribute)
    {
        if (node is JsonValue value)
        {
            if (value.TryGetValue<bool>(out var flag))
            {
                return flag;
            }

            if (value.TryGetValue<string>(out var text) && bool.TryParse(text.Trim(), out flag))
            {
                return flag;
            }
        }

        throw ScimException.Invalid($"{attribute} must be true or false.");
    }

    /// <summary>SCIM's paging (RFC 7644 §3.4.2.4): startIndex below 1 is 1, count below 0 is 0, and at most <see cref="ScimFields.MaxResults"/>.</summary>
    public static (int StartIndex, int Count) Paging(HttpRequest request)
    {
        var startIndex = Integer(request, "startIndex") ?? 1;
        var count = Integer(request, "count") ?? ScimFields.MaxResults;
        return (Math.Clamp(startIndex, 1, 1_000_000_000), Math.Clamp(count, 0, ScimFields.MaxResults));
    }

    private static int? Integer(HttpRequest request, string name)
    {
        var text = request.Query[name].ToString();
        if (text.Length == 0)
        {
            return null;
        }

        return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number)
            ? (int)Math.Clamp(number, int.MinValue, int.MaxValue)
            : throw ScimException.Invalid($"{name} must be an integer.");
    }

    /// <summary>
    /// The filter, when there is one: only <c>attribute eq "value"</c> on the attributes given (a schema-qualified name
    /// too); every other expression, operator or attribute is <c>invalidFilter</c>.
    /// </summary>
    public static ScimFilter? Filter(HttpRequest request, string schema, params string[] attributes)
    {
        var text = request.Query["filter"].ToString();
        if (text.Length == 0)
        {
            return null;
        }

        var match = EqualsFilter().Match(text);
        if (!match.Success)
        {
            throw ScimException.Invalid(
                $"Only filters of the form 'attribute eq \"value\"' are supported here, on {string.Join(" or ", attributes)}.", "invalidFilter");
        }

        var attribute = match.Groups["attribute"].Value;
        if (attribute.StartsWith(schema + ":", StringComparison.OrdinalIgnoreCase))
        {
            attribute = attribute[(schema.Length + 1)..];
        }

        var known = attributes.FirstOrDefault(a => string.Equals(a, attribute, StringComparison.OrdinalIgnoreCase))
            ?? throw ScimException.Invalid($"Filtering by {attribute} is not supported; filter by {string.Join(" or ", attributes)}.", "invalidFilter");
        string value;
        try
        {
            value = JsonSerializer.Deserialize<string>(match.Groups["value"].Value) ?? "";
        }
        catch (JsonException)
        {
            throw ScimException.Invalid("The filter's value is not a valid string.", "invalidFilter");
        }

        return new ScimFilter(known, value);
    }

    public static JsonObject ListResponse(IEnumerable<JsonNode> resources, int total, int startIndex)
    {
        var items = new JsonArray([.. resources]);
        return new JsonObject
        {
            ["schemas"] = new JsonArray(ListSchema),
            ["totalResults"] = total,
            ["startIndex"] = startIndex,
            ["itemsPerPage"] = items.Count,
            ["Resources"] = items,
        };
    }

    public static Guid? ParseId(string id) => Guid.TryParse(id, out var parsed) ? parsed : null;

    [GeneratedRegex("""^\s*(?<attribute>[A-Za-z0-9:._-]+)\s+eq\s+(?<value>"(?:[^"\\]|\\.)*")\s*$""", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 100)]
    private static partial Regex EqualsFilter();
}
