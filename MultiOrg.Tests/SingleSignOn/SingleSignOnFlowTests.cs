using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using MultiOrg.Domain.Organizations;
using MultiOrg.Domain.Users;
using MultiOrg.Tests.Harness;

namespace MultiOrg.Tests.SingleSignOn;

/// <summary>
/// Single sign-on over real HTTP: MultiOrg on Kestrel (a loopback port), the tests' OpenIddict provider on another, and
/// a client with a cookie jar following redirects between them like a browser, through the full code flow with PKCE.
/// </summary>
public sealed partial class SingleSignOnFlowTests : IAsyncLifetime
{
    private const string Domain = "acme-sso.test";
    private const string Secret = "provider-secret-4b1d2e9c-never-shown";
    private const string ProviderPassword = "Provider-pass-1";

    private readonly ConcurrentQueue<string> logs = new();
    private ApiFactory database = null!;
    private WebApplicationFactory<Program> app = null!;
    private OidcProvider provider = null!;
    private HttpClient owner = null!;
    private Guid organizationId;

    private string BaseUrl { get; set; } = "";

    public async Task InitializeAsync()
    {
        provider = await OidcProvider.StartAsync();
        database = new ApiFactory();
        var dnsPort = DnsServer.ReservePort();
        app = database.WithWebHostBuilder(builder => builder
            .UseSetting("Logging:LogLevel:Default", "Debug")
            .UseSetting("OutboundRequests:AllowPrivateNetworks:0", "127.0.0.0/8")
            .UseSetting("Dns:NameServers:0", $"127.0.0.1:{dnsPort}")
            .ConfigureLogging(logging => logging.AddProvider(new CapturingLoggerProvider(logs))));
        app.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        app.StartServer();
        BaseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single().TrimEnd('/');

        var email = $"olivia@{Domain}";
        using (var anonymous = app.CreateClient())
        {
            (await anonymous.PostAsJsonAsync("/api/auth/register", new { email, password = ApiFactory.Password })).EnsureSuccessStatusCode();
        }

        await database.ConfirmEmailAsync(email);
        owner = await LoginAsync(email);
        organizationId = (await (await owner.PostAsJsonAsync("/api/organizations", new { name = "Acme SSO" })).JsonAsync()).GetProperty("id").GetGuid();
        (await owner.PostAsJsonAsync($"/api/organizations/{organizationId}/join-policy/domains", new { domain = Domain })).EnsureSuccessStatusCode();
        await DnsProofs.ProveOverApiAsync(owner, organizationId, Domain, dnsPort);
        await provider.RegisterClientAsync("multiorg", Secret, $"{BaseUrl}/signin-sso/{organizationId:N}");
    }

    public async Task DisposeAsync()
    {
        owner.Dispose();
        await app.DisposeAsync();
        await database.DisposeAsync();
        await provider.DisposeAsync();
    }

    private async Task<HttpClient> LoginAsync(string email)
    {
        using var anonymous = app.CreateClient();
        var login = await anonymous.PostAsJsonAsync("/api/auth/login", new { email, password = ApiFactory.Password });
        login.EnsureSuccessStatusCode();
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", (await login.JsonAsync()).GetProperty("accessToken").GetString());
        return client;
    }

    private Task<HttpResponseMessage> ConfigureAsync(string secret = Secret, bool required = false, string? authority = null, string role = "MEMBER") =>
        owner.PutAsJsonAsync($"/api/organizations/{organizationId}/sso", new
        {
            authority = authority ?? provider.Authority,
            clientId = "multiorg",
            clientSecret = secret,
            domains = new[] { Domain },
            enabled = true,
            required,
            defaultRole = role,
        });

    /// <summary>A browser: one cookie jar for both sites, redirects followed.</summary>
    private static HttpClient Browser(CookieContainer? cookies = null) =>
        new(new HttpClientHandler { CookieContainer = cookies ?? new CookieContainer(), AllowAutoRedirect = true, MaxAutomaticRedirections = 20 });

