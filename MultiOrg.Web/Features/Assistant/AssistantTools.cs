using System.Reflection;
using System.ComponentModel;
using ModelContextProtocol;
using ModelContextProtocol.Server;
using MultiOrg.Domain.Accounting;
using MultiOrg.Domain.Clients;
using MultiOrg.Domain.Errors;
using MultiOrg.Domain.Members;
using MultiOrg.Domain.Organizations;
using MultiOrg.Domain.Tenancy;

namespace MultiOrg.Web.Features.Assistant;

/// <summary>
/// The AI assistant's tools. Each call runs as the connection's user (or API key) inside one organization, through
/// the same domain services and permission checks as the pages and the API.
/// </summary>
[McpServerToolType]
public sealed class AssistantTools(IHttpContextAccessor httpContextAccessor)
{
    [McpServerTool(Name = "who_am_i", ReadOnly = true), Description("Who this connection acts as, and in which organization and role.")]
    public Task<object> WhoAmIAsync(McpServer server, CancellationToken ct) => RunAsync(server, async services =>
    {
        var tenant = services.GetRequiredService<TenantContext>();
        var context = await services.GetRequiredService<OrganizationService>().GetUserContextAsync(ct);
        return new
        {
            user = context.User,
            organization = new { id = tenant.OrganizationId, name = tenant.OrganizationName, role = tenant.Role?.ToApiName() },
            connection = tenant.ApiKey is { } key ? $"API key {key.Name}" : "assistant connection",
        };
    });

    [McpServerTool(Name = "list_my_organizations", ReadOnly = true), Description("The organizations this connection can work in, with its role in each.")]
    public Task<object> ListMyOrganizationsAsync(McpServer server, CancellationToken ct) => RunAsync(server, async services =>
    {
        // The person's organizations outside the grant are not the assistant's to see (an API key lists only its own).
        var door = services.GetRequiredService<Doors.AssistantDoor>();
        return (await services.GetRequiredService<OrganizationService>().ListMineAsync(ct))
            .Where(o => door.Reaches(o.Id))
            .Select(o => new { o.Id, o.Name, role = o.Role.ToApiName(), kind = o.Kind.ToString() })
            .ToList();
    });

    [McpServerTool(Name = "switch_organization"), Description("Work in another organization for the rest of this session (user connections only).")]
    public Task<object> SwitchOrganizationAsync(McpServer server, [Description("The id of the organization to switch to")] Guid organizationId, CancellationToken ct) =>
        RunAsync(server, async services =>
        {
            if (services.GetRequiredService<TenantContext>().ApiKey is not null)
            {
                throw new DomainException(DomainErrorKind.Forbidden, "A connection made with an organization's API key stays in that organization.");
            }

            var entered = await services.GetRequiredService<Doors.AssistantDoor>().SwitchAsync(server.SessionId, organizationId, ct);
            return new { switchedTo = new { entered.Id, entered.Name, role = entered.Role.ToApiName() } };
        });

    [McpServerTool(Name = "organization_details", ReadOnly = true), Description("Details of the current organization: name, kind, members, clients.")]
    public Task<object> OrganizationDetailsAsync(McpServer server, CancellationToken ct) => RunAsync(server, async services =>
        await services.GetRequiredService<OrganizationService>().GetCurrentAsync(ct));

    [McpServerTool(Name = "list_members", ReadOnly = true), Description("Members of the current organization, searchable by name or email, 50 per page.")]
    public Task<object> ListMembersAsync(McpServer server, [Description("Part of a name or email")] string? search = null, [Description("Page, from 1")] int page = 1, CancellationToken ct = default) =>
        RunAsync(server, async services =>
            await services.GetRequiredService<MemberService>().ListAsync(new MemberQuery(search, Page: page, PageSize: 50), ct));

    [McpServerTool(Name = "list_clients", ReadOnly = true), Description("Client organizations of the current partner organization.")]
    public Task<object> ListClientsAsync(McpServer server, [Description("Part of a client's name")] string? search = null, CancellationToken ct = default) =>
        RunAsync(server, async services => await services.GetRequiredService<ClientOnboardingService>().ListClientsAsync(search, ct));

    [McpServerTool(Name = "chart_of_accounts", ReadOnly = true), Description("The chart of accounts of the current organization.")]
    public Task<object> ChartOfAccountsAsync(McpServer server, CancellationToken ct) => RunAsync(server, async services =>
        await services.GetRequiredService<AccountingService>().ListAccountsAsync(ct));

    /// <summary>Comes in through the door (the connection's person or key, its session's organization) and runs the tool.</summary>
    private async Task<object> RunAsync<T>(McpServer server, Func<IServiceProvider, Task<T>> tool, [System.Runtime.CompilerServices.CallerMemberName] string method = "")
        where T : notnull
    {
        var toolName = typeof(AssistantTools).GetMethod(method)?.GetCustomAttribute<McpServerToolAttribute>()?.Name ?? method;
        var http = httpContextAccessor.HttpContext ?? throw new McpException("The assistant endpoint needs an HTTP request.");
        try
        {
            await http.RequestServices.GetRequiredService<Doors.AssistantDoor>().EnterForToolAsync(server.SessionId, toolName, http.RequestAborted);
            return await tool(http.RequestServices);
        }
        catch (DomainException error)
        {
            // The assistant sees the same refusal a page or the API would show.
            throw new McpException(error.Message);
        }
    }
}
