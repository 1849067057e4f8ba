using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using MultiOrg.Domain.Users;
using MultiOrg.Tests.Harness;

namespace MultiOrg.Tests.Invitations;

/// <summary>Invitations, CSV import and join policies over real HTTP, with mail written to a pickup folder.</summary>
public sealed partial class InvitationsApiTests : IAsyncLifetime
{
    private readonly Mailbox mailbox = new();
    private ApiFactory factory = null!;
    private ApiUser owner = null!;
    private Guid organizationId;

    public async Task InitializeAsync()
    {
        factory = new ApiFactory(new Dictionary<string, string>
        {
            ["Email:PickupDirectory"] = mailbox.Directory,
            ["App:PublicBaseUrl"] = "https://multiorg.test/",

            // The test host's client calls the app "localhost", not the public address's host.
            ["AllowedHosts"] = "*",
        });
        owner = await factory.RegisterAsync("owner");
        organizationId = await owner.CreateOrganizationAsync("Acme");
    }

    public Task DisposeAsync()
    {
        factory.Dispose();
        mailbox.Dispose();
        return Task.CompletedTask;
    }

    private string Url(string path = "") => $"/api/organizations/{organizationId}{path}";

    /// <summary>Registers through Identity's endpoint (unconfirmed) and signs in.</summary>
    private async Task<HttpClient> RegisterUnconfirmedAsync(string email)
    {
        using var anonymous = factory.CreateClient();
        (await anonymous.PostAsJsonAsync("/api/auth/register", new { email, password = ApiFactory.Password })).EnsureSuccessStatusCode();
        return await factory.LoginAsync(email, ApiFactory.Password);
    }

    /// <summary>What the confirmation link does: Identity's own ConfirmEmailAsync with a real token.</summary>
    private async Task ConfirmThroughIdentityAsync(string email)
    {
        using var scope = factory.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var user = (await users.FindByEmailAsync(email))!;
        var result = await users.ConfirmEmailAsync(user, await users.GenerateEmailConfirmationTokenAsync(user));
        result.Succeeded.Should().BeTrue();
    }

