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
using MultiOrg.Tests.Support;
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

    [Fact]
    public async Task A_wrong_client_secret_ends_on_the_error_page_and_signs_nobody_in()
    {
        (await ConfigureAsync(secret: "not-the-secret-the-provider-knows")).EnsureSuccessStatusCode();
        provider.AddUser($"walt@{Domain}", ProviderPassword, "Walt Wrong");
        var cookies = new CookieContainer();
        using var browser = Browser(cookies);

        var ended = await SignInThroughProviderAsync(browser, $"walt@{Domain}");

        ended.StatusCode.Should().Be(HttpStatusCode.OK, "a clear page, never a 500");
        ended.RequestMessage!.RequestUri!.PathAndQuery.Should().StartWith("/Account/Sso/Error?reason=rejected");
        WebUtility.HtmlDecode(await ended.Content.ReadAsStringAsync()).Should().Contain("refused MultiOrg's request").And.Contain("invalid_client");
        cookies.GetCookies(new Uri(BaseUrl)).Select(c => c.Name).Should().NotContain(".AspNetCore.Identity.Application");
        await using var db = database.Database.CreateContext();
        (await db.Users.AnyAsync(u => u.Email == $"walt@{Domain}")).Should().BeFalse("no account is created");
    }

    [Fact]
    public async Task An_unreachable_provider_gives_the_error_page_without_reaching_anyone()
    {
        (await ConfigureAsync(authority: "http://127.0.0.1:9/")).EnsureSuccessStatusCode();
        using var browser = Browser();

        var ended = await browser.GetAsync($"{BaseUrl}/Account/Sso/Start?email={Uri.EscapeDataString($"una@{Domain}")}");

        ended.StatusCode.Should().Be(HttpStatusCode.OK);
        ended.RequestMessage!.RequestUri!.PathAndQuery.Should().Be("/Account/Sso/Error?reason=unreachable");
        WebUtility.HtmlDecode(await ended.Content.ReadAsStringAsync()).Should().Contain("could not reach your organization's sign-in provider");
    }

    [Fact]
    public async Task A_changed_setting_takes_effect_at_the_next_sign_in_without_a_restart()
    {
        (await ConfigureAsync(secret: "not-the-secret-the-provider-knows")).EnsureSuccessStatusCode();
        provider.AddUser($"cora@{Domain}", ProviderPassword, "Cora Change");
        using (var first = Browser())
        {
            (await SignInThroughProviderAsync(first, $"cora@{Domain}")).RequestMessage!.RequestUri!.AbsolutePath.Should().Be("/Account/Sso/Error");
        }

        (await ConfigureAsync()).EnsureSuccessStatusCode();
        using var second = Browser();
        var landed = await SignInThroughProviderAsync(second, $"cora@{Domain}");

        landed.RequestMessage!.RequestUri!.AbsolutePath.Should().NotStartWith("/Account");
        (await AccountAsync($"cora@{Domain}")).Role.Should().Be(OrganizationRole.Member);
    }

    [Fact]
    public async Task The_client_secret_never_appears_in_an_api_response_a_page_or_a_log()
    {
        var saved = await (await ConfigureAsync()).Content.ReadAsStringAsync();
        var read = await owner.GetStringAsync($"/api/organizations/{organizationId}/sso");
        provider.AddUser($"sara@{Domain}", ProviderPassword, "Sara Secret");
        using var browser = Browser();
        await SignInThroughProviderAsync(browser, $"sara@{Domain}");
        var ownerBrowser = Browser();
        (await PostLoginFormAsync(ownerBrowser, $"olivia@{Domain}", ApiFactory.Password)).RequestMessage!.RequestUri!.AbsolutePath.Should().NotBe("/Account/Login");
        var page = await ownerBrowser.GetStringAsync($"{BaseUrl}/organizations/{organizationId}/settings/security");
        var openApi = await owner.GetStringAsync("/openapi/v1.json");

        saved.Should().Contain("\"clientSecretSet\":true").And.NotContain(Secret);
        read.Should().NotContain(Secret);
        page.Should().Contain("Single sign-on").And.NotContain(Secret);
        openApi.Should().Contain("/api/organizations/{orgId}/sso");
        logs.Should().NotBeEmpty("the app logged at Debug level throughout");
        logs.Should().NotContain(line => line.Contains(Secret));
    }

    private async Task RegisterConfirmedAsync(string email)
    {
        using var anonymous = app.CreateClient();
        (await anonymous.PostAsJsonAsync("/api/auth/register", new { email, password = ApiFactory.Password })).EnsureSuccessStatusCode();
        await database.ConfirmEmailAsync(email);
    }

    /// <summary>What the account's provider login must be: the organization's provider, keyed by the issuer and the subject.</summary>
    private string LinkOf(string email) => $"sso:{organizationId:N}|{provider.Authority}#{provider.SubjectOf(email)}";

    /// <summary>"Connect" on the account's external logins page, as the signed-in holder's browser posts it.</summary>
    private async Task<HttpResponseMessage> ConnectAsync(HttpClient browser)
    {
        var page = await browser.GetStringAsync($"{BaseUrl}/Account/Manage/ExternalLogins");
        var token = AntiforgeryField().Match(page);
        page.Should().Contain("data-testid=\"sso-connect\"", "the page offers to connect the organization's provider");
        return await browser.PostAsync($"{BaseUrl}/Account/Sso/Connect", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token.Groups[1].Value),
        }));
    }

    [Fact]
    public async Task An_existing_account_is_linked_only_when_its_holder_is_signed_in_and_chooses_connect()
    {
        var email = $"erin@{Domain}";
        await RegisterConfirmedAsync(email);
        (await ConfigureAsync()).EnsureSuccessStatusCode();
        provider.AddUser(email, ProviderPassword, "Erin Existing");

        using (var stranger = Browser())
        {
            var refused = await SignInThroughProviderAsync(stranger, email);
            refused.RequestMessage!.RequestUri!.PathAndQuery.Should().Be("/Account/Sso/Error?reason=account-exists",
                "whoever runs a provider must not take over an account that never joined the organization");
        }

        var cookies = new CookieContainer();
        using var herself = Browser(cookies);
        (await PostLoginFormAsync(herself, email, ApiFactory.Password)).RequestMessage!.RequestUri!.AbsolutePath.Should().NotBe("/Account/Login");

        // Signed in, but only following a link to the sign-in start: a page of someone else's could send her there.
        var followedLink = await SignInThroughProviderAsync(herself, email);
        followedLink.RequestMessage!.RequestUri!.PathAndQuery.Should().Be("/Account/Sso/Error?reason=account-exists");
        (await AccountAsync(email)).Login.Should().BeNull("a sign-in she did not ask to connect links nothing");

        // A connect without the page's antiforgery token (posted from another site) is refused.
        var forged = await herself.PostAsync($"{BaseUrl}/Account/Sso/Connect", new FormUrlEncodedContent([]));
        forged.RequestMessage!.RequestUri!.PathAndQuery.Should().Be("/Account/Sso/Error?reason=failed", "never sent to the provider");

        // Still signed in at the provider from the step above, the browser comes straight back.
        var connected = await ConnectAsync(herself);

        connected.RequestMessage!.RequestUri!.AbsolutePath.Should().Be("/Account/Manage/ExternalLogins");
        var account = await AccountAsync(email);
        account.Role.Should().Be(OrganizationRole.Member);
        account.Login.Should().Be(LinkOf(email));
        using var later = Browser(new CookieContainer());
        (await SignInThroughProviderAsync(later, email)).RequestMessage!.RequestUri!.AbsolutePath.Should().NotStartWith("/Account", "linked, she signs in through the provider");
    }

    [Fact]
    public async Task An_existing_member_is_not_linked_by_membership_alone_and_keeps_their_role_once_connected()
    {
        var email = $"max@{Domain}";
        await RegisterConfirmedAsync(email);
        (await owner.PostAsJsonAsync($"/api/organizations/{organizationId}/members", new { email, role = "ADMIN" })).EnsureSuccessStatusCode();
        (await ConfigureAsync()).EnsureSuccessStatusCode();
        provider.AddUser(email, ProviderPassword, "Max Member");
        using (var first = Browser())
        {
            (await SignInThroughProviderAsync(first, email)).RequestMessage!.RequestUri!.PathAndQuery.Should().Be("/Account/Sso/Error?reason=account-exists");
        }

        using var browser = Browser();
        (await PostLoginFormAsync(browser, email, ApiFactory.Password)).RequestMessage!.RequestUri!.AbsolutePath.Should().NotBe("/Account/Login");
        await SignInAtProviderAsync(browser, email, await ConnectAsync(browser));

        var account = await AccountAsync(email);
        account.Role.Should().Be(OrganizationRole.Admin, "a sign-in never changes a member's role");
        account.Login.Should().Be(LinkOf(email));
    }

    [Fact]
    public async Task A_provider_asserting_a_members_address_neither_signs_its_runner_in_as_them_nor_links_anything()
    {
        // The attacker owns the organization, adds the victim by email and runs the provider, which vouches (as verified)
        // for the victim's address under a subject of the attacker's.
        var victim = $"victor@{Domain}";
        await RegisterConfirmedAsync(victim);
        (await owner.PostAsJsonAsync($"/api/organizations/{organizationId}/members", new { email = victim, role = "MEMBER" })).EnsureSuccessStatusCode();
        (await ConfigureAsync()).EnsureSuccessStatusCode();
        provider.AddUser(victim, ProviderPassword, "Not Victor");
        var cookies = new CookieContainer();
        using var attacker = Browser(cookies);

        var ended = await SignInThroughProviderAsync(attacker, victim);

        ended.RequestMessage!.RequestUri!.PathAndQuery.Should().Be("/Account/Sso/Error?reason=account-exists");
        cookies.GetCookies(new Uri(BaseUrl)).Select(c => c.Name).Should().NotContain(".AspNetCore.Identity.Application", "nobody is signed in");
        var page = await attacker.GetAsync($"{BaseUrl}/organizations/{organizationId}/members");
        page.RequestMessage!.RequestUri!.AbsolutePath.Should().Be("/Account/Login", "the attacker's browser holds no session of the victim's");
        await using var db = database.Database.CreateContext();
        (await db.UserLogins.CountAsync()).Should().Be(0, "no provider login was linked to any account");
    }

    [Fact]
    public async Task An_address_the_provider_does_not_mark_verified_creates_and_links_nothing()
    {
        (await ConfigureAsync()).EnsureSuccessStatusCode();
        var email = $"uma@{Domain}";
        provider.AddUser(email, ProviderPassword, "Uma Unverified", emailVerified: null);
        using var browser = Browser();

        var ended = await SignInThroughProviderAsync(browser, email);

        ended.RequestMessage!.RequestUri!.PathAndQuery.Should().Be("/Account/Sso/Error?reason=wrong-domain");
        await using var db = database.Database.CreateContext();
        (await db.Users.AnyAsync(u => u.Email == email)).Should().BeFalse();
        (await db.UserLogins.CountAsync()).Should().Be(0);
    }

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
