using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Logging.Testing;
using MultiOrg.Tests.Harness;

namespace MultiOrg.Tests.Hosting;

/// <summary>EF Core logs through the app's logging with the app's levels; slow commands are logged with their SQL; no secret reaches any log line.</summary>
public sealed class LogTests
{
    private const string CommandCategory = "Microsoft.EntityFrameworkCore.Database.Command";

    private static ApiFactory Factory(Dictionary<string, string> settings) =>
        new(settings) { ExtraServices = services => services.AddLogging(logging => logging.AddFakeLogging()) };

    private static IReadOnlyList<FakeLogRecord> Logs(ApiFactory factory) => factory.Services.GetFakeLogCollector().GetSnapshot();

    [Fact]
    public async Task EF_Core_commands_reach_the_app_log_at_the_level_the_app_configures()
    {
        using var verbose = Factory(new() { ["Logging:LogLevel:" + CommandCategory] = "Information" });
        using var quiet = Factory(new() { ["Database:SlowQueryMilliseconds"] = "3600000" });

        await (await verbose.RegisterAsync("verbose")).CreateOrganizationAsync("Logged");
        await (await quiet.RegisterAsync("quiet")).CreateOrganizationAsync("Quiet");

        Logs(verbose).Should().Contain(r => r.Category == CommandCategory && r.Level == LogLevel.Information && r.Message.Contains("INSERT INTO \"Organizations\""),
            "with the category at Information the executed commands are in the app's log");
        Logs(quiet).Should().NotContain(r => r.Category == CommandCategory, "appsettings.json keeps commands at Warning");
    }

    [Fact]
    public void Production_writes_console_logs_as_json_with_the_frameworks_formatter()
    {
        using var production = new ApiFactory(new Dictionary<string, string> { ["environment"] = "Production", ["App:PublicBaseUrl"] = "https://multiorg.example/" });
        using var testing = new ApiFactory();

        static string? Formatter(ApiFactory factory) =>
            factory.Services.GetRequiredService<IOptionsMonitor<ConsoleLoggerOptions>>().CurrentValue.FormatterName;

        production.Services.GetRequiredService<IHostEnvironment>().EnvironmentName.Should().Be("Production");
        Formatter(production).Should().Be(ConsoleFormatterNames.Json, "appsettings.Production.json turns on the JSON formatter");
        Formatter(testing).Should().NotBe(ConsoleFormatterNames.Json, "other environments keep plain text for people reading it");
    }

    [Fact]
    public async Task A_command_slower_than_the_threshold_is_logged_at_warning_with_its_sql_and_never_its_values()
    {
        using var everything = Factory(new() { ["Database:SlowQueryMilliseconds"] = "0" });
        using var none = Factory(new() { ["Database:SlowQueryMilliseconds"] = "3600000" });

        await (await everything.RegisterAsync("slow")).CreateOrganizationAsync("Slow Org Name");
        await (await none.RegisterAsync("fast")).CreateOrganizationAsync("Fast Org Name");

        var slow = Logs(everything).Where(r => r.Category == typeof(MultiOrg.Data.SlowCommandInterceptor).FullName).ToList();
        slow.Should().Contain(r => r.Level == LogLevel.Warning && r.Message.Contains("INSERT INTO \"Organizations\""),
            "a threshold of 0 ms logs every command's SQL");
        slow.Should().NotContain(r => r.Message.Contains("Slow Org Name"), "parameter values are never logged");
        Logs(none).Should().NotContain(r => r.Category == typeof(MultiOrg.Data.SlowCommandInterceptor).FullName);
    }

