using System.Net;
using System.Text;
using System.Xml;
using Microsoft.EntityFrameworkCore;
using MultiOrg.Domain.SingleSignOn;
using static MultiOrg.Tests.SingleSignOn.XmlSecSamlWorld;
using static MultiOrg.Tests.Harness.XmlSecSigner;

namespace MultiOrg.Tests.SingleSignOn;

/// <summary>
/// SAML responses written by hand in the shapes real IdPs send (Entra ID, Okta, Shibboleth, AD FS) and signed by xmlsec1,
/// not pysaml2's path nor MultiOrg's SignedXml, posted over real HTTP to the running app in answer to its own AuthnRequest.
/// The legitimate shapes sign in; the crafted ones end on the error page with nobody signed in and nothing created.
/// </summary>
public sealed class SamlIndependentResponseTests(XmlSecSamlWorld world) : IClassFixture<XmlSecSamlWorld>
{
    // A member, not the using static's: the name Domain alone would find the namespace MultiOrg.Domain first.
    private const string Domain = XmlSecSamlWorld.Domain;

    private static string Encode(string xml) => Convert.ToBase64String(Encoding.UTF8.GetBytes(xml));

    private static bool SignedIn(CookieContainer cookies, string url) => cookies.GetCookies(new Uri(url)).Any(c => c.Name == ".AspNetCore.Identity.Application");

