using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace MultiOrg.Tests.Harness;

/// <summary>
/// The real app in the ASP.NET test host, over its own migrated database (<see cref="TestDatabase"/>), with no demo data;
/// or, given one, over a database another host also serves (a second app instance, as a second server is).
/// </summary>
public sealed class ApiFactory(IReadOnlyDictionary<string, string>? settings = null, TestDatabase? shared = null) : WebApplicationFactory<Program>
{
    public ApiFactory()
        : this(null)
    {
    }

    public const string Password = "Str0ng!Passw0rd";

    static ApiFactory() => SuiteLogs.Secret("password", Password);

    public TestDatabase Database { get; } = shared ?? new();

    /// <summary>This host's log lines, checked for the suite's secrets when it is disposed (<see cref="SuiteLogs"/>).</summary>
    public SuiteLogs.Sink Logs { get; } = new();

    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web);

    /// <summary>Services a test adds to (or puts in front of) the app's own, before the host is built.</summary>
    public Action<Microsoft.Extensions.DependencyInjection.IServiceCollection>? ExtraServices { get; init; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("ConnectionStrings:MultiOrg", Database.ConnectionString);
        builder.UseSetting("Database:Provider", Database.Provider.Provider.ToString());
        builder.UseSetting("Database:SeedDemoData", "false");
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        builder.ConfigureLogging(logging => logging.AddProvider(Logs));

        // Tests sign in far more often than a person; the limit tests set their own, lower numbers.
        builder.UseSetting("RateLimits:SignInPerMinute", "100000");
        builder.UseSetting("RateLimits:AccountPerMinute", "100000");
        builder.UseSetting("RateLimits:ClientRegistrationPerMinute", "100000");
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            builder.UseSetting(key, value);
        }

        if (ExtraServices is { } configure)
        {
            builder.ConfigureTestServices(configure);
        }
    }

    /// <summary>Registers an account through Identity's own endpoint and returns a client carrying its bearer token.</summary>
    public async Task<ApiUser> RegisterAsync(string name, string? address = null)
    {
        var email = address ?? $"{name.ToLowerInvariant()}.{Guid.NewGuid():N}@example.test";
        using var anonymous = CreateClient();
        var register = await anonymous.PostAsJsonAsync("/api/auth/register", new { email, password = Password });
        register.EnsureSuccessStatusCode();
        await ConfirmEmailAsync(email);
        var client = await LoginAsync(email, Password);
        var me = await client.GetFromJsonAsync<JsonElement>("/api/auth/me");
        return new ApiUser(me.GetProperty("user").GetProperty("id").GetString()!, email, client);
    }

    /// <summary>What following the confirmation link does; the cast of API tests are people with confirmed addresses.</summary>
    public async Task ConfirmEmailAsync(string email)
    {
        await using var db = Database.CreateContext();
        await db.Users.Where(u => u.Email == email).ExecuteUpdateAsync(s => s.SetProperty(u => u.EmailConfirmed, true));
    }

    public async Task<HttpClient> LoginAsync(string email, string password)
    {
        using var anonymous = CreateClient();
        var login = await anonymous.PostAsJsonAsync("/api/auth/login", new { email, password });
        login.EnsureSuccessStatusCode();
        var tokens = await login.Content.ReadFromJsonAsync<JsonElement>();
        SuiteLogs.Secret("refresh token", tokens.GetProperty("refreshToken").GetString()!);
        var token = SuiteLogs.Secret("access token", tokens.GetProperty("accessToken").GetString()!);
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            if (shared is null)
            {
                Database.Dispose();
            }

            var leaks = SuiteLogs.Leaks(Logs);
            leaks.Should().BeEmpty("no secret or token a test created may appear in any log line of any API test host");
        }
    }
}

public sealed record ApiUser(string Id, string Email, HttpClient Client);

public static class HttpAssertions
{
    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response) =>
        await response.Content.ReadFromJsonAsync<JsonElement>(ApiFactory.Json);

    public static async Task<Guid> CreateOrganizationAsync(this ApiUser user, string name)
    {
        var response = await user.Client.PostAsJsonAsync("/api/organizations", new { name });
        response.EnsureSuccessStatusCode();
        return (await response.JsonAsync()).GetProperty("id").GetGuid();
    }

    public static async Task AddMemberAsync(this ApiUser owner, Guid organizationId, ApiUser member, string role)
    {
        var response = await owner.Client.PostAsJsonAsync($"/api/organizations/{organizationId}/members", new { email = member.Email, role });
        response.EnsureSuccessStatusCode();
    }
}
