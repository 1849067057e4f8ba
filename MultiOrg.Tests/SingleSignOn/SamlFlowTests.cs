using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MultiOrg.Domain.Organizations;
using MultiOrg.Domain.SingleSignOn;
using MultiOrg.Domain.Tenancy;
using MultiOrg.Tests.Harness;

namespace MultiOrg.Tests.SingleSignOn;

/// <summary>
/// SAML sign-in over real HTTP: MultiOrg on Kestrel, the pysaml2 IdP on another loopback port, and a client with a cookie
/// jar acting as the browser (the IdP's auto-posting form is posted by the test). The attack tests change what pysaml2
/// signed, in C#, and post it: each ends on the error page, with nobody signed in and nothing created.
/// </summary>
public sealed partial class SamlFlowTests(SamlIdpFixture shared) : IAsyncLifetime, IClassFixture<SamlIdpFixture>
{
    private const string Domain = "acme-saml.test";
    private const string Assertion = "urn:oasis:names:tc:SAML:2.0:assertion";
    private const string Protocol = "urn:oasis:names:tc:SAML:2.0:protocol";

    private ApiFactory database = null!;
    private WebApplicationFactory<Program> app = null!;
    private Guid organizationId;
    private string ownerId = "";

    private string BaseUrl { get; set; } = "";

    private SamlIdp Idp => shared.Idp;

    public async Task InitializeAsync()
    {
        database = new ApiFactory();
        app = database.WithWebHostBuilder(builder => builder.UseSetting("OutboundRequests:AllowPrivateNetworks:0", "127.0.0.0/8"));
        app.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        app.StartServer();
        BaseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single().TrimEnd('/');

        var email = $"olivia@{Domain}";
        using (var anonymous = app.CreateClient())
        {
            (await anonymous.PostAsJsonAsync("/api/auth/register", new { email, password = ApiFactory.Password })).EnsureSuccessStatusCode();
        }

        await database.ConfirmEmailAsync(email);
        using var anonymousLogin = app.CreateClient();
        var login = await anonymousLogin.PostAsJsonAsync("/api/auth/login", new { email, password = ApiFactory.Password });
        using var owner = app.CreateClient();
        owner.DefaultRequestHeaders.Authorization = new("Bearer", (await login.JsonAsync()).GetProperty("accessToken").GetString());
        organizationId = (await (await owner.PostAsJsonAsync("/api/organizations", new { name = "Acme SAML" })).JsonAsync()).GetProperty("id").GetGuid();
        (await owner.PostAsJsonAsync($"/api/organizations/{organizationId}/join-policy/domains", new { domain = Domain })).EnsureSuccessStatusCode();
        await using var db = database.Database.CreateContext();
        ownerId = (await db.Users.SingleAsync(u => u.Email == email)).Id;
        await DnsProofs.MarkProvedAsync(db, organizationId, Domain);
    }

    public async Task DisposeAsync()
    {
        await app.DisposeAsync();
        await database.DisposeAsync();
    }

    /// <summary>The owner uploads the IdP's metadata, as on the Security page.</summary>
    private async Task ConfigureAsync(bool idpInitiated = false, bool required = false)
    {
        await using var scope = app.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantContext>().SetUser(ownerId);
        await scope.ServiceProvider.GetRequiredService<OrganizationService>().EnterAsync(organizationId);
        await scope.ServiceProvider.GetRequiredService<SamlSettingsService>()
            .SaveAsync(new SamlSettingsInput(await Idp.MetadataAsync(), Idp.MetadataUrl, [Domain], Enabled: true, required, IdpInitiated: idpInitiated));
    }

