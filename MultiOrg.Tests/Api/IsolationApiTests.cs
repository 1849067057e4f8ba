using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MultiOrg.Tests.Harness;

namespace MultiOrg.Tests.Api;

/// <summary>Ids taken from one organization and sent through another organization's routes never reach the first.</summary>
public sealed class IsolationApiTests(ApiWorld world) : IClassFixture<ApiWorld>
{
    [Fact]
    public async Task A_note_id_of_organization_B_is_not_found_through_organization_A()
    {
        var a = await world.Owner.CreateOrganizationAsync("Org A");
        var b = await world.Outsider.CreateOrganizationAsync("Org B");
        var noteOfB = await (await world.Outsider.Client.PostAsJsonAsync($"/api/organizations/{b}/notes", new { text = "B's secret" })).JsonAsync();
        var noteId = noteOfB.GetProperty("id").GetGuid();

        var delete = await world.Owner.Client.DeleteAsync($"/api/organizations/{a}/notes/{noteId}");

        delete.StatusCode.Should().Be(HttpStatusCode.NotFound);
        var notesOfA = await world.Owner.Client.GetFromJsonAsync<JsonElement>($"/api/organizations/{a}/notes");
        notesOfA.GetArrayLength().Should().Be(0);
        var notesOfB = await world.Outsider.Client.GetFromJsonAsync<JsonElement>($"/api/organizations/{b}/notes");
        notesOfB.EnumerateArray().Select(n => n.GetProperty("text").GetString()).Should().Equal("B's secret");
    }

    [Fact]
    public async Task A_member_of_organization_B_cannot_be_changed_or_removed_through_organization_A()
    {
        var a = await world.Owner.CreateOrganizationAsync("Org A2");
        var b = await world.Outsider.CreateOrganizationAsync("Org B2");
        await world.Outsider.AddMemberAsync(b, world.Target, "MEMBER");

        var change = await world.Owner.Client.PatchAsJsonAsync($"/api/organizations/{a}/members/{world.Target.Id}", new { role = "OWNER" });
        var remove = await world.Owner.Client.DeleteAsync($"/api/organizations/{a}/members/{world.Target.Id}");

        change.StatusCode.Should().Be(HttpStatusCode.NotFound);
        remove.StatusCode.Should().Be(HttpStatusCode.NotFound);
        var membersOfB = await world.Outsider.Client.GetFromJsonAsync<JsonElement>($"/api/organizations/{b}/members");
        membersOfB.GetProperty("items").EnumerateArray().Should().Contain(m =>
            m.GetProperty("userId").GetString() == world.Target.Id && m.GetProperty("role").GetString() == "MEMBER");
    }

    [Fact]
    public async Task A_member_of_both_sees_each_organizations_notes_only_under_its_own_id()
    {
        var a = await world.Owner.CreateOrganizationAsync("Shared A");
        var b = await world.Owner.CreateOrganizationAsync("Shared B");
        await world.Owner.Client.PostAsJsonAsync($"/api/organizations/{a}/notes", new { text = "only A" });
        await world.Owner.Client.PostAsJsonAsync($"/api/organizations/{b}/notes", new { text = "only B" });

        var notesOfA = await world.Owner.Client.GetFromJsonAsync<JsonElement>($"/api/organizations/{a}/notes");
        var notesOfB = await world.Owner.Client.GetFromJsonAsync<JsonElement>($"/api/organizations/{b}/notes");

        notesOfA.EnumerateArray().Select(n => n.GetProperty("text").GetString()).Should().Equal("only A");
        notesOfB.EnumerateArray().Select(n => n.GetProperty("text").GetString()).Should().Equal("only B");
    }
}
