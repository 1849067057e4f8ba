using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using MultiOrg.Domain.Audit;

namespace MultiOrg.Web.Features.Audit;

/// <summary>
/// An audit entry as a person reads it on the page: "Member added · Mia Member" for <c>OrganizationMember.created</c>,
/// field names in words, ids as the names they stand for, one date format. The API and the CSV keep the raw fields.
/// </summary>
public static partial class AuditText
{
    public const string DateFormat = "d MMM yyyy HH:mm";

    /// <summary>What the page calls each kind of row the log records; kinds not listed read as their words ("Scim user").</summary>
    private static readonly Dictionary<string, string> Nouns = new(StringComparer.Ordinal)
    {
        ["Organization"] = "Organization",
        ["OrganizationMember"] = "Member",
        ["OrganizationNote"] = "Note",
        ["OrganizationBranding"] = "Branding",
        ["Invitation"] = "Invitation",
        ["JoinRequest"] = "Join request",
        ["VerifiedDomain"] = "Domain",
        ["Department"] = "Department",
        ["DepartmentAdmin"] = "Department admin",
        ["Team"] = "Team",
        ["TeamMember"] = "Team membership",
        ["Subscription"] = "Subscription",
        ["CreditEntry"] = "Credits",
        ["BillingCharge"] = "Charge",
        ["Statement"] = "Statement",
        ["StatementLine"] = "Statement line",
        ["ApiKey"] = "API key",
        ["SecurityPolicy"] = "Security policy",
        ["FeatureSwitch"] = "Feature switch",
        ["SsoConnection"] = "Single sign-on",
        ["SsoDomain"] = "Single sign-on domain",
        ["SamlProvider"] = "SAML identity provider",
        ["ScimToken"] = "SCIM token",
        ["ScimUser"] = "Directory user",
        ["ScimGroup"] = "Directory group",
        ["ConfigurationRow"] = "Configuration",
    };

    private static readonly Dictionary<string, string> Verbs = new(StringComparer.Ordinal)
    {
        ["created"] = "added",
        ["updated"] = "changed",
        ["deleted"] = "removed",
        ["removed"] = "removed",
        ["batchCreated"] = "sent in a batch",
    };

    /// <summary>Events that are no row change, by their whole action name.</summary>
    private static readonly Dictionary<string, string> Events = new(StringComparer.Ordinal)
    {
        ["impersonation.started"] = "Impersonation started",
        ["impersonation.ended"] = "Impersonation ended",
        ["client.onboarded"] = "Client onboarded",
        ["client.entity_copied"] = "Legal entity copied to the client",
        ["configuration.pushed"] = "Configuration pushed",
        ["audit.purged"] = "Old audit entries removed",
        ["token.refresh-reused"] = "Reused sign-in token refused",
        ["member.signed-out-everywhere"] = "Member signed out everywhere",
    };

    /// <summary>The action filter's choices, by plain name: each keeps the actions that start with its prefix.</summary>
    public static IReadOnlyList<(string Label, string Prefix)> Filters { get; } =
    [
        .. Nouns.Where(n => n.Key != "StatementLine" && n.Key != "ConfigurationRow").Select(n => (Plural(n.Value), $"{n.Key}.")),
        ("Impersonation", "impersonation."),
        ("Client onboarding", "client."),
        ("Configuration pushes", "configuration."),
        ("Audit retention", "audit."),
    ];

    public static string When(DateTime occurredAt) => occurredAt.ToLocalTime().ToString(DateFormat, CultureInfo.InvariantCulture);

    public static string Action(string action)
    {
        if (Events.TryGetValue(action, out var known))
        {
            return known;
        }

        var dot = action.LastIndexOf('.');
        if (dot < 0)
        {
            return Sentence(Words(action));
        }

        var (type, verb) = (action[..dot], action[(dot + 1)..]);
        var noun = Nouns.TryGetValue(type, out var named) ? named : Sentence(Words(type));
        return $"{noun} {(Verbs.TryGetValue(verb, out var plain) ? plain : Words(verb).ToLowerInvariant())}";
    }

    /// <summary>Who or what the entry is about, when its fields say: the person, else the row's name or address.</summary>
    public static string? Subject(AuditView entry, IReadOnlyDictionary<string, string> names)
    {
        var fields = Fields(entry.Changes).ToDictionary(f => f.Name, f => f.After ?? f.Before, StringComparer.Ordinal);
        foreach (var key in (string[])["UserId", "userId", "Name", "name", "Email", "email", "Domain", "domain", "Prefix"])
        {
            if (fields.GetValueOrDefault(key) is { Length: > 0 } value)
            {
                return names.GetValueOrDefault(value) ?? (IsId(value) ? null : value);
            }
        }

        return names.GetValueOrDefault(entry.TargetId);
    }

