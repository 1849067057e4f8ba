using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using MultiOrg.Tests.Harness;

namespace MultiOrg.Tests.ApiKeys;

/// <summary>
/// An API key is one organization's credential: only that organization's API routes and its assistant endpoint accept
/// it. Everywhere else a request carrying a key is answered exactly as one without credentials. The routes come from
/// the OpenAPI document, so a new endpoint is covered without a new test.
/// </summary>
public sealed partial class ApiKeyReachTests : IAsyncLifetime
{
    private readonly Mailbox mailbox = new();
    private ApiFactory factory = null!;
    private ApiUser owner = null!;
    private Guid home;
    private Guid other;
    private string secret = "";
    private string scimToken = "";

    public async Task InitializeAsync()
    {
        factory = new ApiFactory(new Dictionary<string, string> { ["Email:PickupDirectory"] = mailbox.Directory });
        owner = await factory.RegisterAsync("keyowner");
        home = await owner.CreateOrganizationAsync("Key home");

        // The key's creator owns this one too: a key that leaked into it would be let in, and the answer would show it.
        other = await owner.CreateOrganizationAsync("Creator's other organization");
        var created = await (await owner.Client.PostAsJsonAsync($"/api/organizations/{home}/api-keys", new { name = "Integration", role = "OWNER" })).JsonAsync();
        secret = created.GetProperty("secret").GetString()!;
        using var scope = factory.Services.CreateScope();
        scope.ServiceProvider.GetRequiredService<MultiOrg.Domain.Tenancy.TenantContext>().SetUser(owner.Id);
        await scope.ServiceProvider.GetRequiredService<MultiOrg.Domain.Organizations.OrganizationService>().EnterAsync(home);
        scimToken = (await scope.ServiceProvider.GetRequiredService<MultiOrg.Domain.Scim.ScimTokenService>().CreateAsync("Directory")).Secret;
    }

    public Task DisposeAsync()
    {
        factory.Dispose();
        mailbox.Dispose();
        return Task.CompletedTask;
    }

    [GeneratedRegex(@"\{(\w+)\}")]
    private static partial Regex RouteParameter();

    [GeneratedRegex(@"using this code: (\S+)")]
    private static partial Regex ResetCode();

