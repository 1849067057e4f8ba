using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Web;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MultiOrg.Domain.Organizations;
using MultiOrg.Domain.SingleSignOn;
using MultiOrg.Domain.Tenancy;
using static MultiOrg.Tests.Harness.XmlSecSigner;
using MultiOrg.Tests.Harness;

namespace MultiOrg.Tests.SingleSignOn;

/// <summary>
/// One running app for the class (the tests only add people, each their own): an organization whose SAML IdP is the
/// xmlsec1 signer's key, with a DNS-proved domain.
/// </summary>
public sealed class XmlSecSamlWorld : IAsyncLifetime
{
    public const string Domain = "acme-xmlsec.test";
    public const string IdpEntityId = "https://sts.xmlsec-idp.test/tenant/";
    public const string EmailFormat = "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress";
    public const string PersistentFormat = "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent";
    public const string AssertionNs = "urn:oasis:names:tc:SAML:2.0:assertion";
    public const string ProtocolNs = "urn:oasis:names:tc:SAML:2.0:protocol";
    public const string AssertionSignature = "//*[local-name()='Assertion']/*[local-name()='Signature']";
    public const string ResponseSignature = "/*/*[local-name()='Signature']";

    public XmlSecSigner Signer { get; } = new();

    public ApiFactory Database { get; private set; } = null!;

    public Guid OrganizationId { get; private set; }

    public string BaseUrl { get; private set; } = "";

    /// <summary>The owner, Olivia: a password account at the domain.</summary>
    public string OwnerId { get; private set; } = "";

    public IServiceProvider Services => app.Services;

    private WebApplicationFactory<Program> app = null!;

    public async Task InitializeAsync()
    {
        Database = new ApiFactory();
        app = Database.WithWebHostBuilder(_ => { });
        app.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        app.StartServer();
        BaseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single().TrimEnd('/');
        var email = $"olivia@{Domain}";
        using (var anonymous = app.CreateClient())
        {
            (await anonymous.PostAsJsonAsync("/api/auth/register", new { email, password = ApiFactory.Password })).EnsureSuccessStatusCode();
        }

        await Database.ConfirmEmailAsync(email);
        using var anonymousLogin = app.CreateClient();
        var login = await anonymousLogin.PostAsJsonAsync("/api/auth/login", new { email, password = ApiFactory.Password });
        using var owner = app.CreateClient();
        owner.DefaultRequestHeaders.Authorization = new("Bearer", (await login.JsonAsync()).GetProperty("accessToken").GetString());
        OrganizationId = (await (await owner.PostAsJsonAsync("/api/organizations", new { name = "Acme xmlsec" })).JsonAsync()).GetProperty("id").GetGuid();
        // The Team plan: every test of the class adds a person, more than the Free plan's seats.
        (await owner.PostAsJsonAsync($"/api/organizations/{OrganizationId}/billing/plan", new { plan = "team" })).EnsureSuccessStatusCode();
        (await owner.PostAsJsonAsync($"/api/organizations/{OrganizationId}/join-policy/domains", new { domain = Domain })).EnsureSuccessStatusCode();
        await using var db = Database.Database.CreateContext();
        OwnerId = (await db.Users.SingleAsync(u => u.Email == email)).Id;
        await DnsProofs.MarkProvedAsync(db, OrganizationId, Domain);

        var metadata = $"""
            <md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" entityID="{IdpEntityId}">
              <md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
                <md:KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>{Signer.OwnCertificate}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>
                <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://sts.xmlsec-idp.test/saml2"/>
              </md:IDPSSODescriptor>
            </md:EntityDescriptor>
            """;
        await using var scope = app.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantContext>().SetUser(OwnerId);
        await scope.ServiceProvider.GetRequiredService<OrganizationService>().EnterAsync(OrganizationId);
        await scope.ServiceProvider.GetRequiredService<SamlSettingsService>().SaveAsync(new SamlSettingsInput(metadata, null, [Domain], Enabled: true, Required: false));
    }

    public async Task DisposeAsync()
    {
        await app.DisposeAsync();
        await Database.DisposeAsync();
        Signer.Dispose();
    }

    /// <summary>MultiOrg's single sign-on start for <paramref name="email"/>: the AuthnRequest it sends the browser to the IdP with.</summary>
    public async Task<SamlAuthnRequest> StartAsync(string email)
    {
        using var start = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        var redirect = await start.GetAsync($"{BaseUrl}/Account/Sso/Start?email={Uri.EscapeDataString(email)}");
        var location = redirect.Headers.Location ?? throw new InvalidOperationException($"MultiOrg did not redirect to the IdP ({(int)redirect.StatusCode})");
        return await ReadRedirectAsync(location);
    }

