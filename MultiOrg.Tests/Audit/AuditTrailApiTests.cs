using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using MultiOrg.Domain.Users;
using MultiOrg.Tests.Harness;

namespace MultiOrg.Tests.Audit;

/// <summary>The app with its mail in a <see cref="Mailbox"/>, links on a public address, and the retention job off (tests run it).</summary>
public sealed class MailingApiWorld : IAsyncLifetime
{
    public const string PublicAddress = "https://multiorg.example/";

    public Mailbox Mailbox { get; } = new();

    public ApiFactory Factory { get; }

    public MailingApiWorld() => Factory = new(new Dictionary<string, string>
    {
        ["Email:PickupDirectory"] = Mailbox.Directory,
        ["App:PublicBaseUrl"] = PublicAddress,

        // The test host calls itself "localhost", which the public address alone would not allow.
        ["AllowedHosts"] = "*",
        ["Security:AuditRetentionJob"] = "false",
    });

    public ApiUser Owner { get; private set; } = null!;

    public ApiUser SecondOwner { get; private set; } = null!;

    public ApiUser Admin { get; private set; } = null!;

    public ApiUser Support { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Owner = await Factory.RegisterAsync("owner");
        SecondOwner = await Factory.RegisterAsync("owner2");
        Admin = await Factory.RegisterAsync("admin");
        Support = await Factory.RegisterAsync("support");
        await using var db = Factory.Database.CreateContext();
        await db.Users.Where(u => u.Id == Support.Id).ExecuteUpdateAsync(s => s.SetProperty(u => u.GlobalRole, GlobalRole.Support));
    }

    /// <summary>Owner and SecondOwner own it, Admin is its ADMIN.</summary>
    public async Task<Guid> OrganizationAsync(string name)
    {
        var id = await Owner.CreateOrganizationAsync(name);
        await Owner.AddMemberAsync(id, SecondOwner, "OWNER");
        await Owner.AddMemberAsync(id, Admin, "ADMIN");
        return id;
    }

    public Task DisposeAsync()
    {
        Factory.Dispose();
        Mailbox.Dispose();
        return Task.CompletedTask;
    }
}

/// <summary>
/// Audit retention is the owners' and announced before it shortens anything; a deleted organization's trail stays
/// verifiable by support (#22 point 5).
/// </summary>
public sealed class AuditTrailApiTests(MailingApiWorld world) : IClassFixture<MailingApiWorld>
{
    private static string SecurityUrl(Guid id) => $"/api/organizations/{id}/security";

    private static Task<HttpResponseMessage> PutRetentionAsync(ApiUser user, Guid id, int? days) =>
        user.Client.PutAsJsonAsync(SecurityUrl(id), new { auditRetentionDays = days });

    private static async Task<JsonElement> PolicyAsync(ApiUser user, Guid id) =>
        await user.Client.GetFromJsonAsync<JsonElement>(SecurityUrl(id));

    private IReadOnlyList<MimeKit.MimeMessage> RetentionMails(ApiUser to, string organization) =>
        [.. world.Mailbox.To(to.Email).Where(m => (m.Subject ?? "").StartsWith(organization + ": the audit log", StringComparison.Ordinal))];

    [Fact]
    public async Task Shortening_audit_retention_waits_out_the_notice_period_and_every_owner_is_mailed()
    {
        var id = await world.OrganizationAsync("Notice Ltd");
        var before = DateTime.UtcNow;

        var response = await PutRetentionAsync(world.Owner, id, 400);

        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var policy = await PolicyAsync(world.Admin, id);
        policy.GetProperty("auditRetentionDays").ValueKind.Should().Be(JsonValueKind.Null, "forever → 400 days is a shortening: it waits");
        policy.GetProperty("pendingAuditRetentionDays").GetInt32().Should().Be(400);
        var effective = policy.GetProperty("pendingAuditRetentionAt").GetDateTime().ToUniversalTime();
        effective.Should().BeCloseTo(before.AddDays(7), TimeSpan.FromMinutes(5), "the default notice period is 7 days");
        foreach (var owner in new[] { world.Owner, world.SecondOwner })
        {
            var mail = RetentionMails(owner, "Notice Ltd").Should().ContainSingle($"every owner ({owner.Email}) is told").Subject;
            mail.TextBody.Should().Contain("from forever to 400 days").And.Contain(world.Owner.Email, "the mail names who shortened it")
                .And.Contain($"{MailingApiWorld.PublicAddress}organizations/{id}/settings/security");
            mail.TextBody.Should().Contain(effective.ToString("d MMMM yyyy", System.Globalization.CultureInfo.InvariantCulture));
        }

        RetentionMails(world.Admin, "Notice Ltd").Should().BeEmpty("admins are not owners");
    }