    private HttpClient Client(string? how = null)
    {
        var client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        if (how == "header")
        {
            client.DefaultRequestHeaders.Add("X-Api-Key", secret);
        }
        else if (how == "bearer")
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        }
        else if (how == "scim")
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", scimToken);
        }

        return client;
    }

    private static HttpRequestMessage Request(string method, string path)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method is "POST" or "PUT" or "PATCH")
        {
            request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
        }

        return request;
    }

    private static string Describe(HttpResponseMessage response) =>
        $"{(int)response.StatusCode}{(response.Headers.Location is { } location ? " → " + location : "")}";

    /// <summary>Each request sent with the key and without credentials: where the answers differ, or the key's succeeded.</summary>
    private async Task<List<string>> DifferencesAsync(string how, IEnumerable<(string Method, string Path)> requests)
    {
        using var anonymous = Client();
        using var keyed = Client(how);
        var differences = new List<string>();
        foreach (var (method, path) in requests)
        {
            var withKey = await keyed.SendAsync(Request(method, path));
            var without = await anonymous.SendAsync(Request(method, path));
            if (Describe(withKey) != Describe(without) || (withKey.IsSuccessStatusCode && !without.IsSuccessStatusCode))
            {
                differences.Add($"{method} {path}: with the key {Describe(withKey)}, without credentials {Describe(without)}");
            }
        }

        return differences;
    }

    /// <summary>Every operation of the OpenAPI document, its route values filled in (the organization id with <paramref name="organizationId"/>).</summary>
    private async Task<IReadOnlyList<(string Method, string Path)>> DocumentedOperationsAsync(Guid organizationId)
    {
        using var anonymous = Client();
        var document = await anonymous.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var operations = new List<(string, string)>();
        foreach (var path in document.GetProperty("paths").EnumerateObject())
        {
            var filled = RouteParameter().Replace(path.Name, m => m.Groups[1].Value == "orgId" ? organizationId.ToString() : Guid.NewGuid().ToString());
            foreach (var operation in path.Value.EnumerateObject().Where(o => o.Name is "get" or "post" or "put" or "patch" or "delete"))
            {
                operations.Add((operation.Name.ToUpperInvariant(), filled));
            }
        }

        return operations;
    }

    [Theory]
    [InlineData("header")]
    [InlineData("bearer")]
    public async Task A_key_is_answered_as_no_credentials_on_every_documented_route_outside_its_organization(string how)
    {
        var operations = await DocumentedOperationsAsync(other);
        operations.Should().Contain(o => o.Path.StartsWith("/api/auth/manage/", StringComparison.Ordinal), "Identity's endpoints are in the document");
        operations.Should().Contain(o => o.Path == "/api/organizations" && o.Method == "POST");

        var differences = await DifferencesAsync(how, operations.Where(o => !o.Path.StartsWith($"/api/organizations/{home}", StringComparison.Ordinal)));

        differences.Should().BeEmpty($"a key reaches its own organization's routes only ({operations.Count} documented operations tried):\n{string.Join("\n", differences)}");
    }

    [Theory]
    [InlineData("header")]
    [InlineData("bearer")]
    public async Task A_key_is_accepted_by_every_documented_read_of_its_own_organization(string how)
    {
        var reads = (await DocumentedOperationsAsync(home))
            .Where(o => o.Method == "GET" && o.Path.StartsWith($"/api/organizations/{home}", StringComparison.Ordinal))
            .ToList();
        reads.Should().HaveCountGreaterThan(10);
        using var keyed = Client(how);

        var refused = new List<string>();
        foreach (var (method, path) in reads)
        {
            var response = await keyed.SendAsync(Request(method, path));
            if (response.StatusCode == HttpStatusCode.Unauthorized)
            {
                refused.Add($"{method} {path}");
            }
        }

        refused.Should().BeEmpty($"the organization's own routes accept its key:\n{string.Join("\n", refused)}");
    }

    [Fact]
    public async Task A_scim_token_is_answered_as_no_credentials_on_every_documented_route_even_of_its_own_organization()
    {
        var operations = (await DocumentedOperationsAsync(home)).Concat(await DocumentedOperationsAsync(other)).Distinct().ToList();

        var differences = await DifferencesAsync("scim", operations);

        differences.Should().BeEmpty($"a SCIM token reaches /scim/v2/{{its organization}} only ({operations.Count} documented operations tried):\n{string.Join("\n", differences)}");
    }

    [Theory]
    [InlineData("header")]
    [InlineData("bearer")]
    [InlineData("scim")]
    public async Task A_key_is_answered_as_no_credentials_by_pages_identity_the_logo_and_another_organizations_assistant(string how)
    {
        string[] paths =
        [
            "GET /Account/Manage",
            "GET /Account/Manage/Email",
            $"GET /organizations/{other}/dashboard",
            $"GET /organizations/{home}/dashboard",
            $"GET /organizations/{home}/api-keys",
            "GET /api/auth/manage/info",
            "POST /api/auth/manage/info",
            "POST /api/auth/manage/2fa",
            "GET /api/auth/me",
            $"GET /organizations/{home}/logo",
            $"GET /organizations/{other}/logo",
            $"POST /mcp/{other}",
        ];

        var differences = await DifferencesAsync(how, paths.Select(p => p.Split(' ')).Select(p => (p[0], p[1])));

        differences.Should().BeEmpty(string.Join("\n", differences));
    }

    [Fact]
    public async Task Taking_over_the_creators_account_with_a_key_ends_refused()
    {
        var victim = await factory.RegisterAsync("victim");
        var organization = await victim.CreateOrganizationAsync("Victim's company");
        var key = (await (await victim.Client.PostAsJsonAsync($"/api/organizations/{organization}/api-keys", new { name = "CI", role = "MEMBER" })).JsonAsync())
            .GetProperty("secret").GetString()!;
        var attacker = $"attacker.{Guid.NewGuid():N}@evil.example";
        using var keyed = Client();
        keyed.DefaultRequestHeaders.Add("X-Api-Key", key);
        using var anonymous = Client();

        // 1. Change the creator's address to one the attacker reads, and follow the confirmation link if one comes.
        var change = await keyed.PostAsJsonAsync("/api/auth/manage/info", new { newEmail = attacker });
        foreach (var message in mailbox.To(attacker))
        {
            var link = Regex.Match(message.TextBody ?? "", @"https?://\S+").Value;
            await anonymous.GetAsync(new Uri(link).PathAndQuery);
        }

        // 2. Ask for a reset code at that address, and use it if one comes.
        await anonymous.PostAsJsonAsync("/api/auth/forgotPassword", new { email = attacker });
        var code = mailbox.To(attacker).Select(m => ResetCode().Match(m.TextBody ?? "")).FirstOrDefault(m => m.Success)?.Groups[1].Value;
        var reset = await anonymous.PostAsJsonAsync("/api/auth/resetPassword", new { email = attacker, resetCode = code ?? "none", newPassword = "Attacker!Passw0rd" });

        // 3. Sign in as the creator.
        var signIn = await anonymous.PostAsJsonAsync("/api/auth/login", new { email = attacker, password = "Attacker!Passw0rd" });

        change.StatusCode.Should().Be(HttpStatusCode.Unauthorized, "Identity's account endpoints do not take an organization's key");
        mailbox.To(attacker).Should().BeEmpty("nothing was mailed to the attacker");
        reset.IsSuccessStatusCode.Should().BeFalse();
        signIn.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await anonymous.PostAsJsonAsync("/api/auth/login", new { email = victim.Email, password = ApiFactory.Password })).StatusCode
            .Should().Be(HttpStatusCode.OK, "the creator still signs in with their own address and password");
    }
}
