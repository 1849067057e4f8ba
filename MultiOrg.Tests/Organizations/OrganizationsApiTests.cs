using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using MultiOrg.Tests.Harness;

namespace MultiOrg.Tests.Organizations;

public sealed class OrganizationsApiTests(ApiWorld world) : IClassFixture<ApiWorld>
{
    [Fact]
    public async Task Create_returns_201_with_the_creator_as_owner_and_makes_it_current()
    {
        var response = await world.Owner.Client.PostAsJsonAsync("/api/organizations", new { name = "  Fresh Org  " });

        response.StatusCode.Should().Be(HttpStatusCode.Created);
        var body = await response.JsonAsync();
        body.GetProperty("name").GetString().Should().Be("Fresh Org");
        body.GetProperty("role").GetString().Should().Be("OWNER");
        response.Headers.Location!.ToString().Should().Be($"/api/organizations/{body.GetProperty("id").GetGuid()}");
        var me = await world.Owner.Client.GetFromJsonAsync<JsonElement>("/api/auth/me");
        me.GetProperty("currentOrganization").GetProperty("id").GetGuid().Should().Be(body.GetProperty("id").GetGuid());
    }

    [Theory]
    [InlineData("Acme\u202eproC", "U+202E")]
    [InlineData("Acme\u0000", "U+0000")]
    [InlineData("Ac\u200Bme", "U+200B")]
    [InlineData("Acme\u001b[31m", "U+001B")]
    [InlineData("Acme\u2067", "U+2067")]
    public async Task A_name_with_control_direction_or_invisible_characters_is_refused_naming_the_field(string name, string codePoint)
    {
        var response = await world.Owner.Client.PostAsJsonAsync("/api/organizations", new { name });

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        var problem = await response.JsonAsync();
        problem.GetProperty("errors").GetProperty("name")[0].GetString().Should().Contain(codePoint);
    }

    [Fact]
    public async Task A_name_is_stored_in_composed_form_and_may_keep_emoji_joiners()
    {
        var decomposed = await world.Owner.Client.PostAsJsonAsync("/api/organizations", new { name = "Cafe\u0301 Team" });
        var family = await world.Owner.Client.PostAsJsonAsync("/api/organizations", new { name = "Family \U0001F468\u200D\U0001F469\u200D\U0001F467" });

        (await decomposed.JsonAsync()).GetProperty("name").GetString().Should().Be("Caf\u00E9 Team");
        family.StatusCode.Should().Be(HttpStatusCode.Created, "a zero-width joiner inside an emoji is part of the emoji");
    }

    [Fact]
    public async Task Me_has_exactly_the_documented_shape()
    {
        var user = await world.Factory.RegisterAsync("shape");
        var empty = await user.Client.GetFromJsonAsync<JsonElement>("/api/auth/me");
        empty.GetProperty("currentOrganization").ValueKind.Should().Be(JsonValueKind.Null);
        empty.GetProperty("organizations").GetArrayLength().Should().Be(0);

        var id = await user.CreateOrganizationAsync("Shape Inc");
        var me = await user.Client.GetFromJsonAsync<JsonElement>("/api/auth/me");

        Keys(me).Should().BeEquivalentTo("user", "organizations", "currentOrganization");
        Keys(me.GetProperty("user")).Should().BeEquivalentTo("id", "email", "name", "role");
        me.GetProperty("user").GetProperty("email").GetString().Should().Be(user.Email);
        me.GetProperty("user").GetProperty("role").GetString().Should().Be("USER");
        var organization = me.GetProperty("organizations")[0];
        Keys(organization).Should().BeEquivalentTo("id", "name", "role");
        organization.GetProperty("role").GetString().Should().Be("OWNER");
        Keys(me.GetProperty("currentOrganization")).Should().BeEquivalentTo("id", "name", "role");
        me.GetProperty("currentOrganization").GetProperty("id").GetGuid().Should().Be(id);
    }