    [Fact]
    public async Task An_owner_cancels_a_pending_shortening_and_an_admin_cannot()
    {
        var id = await world.OrganizationAsync("Cancel Ltd");
        (await PutRetentionAsync(world.Owner, id, 500)).EnsureSuccessStatusCode();
        var pendingUrl = $"{SecurityUrl(id)}/audit-retention/pending";

        var byAdmin = await world.Admin.Client.DeleteAsync(pendingUrl);
        var bySecondOwner = await world.SecondOwner.Client.DeleteAsync(pendingUrl);
        var again = await world.SecondOwner.Client.DeleteAsync(pendingUrl);

        byAdmin.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        bySecondOwner.StatusCode.Should().Be(HttpStatusCode.OK, await bySecondOwner.Content.ReadAsStringAsync());
        again.StatusCode.Should().Be(HttpStatusCode.NotFound, "nothing is waiting any more");
        var policy = await PolicyAsync(world.Owner, id);
        policy.GetProperty("pendingAuditRetentionDays").ValueKind.Should().Be(JsonValueKind.Null);
        policy.GetProperty("auditRetentionDays").ValueKind.Should().Be(JsonValueKind.Null, "the log is still kept forever");
        var audit = await world.Owner.Client.GetFromJsonAsync<JsonElement>($"/api/organizations/{id}/audit?action=SecurityPolicy");
        audit.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("changes").GetString()).Should()
            .Contain(c => c!.Contains("PendingAuditRetentionDays") && c.Contains("[\"500\",null]"), "the cancellation is in the log");
    }

    [Fact]
    public async Task Lengthening_audit_retention_takes_effect_at_once_without_notice()
    {
        var id = await world.OrganizationAsync("Longer Ltd");
        await using (var db = world.Factory.Database.CreateContext(MultiOrg.Domain.Tenancy.TenantContext.ForJob(id, "Longer Ltd")))
        {
            db.Set<MultiOrg.Domain.Security.SecurityPolicy>().Add(new MultiOrg.Domain.Security.SecurityPolicy { AuditRetentionDays = 400 });
            await db.SaveChangesAsync();
        }

        (await PutRetentionAsync(world.Owner, id, 800)).EnsureSuccessStatusCode();
        var longer = await PolicyAsync(world.Owner, id);
        (await PutRetentionAsync(world.Owner, id, null)).EnsureSuccessStatusCode();
        var forever = await PolicyAsync(world.Owner, id);

        longer.GetProperty("auditRetentionDays").GetInt32().Should().Be(800);
        longer.GetProperty("pendingAuditRetentionDays").ValueKind.Should().Be(JsonValueKind.Null);
        forever.GetProperty("auditRetentionDays").ValueKind.Should().Be(JsonValueKind.Null);
        RetentionMails(world.Owner, "Longer Ltd").Should().BeEmpty("keeping more needs no notice");
    }

    [Fact]
    public async Task In_a_partner_managed_client_the_partners_owners_act_as_its_owners()
    {
        var partner = await world.Owner.CreateOrganizationAsync("Owning Partner");
        await world.Owner.AddMemberAsync(partner, world.Admin, "ADMIN");
        await using (var db = world.Factory.Database.CreateContext())
        {
            await db.Organizations.Where(o => o.Id == partner)
                .ExecuteUpdateAsync(s => s.SetProperty(o => o.Kind, MultiOrg.Domain.Organizations.OrganizationKind.Partner));
        }

        await world.Factory.Database.SubscribeAsync(partner, MultiOrg.Domain.Billing.BillingOptions.Defaults().Plans.Single(p => p.Code == "partner"));
        var created = await world.Owner.Client.PostAsJsonAsync($"/api/organizations/{partner}/clients", new { name = "Owned Client", path = "Template", countryCode = "US" });
        created.StatusCode.Should().Be(HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var client = (await created.JsonAsync()).GetProperty("organizationId").GetGuid();

        var byPartnerAdmin = await PutRetentionAsync(world.Admin, client, 400);
        var byPartnerOwner = await PutRetentionAsync(world.Owner, client, 400);
        var plan = await world.Owner.Client.PostAsJsonAsync($"/api/organizations/{client}/billing/plan", new { plan = "team" });
        var adminInvite = await world.Owner.Client.PostAsJsonAsync($"/api/organizations/{client}/invitations",
            new { emails = new[] { $"new.admin.{Guid.NewGuid():N}@example.test" }, role = "ADMIN" });

        byPartnerAdmin.StatusCode.Should().Be(HttpStatusCode.Forbidden, "the partner's ADMINs act as the client's admins");
        byPartnerOwner.StatusCode.Should().Be(HttpStatusCode.OK, await byPartnerOwner.Content.ReadAsStringAsync());
        RetentionMails(world.Owner, "Owned Client").Should().ContainSingle("the partner's owners are the client's owners, so they are told");
        plan.StatusCode.Should().Be(HttpStatusCode.OK, await plan.Content.ReadAsStringAsync());
        adminInvite.StatusCode.Should().Be(HttpStatusCode.OK, await adminInvite.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Deleting_an_organization_leaves_its_audit_chain_verifiable_by_support()
    {
        var id = await world.OrganizationAsync("Doomed Ltd");
        (await world.Owner.Client.PatchAsJsonAsync($"/api/organizations/{id}", new { name = "Doomed Ltd (closing)" })).EnsureSuccessStatusCode();
        var kept = (await world.Owner.Client.GetFromJsonAsync<JsonElement>($"/api/organizations/{id}/audit")).GetProperty("total").GetInt32();

        (await world.Owner.Client.DeleteAsync($"/api/organizations/{id}")).StatusCode.Should().Be(HttpStatusCode.NoContent);

        var listed = await world.Support.Client.GetFromJsonAsync<JsonElement>("/api/support/deleted-organizations");
        listed.EnumerateArray().Should().Contain(d => d.GetProperty("id").GetGuid() == id && d.GetProperty("name").GetString() == "Doomed Ltd (closing)");
        var verified = await world.Support.Client.GetFromJsonAsync<JsonElement>($"/api/support/deleted-organizations/{id}/audit/verify");
        verified.GetProperty("intact").GetBoolean().Should().BeTrue(verified.ToString());
        verified.GetProperty("entries").GetInt32().Should().Be(kept + 1, "every entry is kept, and the deletion is the last");
        var entries = await world.Support.Client.GetFromJsonAsync<JsonElement>($"/api/support/deleted-organizations/{id}/audit");
        var newest = entries.GetProperty("items")[0];
        newest.GetProperty("action").GetString().Should().Be("organization.deleted");
        newest.GetProperty("actorUserId").GetString().Should().Be(world.Owner.Id);

        (await world.Owner.Client.GetAsync($"/api/support/deleted-organizations/{id}/audit")).StatusCode.Should().Be(HttpStatusCode.Forbidden,
            "the former owner is no longer anyone there; only support and system administrators read it");
        (await world.Owner.Client.GetAsync($"/api/organizations/{id}/audit")).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        var living = await world.OrganizationAsync("Living Ltd");
        (await world.Support.Client.GetAsync($"/api/support/deleted-organizations/{living}/audit")).StatusCode.Should().Be(HttpStatusCode.NotFound,
            "a living organization's log is its owners' and admins'");
    }

    [Fact]
    public async Task Removing_the_deletion_from_a_deleted_organizations_trail_breaks_its_verification()
    {
        var id = await world.OrganizationAsync("Tampered Ltd");
        (await world.Owner.Client.DeleteAsync($"/api/organizations/{id}")).StatusCode.Should().Be(HttpStatusCode.NoContent);
        await using (var db = world.Factory.Database.CreateContext())
        {
            await db.AuditEntries.IgnoreQueryFilters().Where(a => a.OrganizationId == id && a.Action == "organization.deleted").ExecuteDeleteAsync();
        }

        var verified = await world.Support.Client.GetFromJsonAsync<JsonElement>($"/api/support/deleted-organizations/{id}/audit/verify");

        verified.GetProperty("intact").GetBoolean().Should().BeFalse("the chain's end was written down when the organization was deleted");
        verified.GetProperty("problem").GetString().Should().Contain("the deletion");
    }
}