    [Fact]
    public async Task An_invited_person_confirms_their_address_sees_the_invitation_and_accepts_it()
    {
        var invite = await owner.Client.PostAsJsonAsync(Url("/invitations"), new { emails = new[] { "nina@example.test", "nope" }, role = "ADMIN" });

        invite.StatusCode.Should().Be(HttpStatusCode.OK);
        var rows = (await invite.JsonAsync()).GetProperty("rows").EnumerateArray().ToList();
        rows.Select(r => r.GetProperty("outcome").GetString()).Should().Equal("Invite", "InvalidEmail");
        mailbox.LinkTo("nina@example.test").Should().StartWith("https://multiorg.test/Account/Invitation?token=");
        var pending = await owner.Client.GetFromJsonAsync<JsonElement>(Url("/invitations"));
        pending.EnumerateArray().Select(i => i.GetProperty("email").GetString()).Should().Equal("nina@example.test");
        pending.EnumerateArray().Single().TryGetProperty("tokenHash", out _).Should().BeFalse();

        var nina = await RegisterUnconfirmedAsync("nina@example.test");
        (await nina.GetFromJsonAsync<JsonElement>("/api/invitations")).GetArrayLength().Should().Be(0, "the address is not confirmed yet");
        await ConfirmThroughIdentityAsync("nina@example.test");
        var mine = await nina.GetFromJsonAsync<JsonElement>("/api/invitations");
        var invitationId = mine.EnumerateArray().Single().GetProperty("id").GetGuid();

        (await nina.PostAsync($"/api/invitations/{invitationId}/accept", null)).StatusCode.Should().Be(HttpStatusCode.OK);

        var organizations = await nina.GetFromJsonAsync<JsonElement>("/api/organizations");
        organizations.EnumerateArray().Should().ContainSingle(o => o.GetProperty("id").GetGuid() == organizationId && o.GetProperty("role").GetString() == "ADMIN");
        (await nina.PostAsync($"/api/invitations/{invitationId}/accept", null)).StatusCode.Should().Be(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Revoking_another_organizations_invitation_is_not_found_and_members_cannot_list()
    {
        var other = await factory.RegisterAsync("other");
        var otherOrganization = await other.CreateOrganizationAsync("Other");
        await other.Client.PostAsJsonAsync($"/api/organizations/{otherOrganization}/invitations", new { emails = new[] { "x@example.test" } });
        var theirs = (await other.Client.GetFromJsonAsync<JsonElement>($"/api/organizations/{otherOrganization}/invitations"))
            .EnumerateArray().Single().GetProperty("id").GetGuid();

        (await owner.Client.DeleteAsync(Url($"/invitations/{theirs}"))).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await owner.Client.PostAsync(Url($"/invitations/{theirs}/resend"), null)).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await other.Client.GetFromJsonAsync<JsonElement>($"/api/organizations/{otherOrganization}/invitations")).GetArrayLength().Should().Be(1);

        (await other.Client.DeleteAsync($"/api/organizations/{otherOrganization}/invitations/{theirs}")).StatusCode.Should().Be(HttpStatusCode.NoContent);
        (await other.Client.GetFromJsonAsync<JsonElement>($"/api/organizations/{otherOrganization}/invitations")).GetArrayLength().Should().Be(0);

        var member = await factory.RegisterAsync("member");
        await owner.AddMemberAsync(organizationId, member, "MEMBER");
        var list = await member.Client.GetAsync(Url("/invitations"));
        list.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await member.Client.PostAsJsonAsync(Url("/invitations"), new { emails = new[] { "y@example.test" } })).StatusCode.Should().Be(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task An_api_key_neither_sees_nor_answers_its_creators_invitations()
    {
        var created = await owner.Client.PostAsJsonAsync(Url("/api-keys"), new { name = "CI", role = "ADMIN" });
        var secret = (await created.JsonAsync()).GetProperty("secret").GetString();
        using var keyClient = factory.CreateClient();
        keyClient.DefaultRequestHeaders.Add("X-Api-Key", secret);

        var mine = await keyClient.GetAsync("/api/invitations");
        var accept = await keyClient.PostAsync($"/api/invitations/{Guid.NewGuid()}/accept", null);

        mine.StatusCode.Should().Be(HttpStatusCode.Unauthorized, "outside its organization's routes a key is no credential");
        accept.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await keyClient.GetAsync(Url("/invitations"))).StatusCode.Should().Be(HttpStatusCode.OK, "inside its organization the key lists invitations");
    }

