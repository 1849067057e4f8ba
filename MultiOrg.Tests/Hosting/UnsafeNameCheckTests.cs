using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using MultiOrg.Domain.Organizations;
using MultiOrg.Domain.Tenancy;
using MultiOrg.Tests.Harness;

namespace MultiOrg.Tests.Hosting;

/// <summary>Names stored before the name rule are listed at start, safely, for someone to rename (#22 point 6).</summary>
public sealed class UnsafeNameCheckTests
{
    [Fact]
    public async Task The_start_up_check_logs_each_stored_name_that_breaks_the_rule_once_without_its_characters()
    {
        var logs = new FakeLogCollector();
        using var factory = new ApiFactory { ExtraServices = services => services.AddSingleton<ILoggerProvider>(new FakeLoggerProvider(logs)) };
        var owner = Guid.NewGuid().ToString();
        var spoofed = new Organization { Name = "Acme\u202eproC" };
        var fine = new Organization { Name = "Fine Ltd" };
        var team = new MultiOrg.Domain.Teams.Team { Name = "Ops\u200b" };
        var department = new MultiOrg.Domain.Teams.Department { Name = "Sales\u001b[2J" };
        var goodTeam = new MultiOrg.Domain.Teams.Team { Name = "👩‍💻 Developers" };
        await using (var db = factory.Database.CreateContext())
        {
            // Written past the services, as rows from before the name rule are.
            db.Users.Add(new MultiOrg.Domain.Users.AppUser { Id = owner, UserName = "o@example.test", Email = "o@example.test", DisplayName = "Olivia\u0007" });
            db.Organizations.AddRange(spoofed, fine);
            await db.SaveChangesAsync();
        }

        await using (var db = factory.Database.CreateContext(TenantContext.ForJob(spoofed.Id, "")))
        {
            db.Set<MultiOrg.Domain.Teams.Team>().AddRange(team, goodTeam);
            db.Set<MultiOrg.Domain.Teams.Department>().Add(department);
            db.Set<MultiOrg.Domain.Branding.OrganizationBranding>().Add(new() { InvitationSubject = "Join us\u2066now" });
            await db.SaveChangesAsync();
        }

        using var client = factory.CreateClient();

        var lines = logs.GetSnapshot().Where(r => r.Category == "MultiOrg.Web.Hosting.UnsafeNameCheck").Select(r => r.Message).ToList();
        lines.Should().HaveCount(5, string.Join("\n", lines));
        lines.Should().ContainSingle(l => l.Contains($"organization {spoofed.Id} (organization {spoofed.Id})") && l.Contains("U+202E"));
        lines.Should().ContainSingle(l => l.Contains($"team {team.Id} (organization {spoofed.Id})") && l.Contains("U+200B"));
        lines.Should().ContainSingle(l => l.Contains($"department {department.Id} (organization {spoofed.Id})") && l.Contains("U+001B"));
        lines.Should().ContainSingle(l => l.Contains($"display name {owner}") && l.Contains("U+0007"));
        lines.Should().ContainSingle(l => l.Contains("invitation template subject") && l.Contains("U+2066"));
        lines.Should().NotContain(l => l.Contains(fine.Id.ToString()) || l.Contains(goodTeam.Id.ToString()), "names within the rule are not listed");
        lines.Should().OnlyContain(l => MultiOrg.Domain.Text.UserText.FirstForbidden(l) == null, "the log never carries the characters themselves");
    }
}