    private static HttpClient Browser(CookieContainer cookies) =>
        new(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = true, MaxAutomaticRedirections = 20 });

    /// <summary>
    /// From MultiOrg's single sign-on start to the IdP's sign-in form, signed in there as <paramref name="email"/>; returns
    /// the response pysaml2 made (knobs: sign, key, lifetime, audience) and where it posts.
    /// </summary>
    private Task<(string Action, string SamlResponse, string RelayState)> IdpAnswerAsync(
        HttpClient browser, string email, string name, params (string Key, string Value)[] knobs) =>
        IdpAnswerAsync(browser, email, email, name, knobs);

    /// <summary>Starts with <paramref name="email"/> at MultiOrg; the IdP signs <paramref name="idpEmail"/> in.</summary>
    private async Task<(string Action, string SamlResponse, string RelayState)> IdpAnswerAsync(
        HttpClient browser, string email, string idpEmail, string name, params (string Key, string Value)[] knobs)
    {
        var atIdp = await browser.GetAsync($"{BaseUrl}/Account/Sso/Start?email={Uri.EscapeDataString(email)}");
        var form = await atIdp.Content.ReadAsStringAsync();
        atIdp.RequestMessage!.RequestUri!.GetLeftPart(UriPartial.Path).Should().Be($"{Idp.BaseUrl}/sso", $"MultiOrg sent the browser to the IdP (got {(int)atIdp.StatusCode}: {form[..Math.Min(300, form.Length)]})");
        var fields = HiddenField().Matches(form).ToDictionary(m => m.Groups[1].Value, m => WebUtility.HtmlDecode(m.Groups[2].Value));
        fields["email"] = idpEmail;
        fields["name"] = name;
        foreach (var (key, value) in knobs)
        {
            fields[key] = value;
        }

        var answer = await browser.PostAsync($"{Idp.BaseUrl}/login", new FormUrlEncodedContent(fields));
        var html = await answer.Content.ReadAsStringAsync();
        answer.StatusCode.Should().Be(HttpStatusCode.OK, html);
        return SamlIdp.ReadPostForm(html);
    }

    private static Task<HttpResponseMessage> PostAsync(HttpClient browser, string action, string samlResponse, string relayState = "") =>
        browser.PostAsync(action, new FormUrlEncodedContent(new Dictionary<string, string> { ["SAMLResponse"] = samlResponse, ["RelayState"] = relayState }));

    private bool SignedIn(CookieContainer cookies) => cookies.GetCookies(new Uri(BaseUrl)).Any(c => c.Name == ".AspNetCore.Identity.Application");

    private async Task<int> AccountsAsync()
    {
        await using var db = database.Database.CreateContext();
        return await db.Users.CountAsync();
    }

    private static XmlDocument Decode(string samlResponse)
    {
        var document = new XmlDocument { PreserveWhitespace = true };
        document.LoadXml(Encoding.UTF8.GetString(Convert.FromBase64String(samlResponse)));
        return document;
    }

    private static string Encode(XmlDocument document) => Convert.ToBase64String(Encoding.UTF8.GetBytes(document.OuterXml));

    private static XmlNamespaceManager Namespaces(XmlDocument document)
    {
        var ns = new XmlNamespaceManager(document.NameTable);
        ns.AddNamespace("saml", Assertion);
        ns.AddNamespace("samlp", Protocol);
        ns.AddNamespace("ds", "http://www.w3.org/2000/09/xmldsig#");
        return ns;
    }

    /// <summary>Posts the response and expects the error page with the reason, nobody signed in and no account made.</summary>
    private async Task ExpectRefusedAsync(CookieContainer cookies, HttpClient browser, string action, string samlResponse, string reason, string message)
    {
        var accounts = await AccountsAsync();
        var ended = await PostAsync(browser, action, samlResponse);
        ended.StatusCode.Should().Be(HttpStatusCode.OK, "a clear page, never a 500");
        ended.RequestMessage!.RequestUri!.PathAndQuery.Should().Be($"/Account/Sso/Error?reason={reason}");
        WebUtility.HtmlDecode(await ended.Content.ReadAsStringAsync()).Should().Contain(message);
        SignedIn(cookies).Should().BeFalse("nobody is signed in");
        (await AccountsAsync()).Should().Be(accounts, "no account is created");
        await using var db = database.Database.CreateContext();
        (await db.UserLogins.CountAsync()).Should().Be(0, "no provider link is made");
        (await db.OrganizationMembers.IgnoreQueryFilters().CountAsync(m => m.OrganizationId == organizationId)).Should().Be(1, "only the owner is a member");
    }

    [GeneratedRegex("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\"/>")]
    private static partial Regex HiddenField();

    [Fact]
    public async Task A_new_person_signs_in_at_the_saml_idp_and_lands_in_the_organization()
    {
        await ConfigureAsync();
        var cookies = new CookieContainer();
        using var browser = Browser(cookies);

        var (action, response, relay) = await IdpAnswerAsync(browser, $"nina@{Domain}", "Nina New");
        action.Should().Be($"{BaseUrl}/saml/{organizationId:N}/acs");
        var landed = await PostAsync(browser, action, response, relay);

        landed.RequestMessage!.RequestUri!.GetLeftPart(UriPartial.Authority).Should().Be(BaseUrl);
        landed.RequestMessage.RequestUri.AbsolutePath.Should().NotStartWith("/Account", "signed in, not sent to an error page");
        SignedIn(cookies).Should().BeTrue();
        await using var db = database.Database.CreateContext();
        var user = await db.Users.SingleAsync(u => u.Email == $"nina@{Domain}");
        user.DisplayName.Should().Be("Nina New", "the name attribute is mapped");
        (await db.OrganizationMembers.IgnoreQueryFilters().SingleAsync(m => m.UserId == user.Id && m.OrganizationId == organizationId)).Role
            .Should().Be(OrganizationRole.Member, "just-in-time membership with the default role");
        (await db.UserLogins.SingleAsync(l => l.UserId == user.Id)).ProviderKey.Should().Be($"{Idp.BaseUrl}/idp#nina@{Domain}", "linked by issuer#NameID");

        var page = await browser.GetAsync($"{BaseUrl}/organizations/{organizationId}/members");
        page.RequestMessage!.RequestUri!.AbsolutePath.Should().Be($"/organizations/{organizationId}/members");
    }

    [Fact]
    public async Task A_response_signed_as_a_whole_around_one_assertion_is_accepted()
    {
        await ConfigureAsync();
        var cookies = new CookieContainer();
        using var browser = Browser(cookies);

        var (action, response, _) = await IdpAnswerAsync(browser, $"rita@{Domain}", "Rita Response", ("sign", "response"));
        await PostAsync(browser, action, response);

        SignedIn(cookies).Should().BeTrue();
    }

    [Fact]
    public async Task A_second_unsigned_assertion_beside_the_signed_one_is_refused()
    {
        await ConfigureAsync();
        var cookies = new CookieContainer();
        using var browser = Browser(cookies);
        var (action, response, _) = await IdpAnswerAsync(browser, $"eve@{Domain}", "Eve");
        var document = Decode(response);
        var ns = Namespaces(document);
        var signed = (XmlElement)document.SelectSingleNode("/samlp:Response/saml:Assertion", ns)!;
        var forged = (XmlElement)signed.CloneNode(deep: true);
        forged.RemoveChild(forged.SelectSingleNode("ds:Signature", ns)!);
        forged.SetAttribute("ID", "_forged");
        forged.SelectSingleNode("saml:Subject/saml:NameID", ns)!.InnerText = $"olivia@{Domain}";
        signed.ParentNode!.InsertBefore(forged, signed);

        await ExpectRefusedAsync(cookies, browser, action, Encode(document), "saml-invalid", "malformed or altered");
    }

    [Fact]
    public async Task The_signed_assertion_moved_into_an_extension_behind_a_forged_one_is_refused()
    {
        await ConfigureAsync();
        var cookies = new CookieContainer();
        using var browser = Browser(cookies);
        var (action, response, _) = await IdpAnswerAsync(browser, $"eve@{Domain}", "Eve");
        var document = Decode(response);
        var ns = Namespaces(document);
        var responseElement = document.DocumentElement!;
        var signed = (XmlElement)responseElement.SelectSingleNode("saml:Assertion", ns)!;
        var forged = (XmlElement)signed.CloneNode(deep: true);
        forged.RemoveChild(forged.SelectSingleNode("ds:Signature", ns)!);
        forged.SelectSingleNode("saml:Subject/saml:NameID", ns)!.InnerText = $"mallory@{Domain}";
        var extensions = document.CreateElement("samlp", "Extensions", Protocol);
        responseElement.ReplaceChild(forged, signed);
        extensions.AppendChild(signed);
        responseElement.InsertAfter(extensions, responseElement.SelectSingleNode("saml:Issuer", ns));

        await ExpectRefusedAsync(cookies, browser, action, Encode(document), "saml-invalid", "malformed or altered");
    }

    [Fact]
    public async Task A_comment_inside_the_signed_name_id_is_refused()
    {
        await ConfigureAsync();
        var cookies = new CookieContainer();
        using var browser = Browser(cookies);

        // Exclusive c14n drops comments, so the signature still verifies; a reader that took the first text node would
        // see olivia@acme-saml.test, the owner.
        var (action, response, _) = await IdpAnswerAsync(browser, $"eve@{Domain}", $"olivia@{Domain}.attacker.test", "Eve");
        var document = Decode(response);
        var nameId = (XmlElement)document.SelectSingleNode("//saml:NameID", Namespaces(document))!;
        nameId.InnerText = "";
        nameId.AppendChild(document.CreateTextNode($"olivia@{Domain}"));
        nameId.AppendChild(document.CreateComment(""));
        nameId.AppendChild(document.CreateTextNode(".attacker.test"));

        await ExpectRefusedAsync(cookies, browser, action, Encode(document), "saml-invalid", "malformed or altered");
    }

    [Fact]
    public async Task An_expired_assertion_is_refused()
    {
        await ConfigureAsync();
        var cookies = new CookieContainer();
        using var browser = Browser(cookies);
        var (action, response, _) = await IdpAnswerAsync(browser, $"ed@{Domain}", "Ed", ("lifetime", "-10"));

        await ExpectRefusedAsync(cookies, browser, action, response, "saml-expired", "has expired");
    }

    [Fact]
    public async Task An_assertion_for_another_audience_is_refused()
    {
        await ConfigureAsync();
        var cookies = new CookieContainer();
        using var browser = Browser(cookies);
        var (action, response, _) = await IdpAnswerAsync(browser, $"ann@{Domain}", "Ann", ("audience", "https://other-app.example/saml"));

        await ExpectRefusedAsync(cookies, browser, action, response, "saml-audience", "made for another application");
    }

    [Fact]
    public async Task A_replayed_response_is_refused()
    {
        await ConfigureAsync();
        var firstCookies = new CookieContainer();
        using var first = Browser(firstCookies);
        var (action, response, _) = await IdpAnswerAsync(first, $"ray@{Domain}", "Ray");
        await PostAsync(first, action, response);
        SignedIn(firstCookies).Should().BeTrue("the first use signs in");
        await using (var db = database.Database.CreateContext())
        {
            db.UserLogins.RemoveRange(db.UserLogins);
            db.OrganizationMembers.RemoveRange(db.OrganizationMembers.IgnoreQueryFilters().Where(m => m.UserId != ownerId));
            db.Users.RemoveRange(db.Users.Where(u => u.Id != ownerId));
            await db.SaveChangesAsync();
        }

        var cookies = new CookieContainer();
        using var second = Browser(cookies);
        await ExpectRefusedAsync(cookies, second, action, response, "saml-replayed", "already used once");
    }

    [Fact]
    public async Task An_unsigned_response_is_refused()
    {
        await ConfigureAsync();
        var cookies = new CookieContainer();
        using var browser = Browser(cookies);
        var (action, response, _) = await IdpAnswerAsync(browser, $"una@{Domain}", "Una", ("sign", "none"));

        await ExpectRefusedAsync(cookies, browser, action, response, "saml-unsigned", "was not signed");
    }

    [Fact]
    public async Task A_response_signed_by_another_certificate_is_refused_even_with_that_certificate_in_its_key_info()
    {
        await ConfigureAsync();
        var cookies = new CookieContainer();
        using var browser = Browser(cookies);
        var (action, response, _) = await IdpAnswerAsync(browser, $"otto@{Domain}", "Otto", ("key", "other"));
        Decode(response).GetElementsByTagName("X509Certificate", "http://www.w3.org/2000/09/xmldsig#").Count.Should().Be(1, "pysaml2 put its certificate in KeyInfo");

        await ExpectRefusedAsync(cookies, browser, action, response, "saml-signature", "did not verify");
    }

    [Fact]
    public async Task An_idp_initiated_response_is_refused_unless_the_owner_turned_it_on()
    {
        await ConfigureAsync();
        var acs = $"{BaseUrl}/saml/{organizationId:N}/acs";
        var sp = $"{BaseUrl}/saml/{organizationId:N}/metadata";
        using var http = new HttpClient();
        async Task<string> Unasked(string email) => SamlIdp.ReadPostForm(await http.GetStringAsync(
            $"{Idp.BaseUrl}/initiate?sp={Uri.EscapeDataString(sp)}&acs={Uri.EscapeDataString(acs)}&email={Uri.EscapeDataString(email)}&name=Ida")).SamlResponse;
        var cookies = new CookieContainer();
        using var browser = Browser(cookies);

        await ExpectRefusedAsync(cookies, browser, acs, await Unasked($"ida@{Domain}"), "saml-unsolicited", "does not accept sign-ins started at its provider");

        await ConfigureAsync(idpInitiated: true);
        await PostAsync(browser, acs, await Unasked($"ida@{Domain}"));
        SignedIn(cookies).Should().BeTrue("IdP-initiated sign-in works once the owner turns it on");
    }

    [Fact]
    public async Task The_sp_metadata_names_the_entity_id_the_acs_and_the_signing_certificate()
    {
        await ConfigureAsync();
        using var http = new HttpClient();

        var metadata = SamlMetadata.Load(await http.GetStringAsync($"{BaseUrl}/saml/{organizationId:N}/metadata"));

        var ns = new XmlNamespaceManager(metadata.NameTable);
        ns.AddNamespace("md", SamlMetadata.MetadataNs);
        ns.AddNamespace("ds", SamlMetadata.DsigNs);
        metadata.DocumentElement!.GetAttribute("entityID").Should().Be($"{BaseUrl}/saml/{organizationId:N}/metadata");
        metadata.SelectSingleNode("//md:AssertionConsumerService/@Location", ns)!.Value.Should().Be($"{BaseUrl}/saml/{organizationId:N}/acs");
        metadata.SelectSingleNode("//ds:X509Certificate", ns)!.InnerText.Should().NotBeEmpty();
    }
}