    /// <summary>Starts at MultiOrg's sign-in with the address, signs in at the provider, and returns where the browser ends.</summary>
    private async Task<HttpResponseMessage> SignInThroughProviderAsync(HttpClient browser, string email) =>
        await SignInAtProviderAsync(browser, email, await browser.GetAsync($"{BaseUrl}/Account/Sso/Start?email={Uri.EscapeDataString(email)}"));

    /// <summary>Signs in at the provider's page the browser was sent to, and returns where the browser ends.</summary>
    private async Task<HttpResponseMessage> SignInAtProviderAsync(HttpClient browser, string email, HttpResponseMessage atProvider)
    {
        atProvider.RequestMessage!.RequestUri!.AbsolutePath.Should().Be("/login", $"MultiOrg sent the browser to the provider's sign-in (got {(int)atProvider.StatusCode} at {atProvider.RequestMessage.RequestUri})");
        atProvider.RequestMessage.RequestUri.GetLeftPart(UriPartial.Authority).Should().Be(provider.Authority.TrimEnd('/'));
        var returnUrl = WebUtility.HtmlDecode(ReturnUrlField().Match(await atProvider.Content.ReadAsStringAsync()).Groups[1].Value);
        return await browser.PostAsync($"{provider.Authority}login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["username"] = email,
            ["password"] = ProviderPassword,
            ["returnUrl"] = returnUrl,
        }));
    }

    private async Task<(string Id, OrganizationRole? Role, string? Login)> AccountAsync(string email)
    {
        await using var db = database.Database.CreateContext();
        var user = await db.Users.SingleAsync(u => u.Email == email);
        var role = await db.OrganizationMembers.IgnoreQueryFilters()
            .Where(m => m.UserId == user.Id && m.OrganizationId == organizationId).Select(m => (OrganizationRole?)m.Role).SingleOrDefaultAsync();
        var login = await db.UserLogins.Where(l => l.UserId == user.Id).Select(l => l.LoginProvider + "|" + l.ProviderKey).SingleOrDefaultAsync();
        return (user.Id, role, login);
    }

    [Fact]
    public async Task A_new_person_at_the_verified_domain_signs_in_at_the_provider_and_lands_in_the_organization_with_the_default_role()
    {
        (await ConfigureAsync(role: "ADMIN")).EnsureSuccessStatusCode();
        provider.AddUser($"nina@{Domain}", ProviderPassword, "Nina New");
        var cookies = new CookieContainer();
        using var browser = Browser(cookies);

        var landed = await SignInThroughProviderAsync(browser, $"nina@{Domain}");

        landed.StatusCode.Should().Be(HttpStatusCode.OK);
        landed.RequestMessage!.RequestUri!.GetLeftPart(UriPartial.Authority).Should().Be(BaseUrl, "back at MultiOrg");
        landed.RequestMessage.RequestUri.AbsolutePath.Should().NotStartWith("/Account", "signed in, not sent to sign-in or an error page");
        cookies.GetCookies(new Uri(BaseUrl)).Select(c => c.Name).Should().Contain(".AspNetCore.Identity.Application");
        var account = await AccountAsync($"nina@{Domain}");
        account.Role.Should().Be(OrganizationRole.Admin, "just-in-time membership with the provider's default role");
        account.Login.Should().Be(LinkOf($"nina@{Domain}"));

        // The organization's page opens for her: the cookie is a real MultiOrg session.
        var page = await browser.GetAsync($"{BaseUrl}/organizations/{organizationId}/members");
        page.RequestMessage!.RequestUri!.AbsolutePath.Should().Be($"/organizations/{organizationId}/members");
        (await page.Content.ReadAsStringAsync()).Should().Contain("Acme SSO");
    }

    [Fact]
    public async Task With_sso_required_password_sign_in_is_refused_with_the_reason_on_the_api_and_the_page()
    {
        var email = $"paul@{Domain}";
        using (var anonymous = app.CreateClient())
        {
            (await anonymous.PostAsJsonAsync("/api/auth/register", new { email, password = ApiFactory.Password })).EnsureSuccessStatusCode();
        }

        await database.ConfirmEmailAsync(email);
        (await owner.PostAsJsonAsync($"/api/organizations/{organizationId}/members", new { email, role = "MEMBER" })).EnsureSuccessStatusCode();
        (await ConfigureAsync(required: true)).EnsureSuccessStatusCode();

        using var api = app.CreateClient();
        var token = await api.PostAsJsonAsync("/api/auth/login", new { email, password = ApiFactory.Password });
        token.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await token.JsonAsync()).GetProperty("detail").GetString().Should()
            .Be($"Password sign-in is turned off for {Domain} addresses: your organization requires single sign-on. Sign in on the web page with “Continue with single sign-on”.");

        using var browser = Browser();
        var page = await PostLoginFormAsync(browser, email, ApiFactory.Password);
        var html = WebUtility.HtmlDecode(await page.Content.ReadAsStringAsync());
        html.Should().Contain($"Password sign-in is turned off for {Domain} addresses: your organization requires single sign-on.");
        page.RequestMessage!.RequestUri!.AbsolutePath.Should().Be("/Account/Login", "still on the sign-in page, not signed in");

        // Without a password, the same form sends the address to the provider.
        var toProvider = await PostLoginFormAsync(browser, email, "");
        toProvider.RequestMessage!.RequestUri!.GetLeftPart(UriPartial.Authority).Should().Be(provider.Authority.TrimEnd('/'));
    }

    [Fact]
    public async Task Sso_required_binds_only_members_at_the_domain_and_outsiders_and_staff_keep_their_password()
    {
        var member = $"paula@{Domain}";
        var outsider = $"oscar@{Domain}";
        var elsewhere = "alice@other-company.test";
        var staff = $"sam@{Domain}";
        foreach (var email in new[] { member, outsider, elsewhere, staff })
        {
            await RegisterConfirmedAsync(email);
        }

        foreach (var email in new[] { member, elsewhere, staff })
        {
            (await owner.PostAsJsonAsync($"/api/organizations/{organizationId}/members", new { email, role = "MEMBER" })).EnsureSuccessStatusCode();
        }

        string staffCode;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            var sam = (await users.FindByEmailAsync(staff))!;
            sam.GlobalRole = GlobalRole.SystemAdmin;
            await users.UpdateAsync(sam);
            await users.ResetAuthenticatorKeyAsync(sam);
            await users.SetTwoFactorEnabledAsync(sam, true);
            staffCode = Totp.Code((await users.GetAuthenticatorKeyAsync(sam))!);
        }

        (await ConfigureAsync(required: true)).EnsureSuccessStatusCode();
        using var api = app.CreateClient();
        Task<HttpResponseMessage> Login(string email, string? code = null) =>
            api.PostAsJsonAsync("/api/auth/login", new { email, password = ApiFactory.Password, twoFactorCode = code });

        (await Login(member)).StatusCode.Should().Be(HttpStatusCode.Forbidden, "a member at the organization's domain signs in through its provider");
        (await Login(outsider)).StatusCode.Should().Be(HttpStatusCode.OK, "someone at the domain who never joined is never refused");
        (await Login(elsewhere)).StatusCode.Should().Be(HttpStatusCode.OK, "a member whose address is at another company's domain keeps their password");
        (await Login(staff)).StatusCode.Should().Be(HttpStatusCode.Unauthorized, "a system administrator still needs the second factor");
        (await Login(staff, staffCode)).StatusCode.Should().Be(HttpStatusCode.OK, "a system administrator keeps password plus two-factor");
    }

    [Fact]
    public async Task A_password_session_of_a_member_from_elsewhere_is_sent_to_the_provider_only_when_entering_the_sso_required_organization()
    {
        var elsewhere = "alice@other-company.test";
        await RegisterConfirmedAsync(elsewhere);
        (await owner.PostAsJsonAsync($"/api/organizations/{organizationId}/members", new { email = elsewhere, role = "MEMBER" })).EnsureSuccessStatusCode();
        (await ConfigureAsync(required: true)).EnsureSuccessStatusCode();
        using var alice = await LoginAsync(elsewhere);
        var own = (await (await alice.PostAsJsonAsync("/api/organizations", new { name = "Alice Co" })).JsonAsync()).GetProperty("id").GetGuid();

        (await alice.GetAsync($"/api/organizations/{own}/members")).StatusCode.Should().Be(HttpStatusCode.OK, "other organizations stay reachable with the password session");
        var refused = await alice.GetAsync($"/api/organizations/{organizationId}/members");

        refused.StatusCode.Should().Be(HttpStatusCode.Forbidden, "this session has not passed Acme SSO's provider");
        var problem = await refused.JsonAsync();
        problem.GetProperty("detail").GetString().Should().Contain("Acme SSO requires single sign-on").And.Contain("/Account/Sso/StepUp");
    }

    private async Task RegisterConfirmedAsync(string email)
    {
        using var anonymous = app.CreateClient();
        (await anonymous.PostAsJsonAsync("/api/auth/register", new { email, password = ApiFactory.Password })).EnsureSuccessStatusCode();
        await database.ConfirmEmailAsync(email);
    }

    /// <summary>What the account's provider login must be: the organization's provider, keyed by the issuer and the subject.</summary>
    private string LinkOf(string email) => $"sso:{organizationId:N}|{provider.Authority}#{provider.SubjectOf(email)}";

    [Fact]
    public async Task A_person_in_three_organizations_signs_in_through_the_provider()
    {
        (await ConfigureAsync()).EnsureSuccessStatusCode();
        var email = $"tess@{Domain}";
        provider.AddUser(email, ProviderPassword, "Tess Three");
        using (var first = Browser())
        {
            (await SignInThroughProviderAsync(first, email)).RequestMessage!.RequestUri!.AbsolutePath.Should().NotStartWith("/Account");
        }

        foreach (var name in new[] { "Globex", "Initech" })
        {
            var other = (await (await owner.PostAsJsonAsync("/api/organizations", new { name })).JsonAsync()).GetProperty("id").GetGuid();
            (await owner.PostAsJsonAsync($"/api/organizations/{other}/members", new { email, role = "MEMBER" })).EnsureSuccessStatusCode();
        }

        var cookies = new CookieContainer();
        using var browser = Browser(cookies);
        var landed = await SignInThroughProviderAsync(browser, email);

        landed.StatusCode.Should().Be(HttpStatusCode.OK, "never a 500");
        landed.RequestMessage!.RequestUri!.AbsolutePath.Should().NotStartWith("/Account");
        cookies.GetCookies(new Uri(BaseUrl)).Select(c => c.Name).Should().Contain(".AspNetCore.Identity.Application");
        var account = await AccountAsync(email);
        account.Login.Should().Be(LinkOf(email));
        await using var db = database.Database.CreateContext();
        (await db.OrganizationMembers.IgnoreQueryFilters().CountAsync(m => m.UserId == account.Id)).Should().Be(3);
    }

    /// <summary>The sign-in page's form as a browser posts it (antiforgery token included).</summary>
    private async Task<HttpResponseMessage> PostLoginFormAsync(HttpClient browser, string email, string password)
    {
        var form = await browser.GetStringAsync($"{BaseUrl}/Account/Login");
        var token = AntiforgeryField().Match(form);
        token.Success.Should().BeTrue($"the sign-in form carries an antiforgery token: {form}");
        return await browser.PostAsync($"{BaseUrl}/Account/Login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token.Groups[1].Value),
            ["_handler"] = "login",
            ["Input.Email"] = email,
            ["Input.Password"] = password,
        }));
    }

    [GeneratedRegex("name=\"returnUrl\" value=\"([^\"]*)\"")]
    private static partial Regex ReturnUrlField();

    [GeneratedRegex("<input[^>]*name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();

    private sealed class CapturingLoggerProvider(ConcurrentQueue<string> lines) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new Logger(categoryName, lines);

        public void Dispose()
        {
        }

        private sealed class Logger(string category, ConcurrentQueue<string> lines) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                lines.Enqueue($"{category} {logLevel}: {formatter(state, exception)} {exception}");
        }
    }
}