    /// <summary>The entry's fields as lines: "Role: Member → Admin", "Team: Leadership"; ids named, nameless ids left out.</summary>
    public static IReadOnlyList<(string Field, string Text)> Details(AuditView entry, IReadOnlyDictionary<string, string> names)
    {
        var lines = new List<(string, string)>();
        foreach (var (name, before, after, isChange) in Fields(entry.Changes))
        {
            if (Noise.Contains(name))
            {
                continue;
            }

            var (from, to) = (Value(before, names), Value(after, names));
            if ((before is not null && from is null) || (after is not null && to is null))
            {
                continue; // an id that names nothing left (a removed row): a GUID helps no reader
            }

            var label = name is "UserId" or "userId" ? "Person" : Sentence(Words(IdSuffix().Replace(name, "")));
            if (isChange && before is not null && after is not null)
            {
                lines.Add((label, $"{from} → {to}"));
            }
            else if ((to ?? from) is { } single)
            {
                lines.Add((label, isChange && after is null ? $"{single} (removed)" : single));
            }
        }

        return lines;
    }

    /// <summary>Bookkeeping fields that tell a reader nothing (keys, normalized copies, hashes' companions).</summary>
    private static readonly HashSet<string> Noise = new(StringComparer.Ordinal)
    {
        "Id", "OrganizationId", "Sequence", "IdempotencyKey", "NormalizedEmail", "NormalizedName", "ConcurrencyStamp", "Position", "rows",
    };

    private static string? Value(string? raw, IReadOnlyDictionary<string, string> names)
    {
        if (raw is null)
        {
            return null;
        }

        if (names.TryGetValue(raw, out var name))
        {
            return name;
        }

        if (IsId(raw))
        {
            return null;
        }

        if (raw.Contains(' ', StringComparison.Ordinal) && raw.Contains(':', StringComparison.Ordinal)
            && DateTime.TryParse(raw, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var moment))
        {
            return moment.TimeOfDay == TimeSpan.Zero
                ? moment.ToString("d MMM yyyy", CultureInfo.InvariantCulture)
                : DateTime.SpecifyKind(moment, DateTimeKind.Utc).ToLocalTime().ToString(DateFormat, CultureInfo.InvariantCulture);
        }

        return raw switch
        {
            "True" => "yes",
            "False" => "no",
            _ => raw,
        };
    }

    private static IEnumerable<(string Name, string? Before, string? After, bool IsChange)> Fields(string changes)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(changes);
        }
        catch (JsonException)
        {
            yield break;
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                yield break;
            }

            foreach (var property in document.RootElement.EnumerateObject())
            {
                var value = property.Value;
                if (value.ValueKind == JsonValueKind.Array && value.GetArrayLength() == 2)
                {
                    yield return (property.Name, Text(value[0]), Text(value[1]), true);
                }
                else
                {
                    yield return (property.Name, null, Text(value), false);
                }
            }
        }
    }

    private static string? Text(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        JsonValueKind.String => value.GetString() is { Length: > 0 } text ? text : null,
        _ => value.ToString(),
    };

    private static bool IsId(string value) => Guid.TryParse(value, out _);

    private static string Plural(string noun) => noun switch
    {
        "Credits" or "Branding" or "Single sign-on" or "Configuration" => noun,
        "Security policy" => "Security policies",
        "Team membership" => "Team memberships",
        _ => noun + "s",
    };

    /// <summary>"OrganizationMember" → "Organization Member", "refresh-reused" → "refresh reused".</summary>
    private static string Words(string name) => SplitWords().Replace(name.Replace('-', ' ').Replace('_', ' '), " ").Trim();

    private static string Sentence(string words) =>
        words.Length == 0 ? words : char.ToUpperInvariant(words[0]) + words[1..].ToLowerInvariant().Replace("api ", "API ", StringComparison.Ordinal);

    [GeneratedRegex("(?<=[a-z0-9])(?=[A-Z])")]
    private static partial Regex SplitWords();

    [GeneratedRegex("(?<=.)(User)?Id$")]
    private static partial Regex IdSuffix();
}
