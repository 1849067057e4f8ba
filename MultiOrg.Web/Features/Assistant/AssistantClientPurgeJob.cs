using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MultiOrg.Data;
using MultiOrg.Web.Hosting;
using OpenIddict.Abstractions;
using OpenIddict.EntityFrameworkCore.Models;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace MultiOrg.Web.Features.Assistant;

/// <summary>The <c>Assistant</c> section.</summary>
public sealed class AssistantSettings
{
    public const string Section = "Assistant";

    [Description("how long an assistant registration without a grant in use (one with an unexpired token) is kept before the daily clean-up removes it; grants unused that long and ended grants and spent tokens that old go too (a time span, `30.00:00:00`)")]
    [Range(typeof(TimeSpan), "1.00:00:00", "365.00:00:00")]
    public TimeSpan UnusedClientRetention { get; set; } = TimeSpan.FromDays(30);
}

/// <summary>
/// Once a day, once across all servers: removes the assistant registrations (RFC 7591, anyone may make one) older than
/// <see cref="AssistantSettings.UnusedClientRetention"/> with no grant in use, the grants nothing has used for that
/// long, and OpenIddict's ended grants and spent tokens created before it. A client that comes back registers again.
/// </summary>
internal sealed class AssistantClientPurgeJob(IServiceScopeFactory scopes, TimeProvider time, IOptions<JobsSettings> jobs, AppMetrics metrics, ILogger<AssistantClientPurgeJob> logger)
    : ScheduledJob(scopes, time, jobs, metrics, logger)
{
    public const string JobName = "assistant-client-purge";

    /// <summary>When a dynamically registered client registered (Unix seconds), in its OpenIddict properties: the entity has no date.</summary>
    public const string RegisteredAtProperty = "mo:registered_at";

    protected override string Name => JobName;

    protected override TimeSpan DefaultInterval => TimeSpan.FromDays(1);

    protected override async Task<string> RunAsync(IServiceProvider services, DateTime now, CancellationToken ct)
    {
        var cutoff = now - services.GetRequiredService<IOptions<AssistantSettings>>().Value.UnusedClientRetention;
        var db = services.GetRequiredService<MultiOrgDbContext>();
        var authorizations = services.GetRequiredService<IOpenIddictAuthorizationManager>();
        var applications = services.GetRequiredService<IOpenIddictApplicationManager>();

        // A grant is in use while it holds a token that still works; one unused since before the cutoff has lapsed
        // (its refresh token ran out: the consent page says so) and leaves the person's list.
        var lapsed = await db.Set<OpenIddictEntityFrameworkCoreAuthorization>()
            .Where(a => a.Status == Statuses.Valid && a.CreationDate < cutoff && !a.Tokens.Any(t => t.Status == Statuses.Valid && t.ExpirationDate > now))
            .Select(a => a.Id!)
            .ToListAsync(ct);
        foreach (var id in lapsed)
        {
            if (await authorizations.FindByIdAsync(id, ct) is { } grant)
            {
                await authorizations.DeleteAsync(grant, ct);
            }
        }

        var candidates = await db.Set<OpenIddictEntityFrameworkCoreApplication>()
            .Where(a => a.ClientId!.StartsWith(AssistantClientRegistration.ClientIdPrefix)
                && !a.Authorizations.Any(z => z.Status == Statuses.Valid && z.Tokens.Any(t => t.Status == Statuses.Valid && t.ExpirationDate > now)))
            .Select(a => new { a.Id, a.Properties })
            .ToListAsync(ct);
        var clients = 0;
        foreach (var candidate in candidates)
        {
            var properties = candidate.Properties is null ? new JsonObject() : JsonNode.Parse(candidate.Properties)?.AsObject() ?? new JsonObject();
            if (properties[RegisteredAtProperty]?.GetValue<long>() is not { } registeredAt)
            {
                // Registered before the date was kept: its age counts from today.
                properties[RegisteredAtProperty] = new DateTimeOffset(now, TimeSpan.Zero).ToUnixTimeSeconds();
                if (await db.Set<OpenIddictEntityFrameworkCoreApplication>().FindAsync([candidate.Id], ct) is { } unstamped)
                {
                    unstamped.Properties = properties.ToJsonString();
                    await db.SaveChangesAsync(ct);
                }
            }
            else if (DateTimeOffset.FromUnixTimeSeconds(registeredAt).UtcDateTime < cutoff
                && await applications.FindByIdAsync(candidate.Id!, ct) is { } application)
            {
                // OpenIddict removes the client's grants and tokens with it.
                await applications.DeleteAsync(application, ct);
                clients++;
            }
        }

        var threshold = new DateTimeOffset(cutoff, TimeSpan.Zero);
        var tokens = await services.GetRequiredService<IOpenIddictTokenManager>().PruneAsync(threshold, ct);
        var ended = await authorizations.PruneAsync(threshold, ct);
        return $"{clients} assistant registration(s) and {lapsed.Count} lapsed grant(s) removed; {ended} ended grant(s) and {tokens} token(s) pruned";
    }

    /// <summary>The registration time a new client's properties carry.</summary>
    public static JsonElement RegisteredAt(DateTimeOffset now) => JsonSerializer.SerializeToElement(now.ToUnixTimeSeconds());
}
