using System.Net;
using System.Text;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using MultiOrg.Domain.Organizations;
using MultiOrg.Domain.Permissions;
using MultiOrg.Tests.Harness;
using MultiOrg.Web.Doors.Api;

namespace MultiOrg.Tests.Permissions;

/// <summary>
/// Permission before validation: every organization endpoint declares its permission, and a caller without it gets 403
/// before the body is read or an id looked up. The cases are generated from the endpoint list and the permission table,
/// so a new endpoint is covered without a new test.
/// </summary>
public sealed class PermissionBeforeBindingApiTests(ApiWorld world) : IClassFixture<ApiWorld>
{
    // Not JSON, not a CSV, not an image: a handler that bound it would answer 400.
    private const string Garbage = "{\"name\": [1, 2,, \u0000";

    [Fact]
    public void Every_organization_endpoint_declares_its_permission()
    {
        var endpoints = OrganizationEndpoints();

        endpoints.Should().HaveCountGreaterThan(50, "the organization API group is found in the endpoint list");
        endpoints.Where(e => e.Metadata.GetMetadata<OrganizationPermission>() is null).Select(Describe)
            .Should().BeEmpty("each endpoint of /api/organizations/{orgId} declares RequirePermission(…) or AllowAnyMember()");
    }

    [Fact]
    public async Task A_member_gets_403_from_every_endpoint_whose_permission_members_lack_whatever_the_body_and_ids()
    {
        var organizationId = await world.FullOrganizationAsync("Before binding");
        var refused = OrganizationEndpoints()
            .Where(e => e.Metadata.GetMetadata<OrganizationPermission>()?.Permission is { } p && !OrganizationRole.Member.Allows(p))
            .ToList();
        refused.Should().NotBeEmpty();

        var wrong = await WrongAnswersAsync(world.Member.Client, organizationId, refused);

        wrong.Should().BeEmpty($"a MEMBER sending garbage to {refused.Count} endpoints must get 403 from each:\n{{0}}", string.Join("\n", wrong));
    }

    [Fact]
    public async Task A_stranger_gets_403_from_every_organization_endpoint_whatever_the_body_and_ids()
    {
        var organizationId = await world.FullOrganizationAsync("Strangers");
        var endpoints = OrganizationEndpoints();

        var wrong = await WrongAnswersAsync(world.Outsider.Client, organizationId, endpoints);

        wrong.Should().BeEmpty($"someone who is not a member sending garbage to {endpoints.Count} endpoints must get 403 from each:\n{{0}}", string.Join("\n", wrong));
    }

    [Fact]
    public async Task A_member_gets_403_not_a_validation_error_for_single_sign_on_and_not_department_not_found_for_a_team()
    {
        var organizationId = await world.FullOrganizationAsync("Named cases");
        var url = $"/api/organizations/{organizationId}";

        var sso = await world.Member.Client.PutAsync($"{url}/sso", new StringContent("{\"authority\": 12}", Encoding.UTF8, "application/json"));
        var team = await world.Member.Client.PostAsync($"{url}/teams",
            new StringContent($"{{\"name\": \"Mine\", \"departmentId\": \"{Guid.NewGuid()}\"}}", Encoding.UTF8, "application/json"));

        sso.StatusCode.Should().Be(HttpStatusCode.Forbidden, await sso.Content.ReadAsStringAsync());
        team.StatusCode.Should().Be(HttpStatusCode.Forbidden, await team.Content.ReadAsStringAsync());
        (await team.Content.ReadAsStringAsync()).Should().NotContain("Department");
    }

    private List<RouteEndpoint> OrganizationEndpoints() =>
        [.. world.Factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api/organizations/", StringComparison.Ordinal) == true
                && e.RoutePattern.Parameters.Any(p => p.Name == "orgId"))];

    /// <summary>Sends garbage with random sub-ids to each endpoint; returns those that did not answer 403 with a problem.</summary>
    private static async Task<List<string>> WrongAnswersAsync(HttpClient client, Guid organizationId, IEnumerable<RouteEndpoint> endpoints)
    {
        var wrong = new List<string>();
        foreach (var endpoint in endpoints)
        {
            foreach (var method in endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"])
            {
                // Garbage in the media type the endpoint accepts: routing answers 415 to any other before anyone is known.
                var mediaType = endpoint.Metadata.GetMetadata<IAcceptsMetadata>()?.ContentTypes.FirstOrDefault() ?? "application/json";
                using var request = new HttpRequestMessage(new HttpMethod(method), Url(endpoint, organizationId))
                {
                    Content = method is "GET" or "DELETE" ? null : new StringContent(Garbage, Encoding.UTF8, mediaType),
                };
                using var response = await client.SendAsync(request);
                var body = await response.Content.ReadAsStringAsync();
                if (response.StatusCode != HttpStatusCode.Forbidden || !body.Contains("\"detail\"", StringComparison.Ordinal))
                {
                    wrong.Add($"{method} {request.RequestUri}: {(int)response.StatusCode} {body}");
                }
            }
        }

        return wrong;
    }

    /// <summary>The route with the organization's id and a random value for every other parameter.</summary>
    private static string Url(RouteEndpoint endpoint, Guid organizationId)
    {
        var url = endpoint.RoutePattern.RawText!;
        foreach (var parameter in endpoint.RoutePattern.Parameters)
        {
            var value = parameter.Name == "orgId" ? organizationId.ToString()
                : parameter.ParameterPolicies.Any(p => p.Content == "guid") ? Guid.NewGuid().ToString()
                : $"x{Guid.NewGuid():N}";
            var start = url.IndexOf("{" + parameter.Name, StringComparison.Ordinal);
            url = url[..start] + value + url[(url.IndexOf('}', start) + 1)..];
        }

        return url;
    }

    private static string Describe(RouteEndpoint endpoint) =>
        $"{string.Join(",", endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? [])} {endpoint.RoutePattern.RawText}";
}
