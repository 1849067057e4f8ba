using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using MultiOrg.Tests.Harness;

namespace MultiOrg.Tests.Hosting;

/// <summary>Two app instances over one database: what one signs, the other accepts (Data Protection keys in the database).</summary>
public sealed class SharedKeysTests
{
    [Fact]
    public async Task A_token_issued_by_one_server_is_accepted_by_another_sharing_the_database()
    {
        using var serverA = new ApiFactory();
        var user = await serverA.RegisterAsync("traveller");
        var organizationId = await user.CreateOrganizationAsync("Roaming Ltd");
        using var serverB = new ApiFactory(new Dictionary<string, string> { ["ConnectionStrings:MultiOrg"] = serverA.Database.ConnectionString });
        using var clientOnB = serverB.CreateClient();
        clientOnB.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", user.Client.DefaultRequestHeaders.Authorization!.Parameter);

        var response = await clientOnB.GetAsync($"/api/organizations/{organizationId}");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await response.JsonAsync()).GetProperty("name").GetString().Should().Be("Roaming Ltd");
        await using var db = serverA.Database.CreateContext();
        (await db.DataProtectionKeys.CountAsync()).Should().BeGreaterThan(0, "the key ring lives in the database");
    }
}
