using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using MultiOrg.Tests.Harness;

namespace MultiOrg.Tests.Teams;

/// <summary>Teams, profile, branding and the directory over real HTTP: ids are checked against the route's organization.</summary>
public sealed class TeamsAndDirectoryApiTests(ApiWorld world) : IClassFixture<ApiWorld>
{
    [Fact]
    public async Task Team_and_department_ids_of_organization_B_are_not_found_through_organization_A()
    {
        var a = await world.Owner.CreateOrganizationAsync("Teams A");
        var b = await world.Outsider.CreateOrganizationAsync("Teams B");
        var teamOfB = (await (await world.Outsider.Client.PostAsJsonAsync($"/api/organizations/{b}/teams", new { name = "B team" })).JsonAsync()).GetProperty("id").GetGuid();
        var departmentOfB = (await (await world.Outsider.Client.PostAsJsonAsync($"/api/organizations/{b}/departments", new { name = "B dept" })).JsonAsync()).GetProperty("id").GetGuid();
        var teamOfA = (await (await world.Owner.Client.PostAsJsonAsync($"/api/organizations/{a}/teams", new { name = "A team" })).JsonAsync()).GetProperty("id").GetGuid();

        var responses = new[]
        {
            await world.Owner.Client.PostAsJsonAsync($"/api/organizations/{a}/teams/{teamOfB}/members", new { userId = world.Owner.Id }),
            await world.Owner.Client.DeleteAsync($"/api/organizations/{a}/teams/{teamOfB}"),
            await world.Owner.Client.PatchAsJsonAsync($"/api/organizations/{a}/teams/{teamOfB}", new { name = "Taken" }),
            await world.Owner.Client.PostAsJsonAsync($"/api/organizations/{a}/teams", new { name = "Sneaky", departmentId = departmentOfB }),
            await world.Owner.Client.PutAsync($"/api/organizations/{a}/departments/{departmentOfB}/admins/{world.Owner.Id}", null),
            await world.Owner.Client.PostAsJsonAsync($"/api/organizations/{a}/teams/{teamOfA}/members", new { userId = world.Outsider.Id }),
            await world.Owner.Client.GetAsync($"/api/organizations/{a}/teams/{teamOfB}/members"),
        };

        responses.Select(r => r.StatusCode).Should().AllBeEquivalentTo(HttpStatusCode.NotFound);
        var structureOfB = await world.Outsider.Client.GetFromJsonAsync<JsonElement>($"/api/organizations/{b}/teams");
        structureOfB.GetProperty("teams").EnumerateArray().Select(t => t.GetProperty("name").GetString()).Should().Equal("B team");
    }

    [Fact]
    public async Task A_team_leader_manages_their_team_over_the_api_but_not_the_organization()
    {
        var id = await world.FullOrganizationAsync("Leaders");
        var team = (await (await world.Owner.Client.PostAsJsonAsync($"/api/organizations/{id}/teams", new { name = "Ops" })).JsonAsync()).GetProperty("id").GetGuid();
        (await world.Owner.Client.PutAsync($"/api/organizations/{id}/teams/{team}/leaders/{world.Member.Id}", null)).StatusCode.Should().Be(HttpStatusCode.NoContent);

        var add = await world.Member.Client.PostAsJsonAsync($"/api/organizations/{id}/teams/{team}/members", new { userId = world.Target.Id });
        var promote = await world.Member.Client.PatchAsJsonAsync($"/api/organizations/{id}/members/{world.Target.Id}", new { role = "ADMIN" });
        var rename = await world.Member.Client.PatchAsJsonAsync($"/api/organizations/{id}/teams/{team}", new { name = "Mine" });

        add.StatusCode.Should().Be(HttpStatusCode.NoContent);
        promote.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        rename.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        var members = await world.Owner.Client.GetFromJsonAsync<JsonElement>($"/api/organizations/{id}/members?teamId={team}");
        members.GetProperty("items").EnumerateArray().Select(m => m.GetProperty("userId").GetString()).Should().BeEquivalentTo([world.Member.Id, world.Target.Id]);
    }

