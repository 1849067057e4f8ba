using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using MultiOrg.Domain.ApiKeys;
using MultiOrg.Domain.Audit;
using MultiOrg.Domain.Billing;
using MultiOrg.Domain.Clients;
using MultiOrg.Domain.FeatureSwitches;
using MultiOrg.Domain.Invitations;
using MultiOrg.Domain.Joining;
using MultiOrg.Domain.Members;
using MultiOrg.Domain.Organizations;
using MultiOrg.Domain.Security;
using MultiOrg.Domain.Teams;
using MultiOrg.Web.Features.Security;

namespace MultiOrg.Web.Doors.Api;

/// <summary>Descriptions of the API's main types in the OpenAPI document (the domain has no XML documentation file to read them from).</summary>
internal static class OpenApiSchemas
{
    private static readonly Dictionary<Type, string> Descriptions = new()
    {
        [typeof(OrganizationRole)] = "A person's (or API key's) role in one organization: OWNER, ADMIN or MEMBER.",
        [typeof(OrganizationSummary)] = "An organization as one person sees it in lists: their role there; partnerId for a client organization, viaPartner when they reach it as partner staff.",
        [typeof(OrganizationDetails)] = "One organization with member, owner and client counts, as the caller sees it.",
        [typeof(MeResponse)] = "Who the caller is, the organizations they belong to and the one a new tab starts in.",
        [typeof(UserView)] = "A person: id, email, display name and global role (support staff, system administrator).",
        [typeof(MemberView)] = "A member of the organization with their role, when they joined, and their teams and departments.",
        [typeof(PagedResult<>)] = "One page of a list: the items, the total over every page, the 1-based page and its size.",
        [typeof(ApiKeyView)] = "An organization's API key as its list shows it (never the secret): its role, the role it acts with now, and why it stopped if it did.",
        [typeof(CreatedApiKey)] = "A new API key: `secret` is shown this once and never again; send it as `Authorization: Bearer` or `X-Api-Key`.",
        [typeof(InvitationView)] = "A pending invitation as owners and admins see it (never its token).",
        [typeof(JoinRequestView)] = "A person's request to join the organization, waiting for an owner or admin.",
        [typeof(DirectoryEntry)] = "A public organization as the directory shows it to any signed-in person.",
        [typeof(ClientView)] = "A client organization of this partner.",
        [typeof(TeamStructure)] = "The organization's departments and teams, with what the caller may do to each.",
        [typeof(TeamView)] = "A team: its department, leaders and member count, and what the caller may do to it.",
        [typeof(DepartmentView)] = "A department: its parent, its admins and how many teams it holds.",
        [typeof(BillingSummary)] = "The organization's plan, seats (members and open invitations each hold one), credit balance and recent usage.",
        [typeof(CreditEntryView)] = "One entry of the append-only credit ledger, with the balance after it.",
        [typeof(StatementView)] = "An immutable monthly statement: its lines, the amount due and, for a partner, a section per client billed to it.",
        [typeof(AuditView)] = "One audit entry: who (and the real actor during an impersonation), through which door, what changed (before → after) and from which address.",
        [typeof(FeatureStatus)] = "Whether a feature can be used here: switched on, included in the plan, paused for an overdue statement, and the refusal if not.",
        [typeof(SecurityPolicyView)] = "The organization's security policies: two-factor, password rules, idle timeout, IP allow-list and audit retention.",
        [typeof(OrganizationProfileView)] = "The organization's profile (description, type, website, contacts, visibility) and whether the caller may edit it.",
        [typeof(Microsoft.AspNetCore.Mvc.ProblemDetails)] = "An RFC 9457 problem: `title` and `detail` say what went wrong; a 403 from a security policy carries `refusal`.",
        [typeof(HttpValidationProblemDetails)] = "A 400 problem: `errors` maps each invalid field to what is wrong with it.",
    };

    public static Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken ct)
    {
        var type = context.JsonTypeInfo.Type;
        var key = type.IsGenericType ? type.GetGenericTypeDefinition() : type;
        if (context.JsonPropertyInfo is null && schema.Description is null && Descriptions.TryGetValue(key, out var description))
        {
            schema.Description = description;
        }

        // The extension ApiErrors adds to a 403 that a security policy caused, so a generated client reads it as a field.
        if (context.JsonPropertyInfo is null && type == typeof(Microsoft.AspNetCore.Mvc.ProblemDetails) && schema.Properties is { } properties)
        {
            properties["refusal"] = new OpenApiSchema
            {
                Type = JsonSchemaType.String,
                Description = "On a 403 from a security policy, which one: " +
                    string.Join(", ", Enum.GetNames<SecurityRefusal>().Where(n => n != nameof(SecurityRefusal.None))) + ".",
            };
        }

        return Task.CompletedTask;
    }
}