    [Fact]
    public async Task List_returns_my_organizations_with_my_role_only()
    {
        var id = await world.FullOrganizationAsync("Listed");
        await world.Outsider.CreateOrganizationAsync("Outsider's own");

        var mine = await world.Admin.Client.GetFromJsonAsync<JsonElement>("/api/organizations");

        mine.EnumerateArray().Should().Contain(o => o.GetProperty("id").GetGuid() == id && o.GetProperty("role").GetString() == "ADMIN");
        mine.EnumerateArray().Should().NotContain(o => o.GetProperty("name").GetString() == "Outsider's own");
    }

    [Fact]
    public async Task Details_include_name_my_role_and_member_count()
    {
        var id = await world.FullOrganizationAsync("Counted");

        var details = await world.Member.Client.GetFromJsonAsync<JsonElement>($"/api/organizations/{id}");

        details.GetProperty("name").GetString().Should().Be("Counted");
        details.GetProperty("role").GetString().Should().Be("MEMBER");
        details.GetProperty("memberCount").GetInt32().Should().Be(5);
    }

    [Theory]
    [InlineData("{\"name\":\"\"}", "Name is required.")]
    [InlineData("{\"name\":\"   \"}", "Name is required.")]
    [InlineData("{}", "Name is required.")]
    public async Task Blank_names_get_400_naming_the_field(string json, string message)
    {
        var response = await PostJsonAsync(world.Owner.Client, "/api/organizations", json);

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        var problem = await response.JsonAsync();
        problem.GetProperty("errors").GetProperty("name")[0].GetString().Should().Be(message);
    }

