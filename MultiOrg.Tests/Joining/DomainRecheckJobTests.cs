using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using MultiOrg.Domain.Jobs;
using MultiOrg.Domain.Joining;
using MultiOrg.Tests.Harness;
using MultiOrg.Web.Features.Joining;

namespace MultiOrg.Tests.Joining;

/// <summary>
/// The daily re-check as the app runs it: the hosted job, resolved from the app's own services and ticked by hand (the
/// hook the other job tests use), asking the dnsmasq the app is configured with (<c>Dns:NameServers</c>).
/// </summary>
public sealed class DomainRecheckJobTests
{
    [Fact]
    public async Task The_domain_recheck_job_runs_the_recheck_once_per_due_time_on_its_lease_and_lapses_a_proof_whose_record_is_gone()
    {
        await using var dns = await DnsServer.StartAsync(txtRecords: [new("example.test", "v=spf1 -all")]);
        var registered = false;
        using var factory = new ApiFactory(new Dictionary<string, string> { ["Dns:NameServers"] = dns.NameServer })
        {
            // The app registers the job as a hosted service, whose first tick would race the test's set-up: the test takes
            // that registration's place with a job it ticks itself, so each tick is one the test chose.
            ExtraServices = services =>
            {
                var hosted = services.SingleOrDefault(d => d.ServiceType == typeof(IHostedService) && d.ImplementationType == typeof(DomainRecheckJob));
                registered = hosted is not null;
                if (hosted is not null)
                {
                    services.Remove(hosted);
                }

                services.AddSingleton<DomainRecheckJob>();
            },
        };
        var owner = await factory.RegisterAsync("olivia");
        var organizationId = await owner.CreateOrganizationAsync("Acme");
        var added = await owner.Client.PostAsJsonAsync($"/api/organizations/{organizationId}/join-policy/domains", new { domain = "example.test" });
        added.EnsureSuccessStatusCode();
        await using (var db = factory.Database.CreateContext())
        {
            // Proved earlier (the check itself is DomainVerificationTests'): the record has since been removed from the zone.
            (await db.Set<VerifiedDomain>().IgnoreQueryFilters().Where(d => d.OrganizationId == organizationId)
                .ExecuteUpdateAsync(s => s.SetProperty(d => d.DnsVerifiedDomain, "example.test").SetProperty(d => d.DnsVerifiedAt, DateTime.UtcNow)))
                .Should().Be(1);
        }

        var job = factory.Services.GetRequiredService<DomainRecheckJob>();
        registered.Should().BeTrue("the app runs the re-check as a hosted job");
        job.Interval.Should().Be(TimeSpan.FromDays(1));

        (await job.TickAsync(CancellationToken.None)).Should().BeTrue("the first tick of the day claims its slot and runs");
        (await job.TickAsync(CancellationToken.None)).Should().BeFalse("the day's slot is taken: the re-check runs once per due time");

        await using var check = factory.Database.CreateContext();
        (await check.Set<VerifiedDomain>().IgnoreQueryFilters().SingleAsync(d => d.OrganizationId == organizationId)).DnsVerifiedDomain
            .Should().BeNull("the name server answered without the record: the proof lapsed");
        var run = await check.Set<JobRun>().AsNoTracking().SingleAsync(r => r.Job == DomainRecheckJob.JobName);
        run.Outcome.Should().Be("1 checked, 1 lapsed, 0 without an answer");
        run.FinishedAt.Should().NotBeNull();
    }
}
