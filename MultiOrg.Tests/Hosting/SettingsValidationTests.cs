using System.Diagnostics;
using MultiOrg.Web.Hosting;
using MultiOrg.Tests.Harness;

namespace MultiOrg.Tests.Hosting;

/// <summary>Every options class is checked at start: a bad value stops the app with one line naming the setting and what it expects.</summary>
[Trait(TestDatabase.Trait, TestDatabase.Independent)]
public sealed class SettingsValidationTests
{
    /// <summary>One bad value per options class (its section first), and what the line must say.</summary>
    public static TheoryData<string, string, string, string> BadValues => new()
    {
        { "Database", "Database:SlowQueryMilliseconds", "-1", "The field Database:SlowQueryMilliseconds must be between 0 and 3600000 (it is '-1')." },
        { "App", "App:PublicBaseUrl", "multiorg.example", "App:PublicBaseUrl must be an absolute http or https address such as https://multiorg.example/ (it is 'multiorg.example')." },
        { "Email", "Email:Smtp:Port", "70000", "The field Email:Smtp:Port must be between 1 and 65535 (it is '70000')." },
        { "Invitations", "Invitations:MaxRows", "0", "The field Invitations:MaxRows must be between 1 and 100000 (it is '0')." },
        { "Audit", "Audit:MinimumRetentionDays", "0", "The field Audit:MinimumRetentionDays must be between 1 and 36500 (it is '0')." },
        { "Billing", "Billing:DefaultPlan", "gold", "Billing:DefaultPlan must be one of the plans' codes (free, team, business, partner) (it is 'gold')." },
        { "Identity", "Identity:Lockout:MaxFailedAccessAttempts", "0", "The field Identity:Lockout:MaxFailedAccessAttempts must be between 1 and 100 (it is '0')." },
        { "AccessTokens", "AccessTokens:Lifetime", "00:00:00", "The field AccessTokens:Lifetime must be between 00:00:01 and 1.00:00:00 (it is '00:00:00')." },
        { "RateLimits", "RateLimits:ApiKeyPerMinute", "0", "The field RateLimits:ApiKeyPerMinute must be between 1 and 1000000 (it is '0')." },
        { "ForwardedHeaders", "ForwardedHeaders:KnownProxies", "10.0.0.10, balancer.internal", "ForwardedHeaders:KnownProxies must list IP addresses such as 10.0.0.10; 'balancer.internal' is not one." },
        { "DataProtection", "DataProtection:Certificate:Path", "/nowhere/keys.pfx", "DataProtection:Certificate:Path must name a readable .pfx file (it is '/nowhere/keys.pfx')." },
        { "OpenTelemetry", "OpenTelemetry:Endpoint", "collector:4317", "OpenTelemetry:Endpoint must be an absolute http or https address such as http://otel-collector:4317 (it is 'collector:4317')." },
        { "Metrics", "Metrics:Urls", "http://127.0.0.1", "Metrics:Urls must list http addresses with an explicit port, such as http://127.0.0.1:9464 (it is 'http://127.0.0.1')." },
        { "Administration", "Administration:SystemAdmins:0", "root", "Administration:SystemAdmins must list email addresses such as admin@example.com; 'root' is not one." },
        { "Redis", "Redis:Configuration", "redis.internal:6379,passwrd=s3cret-horse", "Redis:Configuration is not a StackExchange.Redis configuration string; expected one such as redis.internal:6379,password=…." },
        { "Circuits", "Circuits:DisconnectedRetention", "00:00:00", "The field Circuits:DisconnectedRetention must be between 00:00:01 and 1.00:00:00 (it is '00:00:00')." },
        { "Circuits", "Circuits:PauseHiddenAfterSeconds", "-1", "The field Circuits:PauseHiddenAfterSeconds must be between 0 and 86400 (it is '-1')." },
        { "OutboundRequests", "OutboundRequests:AllowPrivateNetworks", "10.0.0.0/8, intranet", "OutboundRequests:AllowPrivateNetworks must list IP ranges in CIDR notation such as 10.20.0.0/16 or fd00::/8; 'intranet' is not one." },
        { "Dns", "Dns:NameServers:0", "ns1.internal:53", "Dns:NameServers must list IP addresses with an optional port such as 10.0.0.2:53 or [fd00::2]:53; 'ns1.internal:53' is not one." },
        { "Jobs", "Jobs:billing-period-close:Interval", "00:00:00", "The field Jobs:billing-period-close:Interval must be between 00:00:01 and 7.00:00:00 (it is '00:00:00')." },
        { "Security", "Security:AuditRetentionJob", "maybe", "Failed to convert configuration value 'maybe' at 'Security:AuditRetentionJob' to type 'System.Boolean'." },
        { "Assistant", "Assistant:UnusedClientRetention", "00:00:00", "The field Assistant:UnusedClientRetention must be between 1.00:00:00 and 365.00:00:00 (it is '00:00:00')." },
        { "", "AllowedHosts", "multiorg.example;bad host", "AllowedHosts must list host names separated by ';' such as multiorg.example;*.multiorg.example, or * (it is 'multiorg.example;bad host')." },
    };