    [Fact]
    public async Task A_csv_is_previewed_then_applied()
    {
        const string csv = "email,role\nana@example.test,MEMBER\nbad,MEMBER\nben@example.test,BOSS\n";

        var preview = await owner.Client.PostAsync(Url("/invitations/import"), new StringContent(csv, Encoding.UTF8, "text/csv"));
        preview.StatusCode.Should().Be(HttpStatusCode.OK, await preview.Content.ReadAsStringAsync());
        var previewRows = (await preview.JsonAsync()).GetProperty("rows").EnumerateArray().Select(r => r.GetProperty("outcome").GetString());
        previewRows.Should().Equal("Invite", "InvalidEmail", "UnknownRole");
        mailbox.To("ana@example.test").Should().BeEmpty("a preview sends nothing");
        mailbox.To(owner.Email).Should().ContainSingle(m => m.Subject == "Confirm your email", "Identity's mail uses the same pickup folder");

        var applied = await owner.Client.PostAsync(Url("/invitations/import?apply=true"), new StringContent(csv, Encoding.UTF8, "text/csv"));
        (await applied.JsonAsync()).GetProperty("applied").GetBoolean().Should().BeTrue();
        mailbox.To("ana@example.test").Should().ContainSingle();

        var noEmail = await owner.Client.PostAsync(Url("/invitations/import"), new StringContent("mail\nx@example.test\n", Encoding.UTF8, "text/csv"));
        noEmail.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await noEmail.JsonAsync()).GetProperty("errors").TryGetProperty("file", out _).Should().BeTrue();
    }

    [Fact]
    public async Task A_csv_name_with_a_line_break_or_a_direction_override_is_an_invalid_name_row_and_no_mail_is_sent()
    {
        const string csv = "email,name\nbcc@example.test,\"Line1\r\nBcc: evil@x\"\nrlo@example.test,Bob\u202egnp.exe\nzw@example.test,Olivia Owner\u200b\nok@example.test,Ok Name\n";

        var preview = await owner.Client.PostAsync(Url("/invitations/import"), new StringContent(csv, Encoding.UTF8, "text/csv"));
        var applied = await owner.Client.PostAsync(Url("/invitations/import?apply=true"), new StringContent(csv, Encoding.UTF8, "text/csv"));

        preview.StatusCode.Should().Be(HttpStatusCode.OK, await preview.Content.ReadAsStringAsync());
        var rows = (await preview.JsonAsync()).GetProperty("rows").EnumerateArray().ToList();
        rows.Select(r => r.GetProperty("outcome").GetString()).Should().Equal("InvalidName", "InvalidName", "InvalidName", "Invite");
        rows[0].GetProperty("message").GetString().Should().Contain("U+000D");
        rows[1].GetProperty("message").GetString().Should().Contain("U+202E");
        (await applied.JsonAsync()).GetProperty("rows").EnumerateArray().Select(r => r.GetProperty("outcome").GetString())
            .Should().Equal("InvalidName", "InvalidName", "InvalidName", "Invite");
        mailbox.To("bcc@example.test").Should().BeEmpty();
        mailbox.To("rlo@example.test").Should().BeEmpty();
        mailbox.To("zw@example.test").Should().BeEmpty();
        mailbox.To("evil@x").Should().BeEmpty();
        mailbox.To("ok@example.test").Should().ContainSingle();
    }

    [Fact]
    public async Task Registering_from_an_invitation_refuses_a_display_name_with_a_direction_override()
    {
        (await owner.Client.PostAsJsonAsync(Url("/invitations"), new { emails = new[] { "rita@example.test" } })).EnsureSuccessStatusCode();
        var page = $"/Account/Invitation?token={Uri.EscapeDataString(mailbox.InvitationTokenFor("rita@example.test"))}";
        using var browser = factory.CreateClient();
        var form = await browser.GetStringAsync(page);
        var token = AntiforgeryField().Match(form);
        token.Success.Should().BeTrue($"the registration form carries an antiforgery token: {form}");

        var response = await browser.PostAsync(page, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = System.Net.WebUtility.HtmlDecode(token.Groups[1].Value),
            ["_handler"] = "invitation-register",
            ["Input.Name"] = "Bob\u202egnp.exe",
            ["Input.Password"] = ApiFactory.Password,
            ["Input.ConfirmPassword"] = ApiFactory.Password,
        }));

        var html = System.Net.WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        response.StatusCode.Should().Be(HttpStatusCode.OK, html);
        html.Should().Contain("Your name must not contain control, text-direction or invisible characters (found U+202E).");
        using var scope = factory.Services.CreateScope();
        (await scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>().FindByEmailAsync("rita@example.test")).Should().BeNull("no account is made");
    }

    [GeneratedRegex("<input[^>]*name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();

    [Fact]
    public async Task Confirming_an_address_at_a_verified_domain_joins_an_open_organization()
    {
        // The cast registers at example.test with confirmed addresses, so the owner may verify that domain.
        (await owner.Client.PostAsJsonAsync(Url("/join-policy/domains"), new { domain = "example.test" })).StatusCode.Should().Be(HttpStatusCode.Created);
        (await owner.Client.PutAsJsonAsync(Url("/join-policy"), new { mode = "Open" })).EnsureSuccessStatusCode();
        var policy = await owner.Client.GetFromJsonAsync<JsonElement>(Url("/join-policy"));
        policy.GetProperty("mode").GetString().Should().Be("Open");

        var email = $"walk-in.{Guid.NewGuid():N}@example.test";
        var walkIn = await RegisterUnconfirmedAsync(email);
        (await walkIn.GetFromJsonAsync<JsonElement>("/api/organizations")).GetArrayLength().Should().Be(0);

        await ConfirmThroughIdentityAsync(email);

        (await walkIn.GetFromJsonAsync<JsonElement>("/api/organizations")).EnumerateArray()
            .Should().ContainSingle(o => o.GetProperty("id").GetGuid() == organizationId && o.GetProperty("role").GetString() == "MEMBER");
    }
}
