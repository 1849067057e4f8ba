using System.Net.Http.Headers;
using Microsoft.Kiota.Abstractions;
using Microsoft.Kiota.Abstractions.Authentication;
using Microsoft.Kiota.Http.HttpClientLibrary;
using MultiOrg.Tests.Api.Client;
using MultiOrg.Tests.Api.Client.Models;
using MultiOrg.Tests.Harness;

namespace MultiOrg.Tests.Api;

/// <summary>
/// The client Kiota generates from the OpenAPI document (Api/Client), used as an integrator would: proof that the
/// document describes what the server does, refusals included.
/// </summary>
public sealed class GeneratedClientTests
{
    [Fact]
    public async Task The_generated_client_signs_in_lists_organizations_and_members_and_manages_an_api_key()
    {
        using var factory = new ApiFactory();
        var member = await factory.RegisterAsync("member");
        var ownerEmail = (await factory.RegisterAsync("owner")).Email;
        using var anonymousHttp = factory.CreateClient();
        var anonymous = Client(anonymousHttp);

        var tokens = await anonymous.Api.Auth.Login.PostAsync(new LoginRequest { Email = ownerEmail, Password = ApiFactory.Password });
        using var ownerHttp = factory.CreateClient();
        ownerHttp.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tokens!.AccessToken);
        var owner = Client(ownerHttp);
        var created = await owner.Api.Organizations.PostAsync(new OrganizationNameRequest { Name = "Generated Ltd" });
        var organization = owner.Api.Organizations[created!.Id!.Value];
        await organization.Members.PostAsync(new AddMemberRequest { Email = member.Email, Role = OrganizationRole.MEMBER });

        var mine = await owner.Api.Organizations.GetAsync();
        var members = await organization.Members.GetAsync(request => request.QueryParameters.Sort = MemberSort.Email);

        mine!.Should().ContainSingle(o => o.Id == created.Id && o.Name == "Generated Ltd" && o.Role == OrganizationRole.OWNER);
        members!.Total.Should().Be(2);
        members.Items!.Select(m => (m.Email, m.Role)).Should().BeEquivalentTo([(ownerEmail, OrganizationRole.OWNER), (member.Email, OrganizationRole.MEMBER)]);

        var key = await organization.ApiKeys.PostAsync(new CreateApiKeyRequest { Name = "integration", Role = OrganizationRole.MEMBER });
        key!.Secret.Should().StartWith("mo_");
        key.Key!.Role.Should().Be(OrganizationRole.MEMBER);
        using var keyHttp = factory.CreateClient();
        keyHttp.DefaultRequestHeaders.Add("X-Api-Key", key.Secret);
        var withKey = Client(keyHttp).Api.Organizations[created.Id.Value];
        (await withKey.Members.GetAsync())!.Total.Should().Be(2, "a MEMBER key reads the member list");

        await organization.ApiKeys[key.Key.Id!.Value].DeleteAsync();

        var keys = await organization.ApiKeys.GetAsync();
        keys!.Should().ContainSingle().Which.RevokedAt.Should().NotBeNull();
        var refused = await FluentActions.Awaiting(() => withKey.Members.GetAsync()).Should().ThrowAsync<ApiException>();
        refused.Which.ResponseStatusCode.Should().Be(401, "a revoked key is no credential");
    }

    [Fact]
    public async Task A_refusal_reaches_the_generated_client_as_a_typed_problem()
    {
        using var factory = new ApiFactory();
        var owner = await factory.RegisterAsync("owner");
        var outsider = await factory.RegisterAsync("outsider");
        var organizationId = await owner.CreateOrganizationAsync("Closed Ltd");
        var outsiderClient = Client(outsider.Client);

        var forbidden = await FluentActions.Awaiting(() => outsiderClient.Api.Organizations[organizationId].Members.GetAsync())
            .Should().ThrowAsync<ProblemDetails>();

        forbidden.Which.ResponseStatusCode.Should().Be(403);
        forbidden.Which.Status.Should().Be(403);
        forbidden.Which.Title.Should().Be("Forbidden");
        forbidden.Which.Detail.Should().NotBeNullOrWhiteSpace();
    }

    private static MultiOrgClient Client(HttpClient http) =>
        new(new HttpClientRequestAdapter(new AnonymousAuthenticationProvider(), httpClient: http) { BaseUrl = http.BaseAddress!.ToString().TrimEnd('/') });
}