    /// <summary>What the IdP reads from MultiOrg's HTTP-Redirect: the request's ID, ACS and issuer, and the RelayState.</summary>
    public static async Task<SamlAuthnRequest> ReadRedirectAsync(Uri location)
    {
        ArgumentNullException.ThrowIfNull(location);
        location.GetLeftPart(UriPartial.Path).Should().Be("https://sts.xmlsec-idp.test/saml2", "MultiOrg sends the browser to the IdP");
        var query = HttpUtility.ParseQueryString(location.Query);
        using var deflated = new DeflateStream(new MemoryStream(Convert.FromBase64String(query["SAMLRequest"]!)), CompressionMode.Decompress);
        var request = SamlMetadata.Load(await new StreamReader(deflated).ReadToEndAsync()).DocumentElement!;
        return new SamlAuthnRequest(request.GetAttribute("ID"), request.GetAttribute("AssertionConsumerServiceURL"), request["Issuer", AssertionNs]!.InnerText, query["RelayState"]);
    }

    public static string Time(DateTime instant) => instant.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);

    public static string NewId() => "_" + Guid.NewGuid().ToString("N");

    /// <summary>An assertion for <paramref name="email"/> answering <paramref name="request"/>; <paramref name="signature"/> sits after its Issuer.</summary>
    public static string AssertionXml(SamlAuthnRequest request, string id, string email, SamlShape shape, string signature = "")
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(shape);
        var p = shape.DefaultNamespace ? "" : "saml:";
        var declaration = shape.DefaultNamespace ? $"xmlns=\"{AssertionNs}\"" : $"xmlns:saml=\"{AssertionNs}\"";
        var now = DateTime.UtcNow;
        var attributes = shape.Attributes.Length == 0 ? "" : $"<{p}AttributeStatement>" + string.Concat(shape.Attributes.Select(a =>
            $"<{p}Attribute Name=\"{a.Name}\"><{p}AttributeValue>{SecurityEscape(a.Value)}</{p}AttributeValue></{p}Attribute>")) + $"</{p}AttributeStatement>";
        return $"""<{p}Assertion {declaration} ID="{id}" IssueInstant="{Time(now)}" Version="2.0"><{p}Issuer>{IdpEntityId}</{p}Issuer>{signature}<{p}Subject><{p}NameID Format="{shape.NameIdFormat}">{SecurityEscape(shape.NameId ?? email)}</{p}NameID><{p}SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"><{p}SubjectConfirmationData InResponseTo="{request.Id}" NotOnOrAfter="{Time(now.AddMinutes(5))}" Recipient="{request.Acs}"/></{p}SubjectConfirmation></{p}Subject><{p}Conditions NotBefore="{Time(now.AddMinutes(-1))}" NotOnOrAfter="{Time(now.AddMinutes(5))}"><{p}AudienceRestriction><{p}Audience>{request.SpEntityId}</{p}Audience></{p}AudienceRestriction></{p}Conditions>{attributes}<{p}AuthnStatement AuthnInstant="{Time(now)}" SessionIndex="{id}"><{p}AuthnContext><{p}AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</{p}AuthnContextClassRef></{p}AuthnContext></{p}AuthnStatement></{p}Assertion>""";
    }

    private static string SecurityEscape(string text) => System.Security.SecurityElement.Escape(text);

    public static string ResponseXml(SamlAuthnRequest request, string id, string body, string signature = "", string extensions = "") =>
        $"""<samlp:Response xmlns:samlp="{ProtocolNs}" ID="{id}" Version="2.0" IssueInstant="{Time(DateTime.UtcNow)}" Destination="{request.Acs}" InResponseTo="{request.Id}"><Issuer xmlns="{AssertionNs}">{IdpEntityId}</Issuer>{signature}{extensions}<samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>{body}</samlp:Response>""";

    /// <summary>The whole answer in <paramref name="shape"/>, signed by xmlsec1 (the assertion first, then the response around it).</summary>
    public async Task<string> SignedResponseAsync(SamlAuthnRequest request, string email, SamlShape shape)
    {
        var assertionId = NewId();
        var responseId = NewId();
        string Signature(string reference) => Template(reference, shape.C14n, shape.SignatureMethod, shape.Digest);
        var assertion = AssertionXml(request, assertionId, email, shape, shape.SignAssertion ? Signature(assertionId) : "");
        var xml = ResponseXml(request, responseId, assertion, shape.SignResponse ? Signature(responseId) : "");
        return await Signer.SignAsync(xml, false, [.. shape.SignAssertion ? [AssertionSignature] : Array.Empty<string>(), .. shape.SignResponse ? [ResponseSignature] : Array.Empty<string>()]);
    }
}

/// <summary>The AuthnRequest MultiOrg sent the browser to the IdP with (what any IdP reads from it).</summary>
public sealed record SamlAuthnRequest(string Id, string Acs, string SpEntityId, string? RelayState = null);

/// <summary>How the IdP shapes its answer; the defaults are the common one (signed assertion, exclusive c14n, SHA-256).</summary>
public sealed record SamlShape
{
    public string NameIdFormat { get; init; } = XmlSecSamlWorld.EmailFormat;

    public string? NameId { get; init; }

    public (string Name, string Value)[] Attributes { get; init; } = [];

    public bool SignAssertion { get; init; } = true;

    public bool SignResponse { get; init; }

    public string C14n { get; init; } = ExclusiveC14n;

    public string SignatureMethod { get; init; } = RsaSha256;

    public string Digest { get; init; } = Sha256;

    /// <summary>Entra ID's form: the assertion in the default namespace, no prefixes.</summary>
    public bool DefaultNamespace { get; init; }
}