    [Fact]
    public async Task No_secret_an_api_run_creates_appears_in_any_log_line_at_any_level()
    {
        using var mailbox = new Mailbox();
        using var factory = Factory(new()
        {
            ["Logging:LogLevel:Default"] = "Trace",
            ["Logging:LogLevel:Microsoft"] = "Trace",
            ["Logging:LogLevel:" + CommandCategory] = "Trace",
            ["Email:PickupDirectory"] = mailbox.Directory,
            ["Database:SlowQueryMilliseconds"] = "0",
        });
        var secrets = new List<(string What, string Value)> { ("password", ApiFactory.Password) };

        var owner = await factory.RegisterAsync("owner");
        using var anonymous = factory.CreateClient();
        var login = await (await anonymous.PostAsJsonAsync("/api/auth/login", new { email = owner.Email, password = ApiFactory.Password })).JsonAsync();
        secrets.Add(("access token", login.GetProperty("accessToken").GetString()!));
        secrets.Add(("refresh token", login.GetProperty("refreshToken").GetString()!));
        var refreshed = await anonymous.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = login.GetProperty("refreshToken").GetString() });
        refreshed.StatusCode.Should().Be(HttpStatusCode.OK);
        secrets.Add(("refreshed access token", (await refreshed.JsonAsync()).GetProperty("accessToken").GetString()!));

        var organizationId = await owner.CreateOrganizationAsync("Secretive");
        var (_, keySecret) = await ApiWorld.CreateKeyAsync(owner, organizationId, "ADMIN");
        secrets.Add(("API key", keySecret));
        using var keyClient = factory.CreateClient();
        keyClient.DefaultRequestHeaders.Add("X-Api-Key", keySecret);
        (await keyClient.GetAsync($"/api/organizations/{organizationId}/members")).StatusCode.Should().Be(HttpStatusCode.OK);
        using var wrongKey = factory.CreateClient();
        wrongKey.DefaultRequestHeaders.Add("X-Api-Key", keySecret + "x");
        (await wrongKey.GetAsync($"/api/organizations/{organizationId}/members")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);

        const string ClientSecret = "sso-Client-Secret-4711-do-not-log";
        secrets.Add(("SSO client secret", ClientSecret));
        var sso = await owner.Client.PutAsJsonAsync($"/api/organizations/{organizationId}/sso", new
        {
            authority = "https://login.example.com/",
            clientId = "multiorg",
            clientSecret = ClientSecret,
            domains = Array.Empty<string>(),
            enabled = false,
            required = false,
            defaultRole = "MEMBER",
        });
        sso.IsSuccessStatusCode.Should().BeTrue(await sso.Content.ReadAsStringAsync());

        var invited = $"invited.{Guid.NewGuid():N}@example.test";
        (await owner.Client.PostAsJsonAsync($"/api/organizations/{organizationId}/invitations", new { emails = new[] { invited }, role = "MEMBER" }))
            .IsSuccessStatusCode.Should().BeTrue();
        secrets.Add(("invitation token", mailbox.InvitationTokenFor(invited)));

        const string NewPassword = "An0ther!Passw0rd";
        secrets.Add(("new password", NewPassword));
        (await owner.Client.PostAsJsonAsync("/api/auth/manage/info", new { newPassword = NewPassword, oldPassword = ApiFactory.Password }))
            .StatusCode.Should().Be(HttpStatusCode.OK);
        (await anonymous.PostAsJsonAsync("/api/auth/login", new { email = owner.Email, password = "Wr0ng!Password" }))
            .StatusCode.Should().Be(HttpStatusCode.Unauthorized);

        var logs = Logs(factory);
        logs.Count.Should().BeGreaterThan(100, "Trace logs every layer, so the search has something to search");
        foreach (var record in logs)
        {
            var line = string.Join(" | ", [record.Message, record.Exception?.ToString(), .. (record.StructuredState ?? []).Select(p => p.Value), .. record.Scopes.Select(s => s?.ToString())]);
            foreach (var (what, value) in secrets)
            {
                line.Should().NotContain(value, $"the {what} appeared in a {record.Level} line of {record.Category}");
            }
        }
    }

    [Fact]
    public void A_registered_secret_in_any_api_test_hosts_log_is_reported_when_the_host_is_disposed()
    {
        using var factory = new ApiFactory();
        var secret = SuiteLogs.Secret("planted secret", $"planted-{Guid.NewGuid():N}");

        factory.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Leaky").LogWarning("Token {Token}", secret);

        SuiteLogs.Leaks(factory.Logs).Should().ContainSingle().Which.Should().Be("the planted secret appeared in a Warning line of Leaky");
        factory.Logs.Forget();
    }
}
