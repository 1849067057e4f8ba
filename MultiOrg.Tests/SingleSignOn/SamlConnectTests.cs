using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MultiOrg.Domain.Organizations;
using MultiOrg.Domain.SingleSignOn;
using MultiOrg.Domain.Tenancy;
using MultiOrg.Tests.Harness;

namespace MultiOrg.Tests.SingleSignOn;

/// <summary>
/// "Connect" on Your account → External logins when the organization signs in by SAML: a person with a password account
/// links their SAML identity, and only the account that asked for that very request gets the link.
/// </summary>
public sealed partial class SamlConnectTests(XmlSecSamlWorld world) : IClassFixture<XmlSecSamlWorld>
{
    private const string Domain = XmlSecSamlWorld.Domain;

    [GeneratedRegex("<input[^>]*name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();

    private static HttpClient Browser(CookieContainer cookies, bool follow = true) =>
        new(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = follow });

    private async Task SignInWithPasswordAsync(CookieContainer cookies, string email)
    {
        using var browser = Browser(cookies);
        var form = await browser.GetStringAsync($"{world.BaseUrl}/Account/Login");
        var signedIn = await browser.PostAsync($"{world.BaseUrl}/Account/Login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(AntiforgeryField().Match(form).Groups[1].Value),
            ["_handler"] = "login",
            ["Input.Email"] = email,
            ["Input.Password"] = ApiFactory.Password,
        }));
        signedIn.RequestMessage!.RequestUri!.AbsolutePath.Should().NotBe("/Account/Login", "signed in with the password");
    }

    /// <summary>The account page's Connect button, as the signed-in holder's browser posts it: where it sends the browser.</summary>
    private async Task<SamlAuthnRequest> ConnectAsync(CookieContainer cookies)
    {
        using var browser = Browser(cookies);
        var page = await browser.GetStringAsync($"{world.BaseUrl}/Account/Manage/ExternalLogins");
        page.Should().Contain("data-testid=\"sso-connect\"", "the page offers to connect the organization's SAML provider");
        using var post = Browser(cookies, follow: false);
        var sent = await post.PostAsync($"{world.BaseUrl}/Account/Sso/Connect", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(AntiforgeryField().Match(page).Groups[1].Value),
        }));
        var location = sent.Headers.Location ?? throw new InvalidOperationException($"Connect answered {(int)sent.StatusCode} without a redirect");
        location.IsAbsoluteUri.Should().BeTrue($"Connect sends the browser to the IdP, not to {location}");
        return await XmlSecSamlWorld.ReadRedirectAsync(location);
    }

    private static async Task<HttpResponseMessage> PostAnswerAsync(CookieContainer cookies, SamlAuthnRequest request, string xml)
    {
        using var browser = Browser(cookies);
        return await browser.PostAsync(request.Acs, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["SAMLResponse"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(xml)),
            ["RelayState"] = request.RelayState ?? "",
        }));
    }

    private async Task<string?> LoginOfAsync(string email)
    {
        await using var db = world.Database.Database.CreateContext();
        var userId = await db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync();
        return await db.UserLogins.Where(l => l.UserId == userId).Select(l => l.ProviderKey).SingleOrDefaultAsync();
    }

    [Fact]
    public async Task A_password_account_connects_its_saml_identity_and_no_other_browser_can_complete_that_connect()
    {
        var email = $"olivia@{Domain}";
        var cookies = new CookieContainer();
        await SignInWithPasswordAsync(cookies, email);

        // The answer to her connect, carried by someone else's browser (signed out): nothing is linked.
        var hijacked = await ConnectAsync(cookies);
        var stranger = await PostAnswerAsync(new CookieContainer(), hijacked, await world.SignedResponseAsync(hijacked, email, new SamlShape()));
        stranger.RequestMessage!.RequestUri!.PathAndQuery.Should().Be("/Account/Sso/Error?reason=failed");
        (await LoginOfAsync(email)).Should().BeNull("only the browser of the account that asked completes a connect");

        var request = await ConnectAsync(cookies);
        var connected = await PostAnswerAsync(cookies, request, await world.SignedResponseAsync(request, email, new SamlShape()));

        connected.RequestMessage!.RequestUri!.AbsolutePath.Should().Be("/Account/Manage/ExternalLogins", $"back on the account page, not {connected.RequestMessage.RequestUri}");
        (await LoginOfAsync(email)).Should().Be($"{XmlSecSamlWorld.IdpEntityId}#{email}");

        var later = new CookieContainer();
        var signIn = await world.StartAsync(email);
        var landed = await PostAnswerAsync(later, signIn, await world.SignedResponseAsync(signIn, email, new SamlShape()));
        landed.RequestMessage!.RequestUri!.AbsolutePath.Should().NotStartWith("/Account", "linked, she signs in through the SAML provider");
        later.GetCookies(new Uri(world.BaseUrl)).Should().Contain(c => c.Name == ".AspNetCore.Identity.Application");
    }

    [Fact]
    public async Task The_openid_connect_settings_say_that_saml_signs_the_organization_in()
    {
        await using var scope = world.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantContext>().SetUser(world.OwnerId);
        await scope.ServiceProvider.GetRequiredService<OrganizationService>().EnterAsync(world.OrganizationId);

        var openIdConnect = await scope.ServiceProvider.GetRequiredService<SingleSignOnService>().GetAsync();

        (openIdConnect.Configured, openIdConnect.SamlInUse).Should().Be((false, true), "the OpenID Connect section warns that saving it replaces SAML");
    }
}