    [Fact]
    public async Task A_201_character_name_gets_400_and_nothing_is_created()
    {
        var before = (await world.Owner.Client.GetFromJsonAsync<JsonElement>("/api/organizations")).GetArrayLength();

        var response = await world.Owner.Client.PostAsJsonAsync("/api/organizations", new { name = new string('n', 201) });

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await response.JsonAsync()).GetProperty("errors").GetProperty("name")[0].GetString().Should().Be("Name must be at most 200 characters.");
        (await world.Owner.Client.GetFromJsonAsync<JsonElement>("/api/organizations")).GetArrayLength().Should().Be(before);
    }

    [Fact]
    public async Task Unicode_and_markup_names_round_trip_as_typed()
    {
        const string name = "Café <b>Ünïcødé</b> & 株式会社 🚀";
        var id = await world.Owner.CreateOrganizationAsync(name);

        var details = await world.Owner.Client.GetFromJsonAsync<JsonElement>($"/api/organizations/{id}");

        details.GetProperty("name").GetString().Should().Be(name);
    }

    [Theory]
    [InlineData("{\"name\":")]
    [InlineData("not json at all")]
    [InlineData("{\"name\": 42}")]
    [InlineData("")]
    public async Task Malformed_bodies_get_400_with_a_reason_never_500(string json)
    {
        var response = await PostJsonAsync(world.Owner.Client, "/api/organizations", json);

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        (await response.JsonAsync()).GetProperty("detail").GetString().Should().NotBeNullOrWhiteSpace();
    }

    [Fact]
    public async Task An_outsider_gets_403_with_the_documented_message_on_every_organization_endpoint()
    {
        var id = await world.FullOrganizationAsync("Private");
        var client = world.Outsider.Client;
        var url = $"/api/organizations/{id}";

        var responses = new[]
        {
            await client.GetAsync(url),
            await client.PatchAsJsonAsync(url, new { name = "x" }),
            await client.DeleteAsync(url),
            await client.PostAsync($"{url}/switch", null),
            await client.DeleteAsync($"{url}/leave"),
            await client.GetAsync($"{url}/members"),
            await client.PostAsJsonAsync($"{url}/members", new { email = world.Outsider.Email }),
            await client.PatchAsJsonAsync($"{url}/members/{world.Member.Id}", new { role = "ADMIN" }),
            await client.DeleteAsync($"{url}/members/{world.Member.Id}"),
            await client.GetAsync($"{url}/notes"),
        };

        foreach (var response in responses)
        {
            response.StatusCode.Should().Be(HttpStatusCode.Forbidden, response.RequestMessage!.RequestUri!.ToString());
            (await response.JsonAsync()).GetProperty("detail").GetString().Should().Be("You don't have access to this organization");
        }
    }

    [Fact]
    public async Task A_deleted_or_unknown_organization_answers_403()
    {
        var id = await world.Owner.CreateOrganizationAsync("Doomed");
        (await world.Owner.Client.DeleteAsync($"/api/organizations/{id}")).StatusCode.Should().Be(HttpStatusCode.NoContent);

        (await world.Owner.Client.GetAsync($"/api/organizations/{id}")).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await world.Owner.Client.GetAsync($"/api/organizations/{Guid.NewGuid()}")).StatusCode.Should().Be(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task A_malformed_organization_id_is_not_found_not_a_server_error()
    {
        var response = await world.Owner.Client.GetAsync("/api/organizations/not-a-guid");

        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Without_a_token_the_api_answers_401()
    {
        using var anonymous = world.Factory.CreateClient();

        (await anonymous.GetAsync("/api/organizations")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await anonymous.GetAsync("/api/auth/me")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Switch_persists_the_choice_for_the_next_session()
    {
        var first = await world.Owner.CreateOrganizationAsync("First choice");
        await world.Owner.CreateOrganizationAsync("Second choice");

        var response = await world.Owner.Client.PostAsync($"/api/organizations/{first}/switch", null);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await response.JsonAsync()).GetProperty("role").GetString().Should().Be("OWNER");
        using var nextSession = await world.Factory.LoginAsync(world.Owner.Email, ApiFactory.Password);
        var me = await nextSession.GetFromJsonAsync<JsonElement>("/api/auth/me");
        me.GetProperty("currentOrganization").GetProperty("id").GetGuid().Should().Be(first);
    }

    [Fact]
    public async Task Deleting_the_current_organization_moves_everyone_to_their_first_available_one()
    {
        var doomed = await world.FullOrganizationAsync("Doomed too");
        await world.Member.Client.PostAsync($"/api/organizations/{doomed}/switch", null);

        (await world.Owner.Client.DeleteAsync($"/api/organizations/{doomed}")).StatusCode.Should().Be(HttpStatusCode.NoContent);

        var me = await world.Member.Client.GetFromJsonAsync<JsonElement>("/api/auth/me");
        me.GetProperty("organizations").EnumerateArray().Should().NotContain(o => o.GetProperty("id").GetGuid() == doomed);
        var current = me.GetProperty("currentOrganization");
        if (current.ValueKind != JsonValueKind.Null)
        {
            current.GetProperty("id").GetGuid().Should().NotBe(doomed);
        }
    }

    [Fact]
    public async Task Health_answers_200_when_the_database_is_ready()
    {
        using var anonymous = world.Factory.CreateClient();

        var response = await anonymous.GetAsync("/health");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).Should().Be("Healthy");
    }

    [Fact]
    public async Task Live_answers_while_ready_waits_for_a_migrated_database()
    {
        using var empty = new TestDatabase(migrated: false);
        using var factory = new ApiFactory(new Dictionary<string, string>
        {
            ["ConnectionStrings:MultiOrg"] = empty.ConnectionString,
            ["Database:MigrateOnStartup"] = "false",
        });
        using var anonymous = factory.CreateClient();

        var live = await anonymous.GetAsync("/health/live");
        var ready = await anonymous.GetAsync("/health/ready");

        live.StatusCode.Should().Be(HttpStatusCode.OK);
        ready.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        (await ready.Content.ReadAsStringAsync()).Should().Be("Unhealthy");
        (await world.Factory.CreateClient().GetAsync("/health/ready")).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    private static Task<HttpResponseMessage> PostJsonAsync(HttpClient client, string url, string json) =>
        client.PostAsync(url, new StringContent(json, Encoding.UTF8, "application/json"));

    private static IEnumerable<string> Keys(JsonElement element) => element.EnumerateObject().Select(p => p.Name);
}