    [Theory]
    [MemberData(nameof(BadValues))]
    public void A_bad_value_stops_the_app_at_start_with_one_line_naming_the_setting(string section, string key, string value, string expected)
    {
        using var factory = new ApiFactory(new Dictionary<string, string> { [key] = value });

        var start = () => factory.CreateClient();

        var error = start.Should().Throw<Exception>().Which;
        Settings.IsSettingError(error).Should().BeTrue($"a bad {section} setting is a settings error, not {error}");
        Settings.Describe(error).Should().Be(expected);
    }

    [Fact]
    public void Every_options_class_has_a_bad_value_test()
    {
        var tested = BadValues.Select(row => (string)row[0]).ToHashSet();

        Settings.Catalog.Select(c => c.Section).Should().BeSubsetOf(tested, "each options class needs its row in BadValues");
    }

    [Fact]
    public void A_value_that_is_not_a_number_stops_the_app_naming_the_setting()
    {
        using var factory = new ApiFactory(new Dictionary<string, string> { ["RateLimits:SignInPerMinute"] = "ten" });

        var error = ((Action)(() => factory.CreateClient())).Should().Throw<Exception>().Which;

        Settings.IsSettingError(error).Should().BeTrue(error.ToString());
        Settings.Describe(error).Should().Contain("'ten'").And.Contain("RateLimits:SignInPerMinute").And.NotContain("\n");
    }

    [Fact]
    public void A_plan_with_no_seats_is_named_by_its_position_in_the_list()
    {
        using var factory = new ApiFactory(new Dictionary<string, string> { ["Billing:Plans:1:IncludedSeats"] = "0" });

        var error = ((Action)(() => factory.CreateClient())).Should().Throw<Exception>().Which;

        Settings.Describe(error).Should().Be("The field Billing:Plans:1:IncludedSeats must be between 1 and 1000000 (it is '0').");
    }

    [Fact]
    public void A_secret_that_fails_its_check_is_named_but_never_echoed()
    {
        using var certificate = new TestCertificate();
        using var factory = new ApiFactory(new Dictionary<string, string>
        {
            ["DataProtection:Certificate:Path"] = certificate.Path,
            ["DataProtection:Certificate:Password"] = "wrong-horse-battery",
        });

        var error = ((Action)(() => factory.CreateClient())).Should().Throw<Exception>().Which;

        Settings.Describe(error).Should().Contain("DataProtection:Certificate:Path could not be opened")
            .And.Contain("DataProtection:Certificate:Password").And.NotContain("wrong-horse-battery");
    }

    /// <summary>The real program, as an operator starts it: exit code 1 and one line on standard error, before the database is touched.</summary>
    [Fact]
    public async Task The_program_stops_with_exit_code_1_and_one_line_on_standard_error()
    {
        var folder = Directory.CreateTempSubdirectory("multiorg-settings-");
        try
        {
            var database = Path.Combine(folder.FullName, "app.db");
            var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "MultiOrg.Web.dll"), "--urls", "http://127.0.0.1:0"])
            {
                RedirectStandardError = true,
                RedirectStandardOutput = true,
                WorkingDirectory = folder.FullName,
            };
            start.Environment["ASPNETCORE_ENVIRONMENT"] = "Testing";
            start.Environment["ConnectionStrings__MultiOrg"] = $"Data Source={database}";
            start.Environment["Metrics__Urls"] = "";
            start.Environment["Invitations__ExpiryDays"] = "0";
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var errors = await process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();

            process.ExitCode.Should().Be(1, $"stdout: {await output}");
            errors.TrimEnd().Split('\n').Should().ContainSingle()
                .Which.Should().Be("MultiOrg did not start: The field Invitations:ExpiryDays must be between 1 and 90 (it is '0').");
            File.Exists(database).Should().BeFalse("the settings are checked before the database is created or migrated");
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