    [Fact]
    public async Task A_private_or_hidden_organization_in_the_directory_answers_exactly_as_a_missing_one()
    {
        var privateId = await world.Owner.CreateOrganizationAsync("Quiet Private");
        var hiddenId = await world.Owner.CreateOrganizationAsync("Quiet Hidden");
        var publicId = await world.Owner.CreateOrganizationAsync("Loud Public");
        (await world.Owner.Client.PutAsJsonAsync($"/api/organizations/{hiddenId}/join-policy", new { visibility = "Hidden" })).EnsureSuccessStatusCode();
        (await world.Owner.Client.PutAsJsonAsync($"/api/organizations/{publicId}/join-policy", new { visibility = "Public", mode = "Open" })).EnsureSuccessStatusCode();

        var answers = new List<string>();
        foreach (var id in new[] { privateId, hiddenId, Guid.NewGuid() })
        {
            foreach (var response in new[]
            {
                await world.Outsider.Client.GetAsync($"/api/directory/{id}"),
                await world.Outsider.Client.PostAsync($"/api/directory/{id}/join", null),
            })
            {
                response.StatusCode.Should().Be(HttpStatusCode.NotFound);
                var body = await response.JsonAsync();
                answers.Add($"{body.GetProperty("status")}|{body.GetProperty("title")}|{body.GetProperty("detail")}");
            }
        }

        answers.Distinct().Should().Equal("404|Not found|Organization not found.");
        var listed = await world.Outsider.Client.GetFromJsonAsync<JsonElement>("/api/directory?search=quiet");
        listed.GetProperty("total").GetInt32().Should().Be(0);
        var join = await world.Outsider.Client.PostAsync($"/api/directory/{publicId}/join", null);
        join.StatusCode.Should().Be(HttpStatusCode.OK);
        (await join.JsonAsync()).GetProperty("result").GetString().Should().Be("Joined");
    }

    [Fact]
    public async Task An_invalid_website_and_an_svg_logo_are_refused_naming_the_field()
    {
        var id = await world.Owner.CreateOrganizationAsync("Branded");

        var profile = await world.Owner.Client.PutAsJsonAsync($"/api/organizations/{id}/profile",
            new { website = "not a url", contact = new { }, billingContact = new { } });
        using var svg = new ByteArrayContent("<svg xmlns=\"http://www.w3.org/2000/svg\"/>"u8.ToArray());
        svg.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        var logo = await world.Owner.Client.PutAsync($"/api/organizations/{id}/branding/logo", svg);
        var colour = await world.Owner.Client.PutAsJsonAsync($"/api/organizations/{id}/branding/color", new { primaryColor = "#fafafa" });

        profile.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await profile.JsonAsync()).GetProperty("errors").TryGetProperty("website", out _).Should().BeTrue();
        logo.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await logo.JsonAsync()).GetProperty("errors").GetProperty("logo")[0].GetString().Should().Contain("PNG or JPEG");
        colour.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await colour.JsonAsync()).GetProperty("errors").TryGetProperty("primaryColor", out _).Should().BeTrue();
    }

    [Fact]
    public async Task A_png_header_followed_by_html_is_refused_and_a_real_png_is_served_as_re_encoded_png()
    {
        var id = await world.Owner.CreateOrganizationAsync("Disguised logo");
        byte[] disguised = [.. TestImages.Png()[..16], .. "<html><script>alert(1)</script></html>"u8];
        using var html = new ByteArrayContent(disguised);
        html.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        using var png = new ByteArrayContent(TestImages.PngWithMetadata("GPS 51.5074N"));
        png.Headers.ContentType = new MediaTypeHeaderValue("image/png");

        var refused = await world.Owner.Client.PutAsync($"/api/organizations/{id}/branding/logo", html);
        var afterRefusal = await world.Owner.Client.GetAsync($"/api/organizations/{id}/branding/logo");
        var accepted = await world.Owner.Client.PutAsync($"/api/organizations/{id}/branding/logo", png);
        var served = await world.Owner.Client.GetAsync($"/api/organizations/{id}/branding/logo");

        refused.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await refused.JsonAsync()).GetProperty("errors").GetProperty("logo")[0].GetString().Should().Contain("could not be read");
        afterRefusal.StatusCode.Should().Be(HttpStatusCode.NotFound);
        accepted.StatusCode.Should().Be(HttpStatusCode.NoContent);
        served.Content.Headers.ContentType!.MediaType.Should().Be("image/png");
        var bytes = await served.Content.ReadAsByteArrayAsync();
        bytes.AsSpan().IndexOf("GPS 51.5074N"u8).Should().Be(-1, "the metadata is not stored");
    }

    [Fact]
    public async Task Removing_a_member_hands_their_api_key_over_when_asked()
    {
        var id = await world.FullOrganizationAsync("Handover");
        var key = await (await world.Admin.Client.PostAsJsonAsync($"/api/organizations/{id}/api-keys", new { name = "Admin's key", role = "ADMIN" })).JsonAsync();

        var remove = await world.Owner.Client.DeleteAsync($"/api/organizations/{id}/members/{world.Admin.Id}?ownedItems=HandOver&handOverTo={world.SecondOwner.Id}");

        remove.StatusCode.Should().Be(HttpStatusCode.NoContent);
        var keys = await world.Owner.Client.GetFromJsonAsync<JsonElement>($"/api/organizations/{id}/api-keys");
        var handed = keys.EnumerateArray().Single(k => k.GetProperty("id").GetGuid() == key.GetProperty("key").GetProperty("id").GetGuid());
        handed.GetProperty("revokedAt").ValueKind.Should().Be(JsonValueKind.Null);
        handed.GetProperty("role").GetString().Should().Be("ADMIN");
    }
}