    private async Task<HttpResponseMessage> PostAsync(CookieContainer cookies, SamlAuthnRequest request, string xml)
    {
        using var browser = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = true });
        return await browser.PostAsync(request.Acs, new FormUrlEncodedContent(new Dictionary<string, string> { ["SAMLResponse"] = Encode(xml), ["RelayState"] = "" }));
    }

    private async Task ExpectAcceptedAsync(string email, SamlShape shape, string? expectedName = null)
    {
        var request = await world.StartAsync(email);
        request.Acs.Should().Be($"{world.BaseUrl}/saml/{world.OrganizationId:N}/acs");
        var cookies = new CookieContainer();

        var landed = await PostAsync(cookies, request, await world.SignedResponseAsync(request, email, shape));

        landed.RequestMessage!.RequestUri!.AbsolutePath.Should().NotStartWith("/Account", $"signed in, not sent to {landed.RequestMessage.RequestUri}");
        SignedIn(cookies, world.BaseUrl).Should().BeTrue();
        await using var db = world.Database.Database.CreateContext();
        var user = await db.Users.SingleAsync(u => u.Email == email);
        (await db.OrganizationMembers.IgnoreQueryFilters().CountAsync(m => m.UserId == user.Id && m.OrganizationId == world.OrganizationId)).Should().Be(1, "just-in-time membership");
        (await db.UserLogins.SingleAsync(l => l.UserId == user.Id)).ProviderKey.Should().Be($"{IdpEntityId}#{shape.NameId ?? email}", "linked by issuer#NameID");
        if (expectedName is not null)
        {
            user.DisplayName.Should().Be(expectedName, "the name claim is mapped");
        }
    }

    /// <summary>Posts the response: the error page with the reason's message, nobody signed in, no account, link or membership made.</summary>
    private async Task ExpectRefusedAsync(SamlAuthnRequest request, string xml, string reason, string message)
    {
        var (accounts, links, members) = await CountsAsync();
        var cookies = new CookieContainer();

        var ended = await PostAsync(cookies, request, xml);

        ended.StatusCode.Should().Be(HttpStatusCode.OK, "a clear page, never a 500");
        ended.RequestMessage!.RequestUri!.PathAndQuery.Should().Be($"/Account/Sso/Error?reason={reason}");
        WebUtility.HtmlDecode(await ended.Content.ReadAsStringAsync()).Should().Contain(message);
        SignedIn(cookies, world.BaseUrl).Should().BeFalse("nobody is signed in");
        (await CountsAsync()).Should().Be((accounts, links, members), "no account, provider link or membership is made (accounts, links, members)");
    }

    private async Task<(int Accounts, int Links, int Members)> CountsAsync()
    {
        await using var db = world.Database.Database.CreateContext();
        return (await db.Users.CountAsync(), await db.UserLogins.CountAsync(),
            await db.OrganizationMembers.IgnoreQueryFilters().CountAsync(m => m.OrganizationId == world.OrganizationId));
    }

    [Fact]
    public Task A_signed_assertion_with_an_email_name_id_signs_in() =>
        ExpectAcceptedAsync($"sam@{Domain}", new SamlShape());

    [Fact]
    public Task A_signed_response_around_a_signed_assertion_signs_in() =>
        ExpectAcceptedAsync($"bo@{Domain}", new SamlShape { SignResponse = true });

    [Fact]
    public Task A_signed_response_around_an_unsigned_assertion_signs_in() =>
        ExpectAcceptedAsync($"rose@{Domain}", new SamlShape { SignAssertion = false, SignResponse = true });

    [Fact]
    public Task An_assertion_signed_with_inclusive_canonicalization_signs_in() =>
        ExpectAcceptedAsync($"ines@{Domain}", new SamlShape { C14n = InclusiveC14n });

    [Fact]
    public Task A_response_and_assertion_signed_with_inclusive_canonicalization_sign_in() =>
        ExpectAcceptedAsync($"ivo@{Domain}", new SamlShape { C14n = InclusiveC14n, SignResponse = true });

    [Fact]
    public Task A_persistent_name_id_with_the_email_in_an_ldap_attribute_signs_in() =>
        ExpectAcceptedAsync($"pia@{Domain}", new SamlShape
        {
            NameIdFormat = PersistentFormat,
            NameId = "00u1a2b3c4PERSISTENT",
            Attributes = [("urn:oid:0.9.2342.19200300.100.1.3", $"pia@{Domain}"), ("urn:oid:2.16.840.1.113730.3.1.241", "Pia Persistent")],
        }, "Pia Persistent");

    [Fact]
    public Task An_entra_style_assertion_with_claim_uris_in_the_default_namespace_signs_in() =>
        ExpectAcceptedAsync($"eli@{Domain}", new SamlShape
        {
            DefaultNamespace = true,
            NameIdFormat = PersistentFormat,
            NameId = "k8Zr4Vq1yG2nJ7cX0pLm9sT3wQ5eA6bU8hF1dR2oI4=",
            Attributes =
            [
                ("http://schemas.microsoft.com/identity/claims/tenantid", "9188040d-6c67-4c5b-b112-36a304b66dad"),
                ("http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress", $"eli@{Domain}"),
                ("http://schemas.microsoft.com/identity/claims/displayname", "Eli Entra"),
                ("http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name", $"eli@{Domain}"),
            ],
        }, "Eli Entra");

    [Fact]
    public async Task A_signature_whose_reference_names_another_element_is_refused()
    {
        var request = await world.StartAsync($"eve@{Domain}");
        var responseId = NewId();

        // Validly signed by the IdP's key, but over the Response's ID while sitting in the assertion it does not cover.
        var xml = await world.Signer.SignAsync(ResponseXml(request, responseId, AssertionXml(request, NewId(), $"eve@{Domain}", new SamlShape(), Template(responseId))), false, AssertionSignature);

        await ExpectRefusedAsync(request, xml, "saml-signature", "did not verify");
    }

    [Fact]
    public async Task Two_validly_signed_assertions_in_one_response_are_refused()
    {
        var request = await world.StartAsync($"eve@{Domain}");
        string Signed(string email, string id) => AssertionXml(request, id, email, new SamlShape(), Template(id));
        var xml = await world.Signer.SignAsync(
            ResponseXml(request, NewId(), Signed($"eve@{Domain}", NewId()) + Signed($"olivia@{Domain}", NewId())), false,
            $"({AssertionSignature})[1]", $"({AssertionSignature})[2]");

        await ExpectRefusedAsync(request, xml, "saml-invalid", "malformed or altered");
    }

    [Fact]
    public async Task The_signed_assertion_hidden_in_a_forged_assertions_advice_is_refused()
    {
        var request = await world.StartAsync($"eve@{Domain}");
        var id = NewId();
        var signed = await world.Signer.SignAsync(ResponseXml(request, NewId(), AssertionXml(request, id, $"eve@{Domain}", new SamlShape(), Template(id))), false, AssertionSignature);
        var document = SamlMetadata.Load(signed);
        var original = (XmlElement)document.GetElementsByTagName("Assertion", AssertionNs)[0]!;
        var forged = (XmlElement)original.CloneNode(deep: true);
        forged.RemoveChild(forged["Signature", "http://www.w3.org/2000/09/xmldsig#"]!);
        forged.SetAttribute("ID", NewId());
        forged["Subject", AssertionNs]!["NameID", AssertionNs]!.InnerText = $"mallory@{Domain}";
        var advice = document.CreateElement("saml", "Advice", AssertionNs);
        forged.InsertAfter(advice, forged["Conditions", AssertionNs]);
        original.ParentNode!.ReplaceChild(forged, original);
        advice.AppendChild(original);

        await ExpectRefusedAsync(request, document.OuterXml, "saml-invalid", "malformed or altered");
    }

    [Fact]
    public async Task The_signed_assertion_moved_into_the_response_extensions_is_refused()
    {
        var request = await world.StartAsync($"eve@{Domain}");
        var id = NewId();
        var signedAssertion = AssertionXml(request, id, $"eve@{Domain}", new SamlShape(), Template(id));
        var forged = AssertionXml(request, NewId(), $"mallory@{Domain}", new SamlShape());
        var xml = await world.Signer.SignAsync(
            ResponseXml(request, NewId(), forged, extensions: $"<samlp:Extensions>{signedAssertion}</samlp:Extensions>"), false, AssertionSignature);

        await ExpectRefusedAsync(request, xml, "saml-invalid", "malformed or altered");
    }

    [Fact]
    public async Task An_assertion_signed_with_rsa_sha1_is_refused()
    {
        var request = await world.StartAsync($"shai@{Domain}");

        var xml = await world.SignedResponseAsync(request, $"shai@{Domain}", new SamlShape { SignatureMethod = RsaSha1, Digest = Sha1 });

        await ExpectRefusedAsync(request, xml, "saml-signature", "did not verify");
    }

    [Fact]
    public async Task An_assertion_signed_by_a_key_whose_certificate_rides_in_key_info_is_refused()
    {
        var request = await world.StartAsync($"eve@{Domain}");
        var id = NewId();
        var assertion = AssertionXml(request, id, $"eve@{Domain}", new SamlShape(), Template(id, keyInfoCertificate: world.Signer.AttackerCertificate));

        var xml = await world.Signer.SignAsync(ResponseXml(request, NewId(), assertion), true, AssertionSignature);

        await ExpectRefusedAsync(request, xml, "saml-signature", "did not verify");
    }

    [Fact]
    public async Task A_validly_signed_response_with_a_doctype_and_entity_is_refused()
    {
        var request = await world.StartAsync($"dee@{Domain}");
        var signed = await world.SignedResponseAsync(request, $"dee@{Domain}", new SamlShape());
        var body = signed[(signed.IndexOf("?>", StringComparison.Ordinal) + 2)..];

        var xml = $"""<?xml version="1.0"?><!DOCTYPE samlp:Response [<!ENTITY owner "olivia@{Domain}">]>{body}""";

        await ExpectRefusedAsync(request, xml, "saml-invalid", "malformed or altered");
    }

    [Fact]
    public async Task An_oversized_response_beyond_the_form_limit_is_refused_on_the_error_page()
    {
        var request = await world.StartAsync($"max@{Domain}");
        var signed = await world.SignedResponseAsync(request, $"max@{Domain}", new SamlShape());

        // About 8 MB once base64-encoded: past the framework's form value limit (4 MB), which throws while the form is read.
        var xml = signed + "<!--" + new string('x', 6 * 1024 * 1024) + "-->";

        await ExpectRefusedAsync(request, xml, "saml-invalid", "malformed or altered");
    }
}
