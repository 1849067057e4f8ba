using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using MultiOrg.Domain.Members;
using MultiOrg.Domain.SingleSignOn;
using MultiOrg.Domain.Users;
using MultiOrg.Web.Email;
using MultiOrg.Web.Features.Security;

namespace MultiOrg.Web.Features.SingleSignOn.Saml;

/// <summary>
/// MultiOrg as a SAML 2.0 service provider, one per organization: its metadata at <c>/saml/{organization}/metadata</c>
/// (also its entity id), the sign-in start (an HTTP-Redirect AuthnRequest, from the sign-in page's single sign-on step),
/// and the assertion consumer at <c>/saml/{organization}/acs</c> (HTTP-POST). Anything wrong ends on the single sign-on
/// error page with nobody signed in and nothing written.
/// </summary>
public static partial class SamlEndpoints
{
    /// <summary>How long an answer to a request is awaited (a person signing in at the IdP, with its MFA).</summary>
    public static readonly TimeSpan RequestLifetime = TimeSpan.FromMinutes(15);

    public static void MapSaml(this IEndpointRouteBuilder endpoints)
    {
        var saml = endpoints.MapGroup("/saml/{organization}").ExcludeFromDescription();
        saml.MapGet("/metadata", MetadataAsync);
        saml.MapPost("/acs", AcsAsync).RequireRateLimiting(Hosting.RateLimits.SsoStart);
        saml.MapGet("/connected", ConnectedAsync);
    }

    /// <summary>The AuthnRequest redirect when the address's organization signs in by SAML; null when it does not.</summary>
    public static async Task<IResult?> StartAsync(
        string? email, string? returnUrl, SsoLookup lookup, SamlLookup saml, AppLinks links, TimeProvider time, CancellationToken ct)
    {
        if (await lookup.FindForEmailAsync(email, ct) is not { } route || await saml.GetAsync(route.OrganizationId, ct) is not { } client)
        {
            return null;
        }

        var requestId = SamlMessages.NewRequestId();
        await saml.RememberRequestAsync(route.OrganizationId, requestId, RequestLifetime, ct);
        return Redirect(client, requestId, links, time, email, returnUrl);
    }

    /// <summary>
    /// "Connect" on the account page when the address's organization signs in by SAML (null when it does not): the
    /// AuthnRequest, remembered as asked by this account, whose answer is linked to it and to no other.
    /// </summary>
    public static async Task<IResult?> StartConnectAsync(
        AppUser user, SsoLookup lookup, SamlLookup saml, AppLinks links, TimeProvider time, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (await lookup.FindForEmailAsync(user.Email, ct) is not { } route || await saml.GetAsync(route.OrganizationId, ct) is not { } client)
        {
            return null;
        }

        var requestId = SamlMessages.NewConnectRequestId();
        await saml.RememberRequestAsync(route.OrganizationId, requestId, RequestLifetime, ct);
        await saml.RememberConnectAsync(route.OrganizationId, requestId, user.Id, RequestLifetime, ct);
        return Redirect(client, requestId, links, time, user.Email, relayState: null);
    }

    private static IResult Redirect(SamlClient client, string requestId, AppLinks links, TimeProvider time, string? email, string? relayState)
    {
        var organizationId = client.Client.OrganizationId;
        return Results.Redirect(SamlMessages.RedirectUrl(
            client, requestId, links.To(SamlPaths.Metadata(organizationId)), links.To(SamlPaths.Acs(organizationId)), time.GetUtcNow().UtcDateTime,
            email, relayState));
    }

    private static async Task<IResult> MetadataAsync(string organization, SamlLookup saml, AppLinks links, CancellationToken ct)
    {
        if (!Guid.TryParseExact(organization, "N", out var organizationId) || await saml.SpCertificateAsync(organizationId, ct) is not { } sp)
        {
            return Results.NotFound();
        }

        var xml = SamlMessages.SpMetadata(links.To(SamlPaths.Metadata(organizationId)), links.To(SamlPaths.Acs(organizationId)), sp.Certificate);
        return Results.Text(xml, "application/samlmetadata+xml");
    }

    private static async Task<IResult> AcsAsync(
        string organization, HttpContext http, SamlLookup saml, AppLinks links, TimeProvider time, SsoProvisioning provisioning,
        UserManager<AppUser> users, SignInManager<AppUser> signIn, IDataProtectionProvider protection, ILoggerFactory loggers, CancellationToken ct)
    {
        var logger = loggers.CreateLogger(typeof(SamlEndpoints));
        if (!Guid.TryParseExact(organization, "N", out var organizationId) || await saml.GetAsync(organizationId, ct) is not { } client)
        {
            return Results.Redirect(SsoFailure.PagePath(SsoErrors.NoProvider));
        }

        IFormCollection? form;
        try
        {
            form = http.Request.HasFormContentType ? await http.Request.ReadFormAsync(ct) : null;
        }
        catch (Exception e) when (e is InvalidDataException or BadHttpRequestException)
        {
            // A form past the framework's limits (a value over 4 MB, too many fields) is a bad answer like any other.
            LogRejected(logger, client.Client.OrganizationName, SamlErrors.Invalid, $"the form could not be read ({e.Message})");
            return Results.Redirect(SsoFailure.PagePath(SamlErrors.Invalid));
        }

        var certificates = client.Provider.IdpCertificate.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(c => X509CertificateLoader.LoadCertificate(Convert.FromBase64String(c))).ToList();
        try
        {
            var expected = new SamlExpectation(
                client.Provider.IdpEntityId, certificates, links.To(SamlPaths.Metadata(organizationId)), links.To(SamlPaths.Acs(organizationId)),
                time.GetUtcNow().UtcDateTime);
            var assertion = SamlResponseReader.Read(form?["SAMLResponse"].ToString(), expected, client.Provider.EmailAttribute, client.Provider.NameAttribute);

            // Each assertion once, on any server: the database's key decides.
            if (!await saml.AcceptOnceAsync(organizationId, assertion.Issuer, assertion.AssertionId, assertion.NotOnOrAfter + SamlResponseReader.Skew, ct))
            {
                throw new SamlRejectedException(SamlErrors.Replayed, "this assertion was already used to sign in");
            }

            if (assertion.InResponseTo is null ? !client.Provider.IdpInitiated : !await saml.TakeRequestAsync(organizationId, assertion.InResponseTo, ct))
            {
                throw new SamlRejectedException(SamlErrors.Unsolicited, assertion.InResponseTo is null
                    ? "an IdP-initiated response, which this organization does not accept"
                    : "the response answers no request MultiOrg sent (or one already answered, or expired)");
            }

            var email = assertion.Email?.Trim();
            if (string.IsNullOrEmpty(email))
            {
                return Results.Redirect(SsoFailure.PagePath(SsoErrors.NoEmail));
            }

            if (!client.Client.Domains.Contains(EmailAddresses.DomainOf(email)))
            {
                LogRejected(logger, client.Client.OrganizationName, SsoErrors.WrongDomain, "the address is not at one of the organization's domains");
                return Results.Redirect(SsoFailure.PagePath(SsoErrors.WrongDomain));
            }

            var identity = new SsoIdentity(assertion.Issuer, assertion.NameId, email);
            if (assertion.InResponseTo?.StartsWith(SamlMessages.ConnectRequestPrefix, StringComparison.Ordinal) == true)
            {
                // The IdP's POST comes from another site, so the session cookie (SameSite) is not sent with it: the answer
                // goes, sealed and short-lived, to a same-site page that reads the account.
                var sealedAnswer = ConnectProtector(protection).Protect(
                    JsonSerializer.Serialize(new SamlConnectAnswer(organizationId, assertion.InResponseTo, assertion.Issuer, assertion.NameId, email, assertion.Name)),
                    ConnectAnswerLifetime);
                return Results.Redirect($"/saml/{organizationId:N}/connected?answer={Uri.EscapeDataString(sealedAnswer)}");
            }

            var relayState = form?["RelayState"].ToString();
            return await SsoEndpoints.ProvisionAndSignInAsync(
                identity, client.Client, assertion.Name, connecting: null, ReturnUrls.LocalOnly(relayState), provisioning, users, signIn, logger, ct);
        }
        catch (SamlRejectedException e)
        {
            LogRejected(logger, client.Client.OrganizationName, e.Reason, e.Message);
            return Results.Redirect(SsoFailure.PagePath(e.Reason));
        }
        catch (CryptographicException e)
        {
            LogRejected(logger, client.Client.OrganizationName, SamlErrors.BadSignature, e.Message);
            return Results.Redirect(SsoFailure.PagePath(SamlErrors.BadSignature));
        }
        finally
        {
            certificates.ForEach(c => c.Dispose());
        }
    }

    private static readonly TimeSpan ConnectAnswerLifetime = TimeSpan.FromMinutes(5);

    private static ITimeLimitedDataProtector ConnectProtector(IDataProtectionProvider protection) =>
        protection.CreateProtector("MultiOrg.Saml.ConnectAnswer").ToTimeLimitedDataProtector();

    /// <summary>
    /// The end of "Connect": the verified answer is linked to the signed-in account only if that account asked for this
    /// very request (a link to the request start sent by someone else connects nothing), then back to the account page.
    /// </summary>
    private static async Task<IResult> ConnectedAsync(
        string organization, string? answer, HttpContext http, SamlLookup saml, IDataProtectionProvider protection, SsoProvisioning provisioning,
        UserManager<AppUser> users, SignInManager<AppUser> signIn, ILoggerFactory loggers, CancellationToken ct)
    {
        SamlConnectAnswer? connect = null;
        try
        {
            connect = JsonSerializer.Deserialize<SamlConnectAnswer>(ConnectProtector(protection).Unprotect(answer ?? ""));
        }
        catch (Exception e) when (e is CryptographicException or JsonException)
        {
        }

        var session = await http.AuthenticateAsync(IdentityConstants.ApplicationScheme);
        var userId = session.Succeeded ? users.GetUserId(session.Principal!) : null;
        if (connect is null || userId is null || organization != connect.OrganizationId.ToString("N")
            || !await saml.TakeConnectAsync(connect.OrganizationId, connect.RequestId, userId, ct) || await saml.GetAsync(connect.OrganizationId, ct) is not { } client)
        {
            return Results.Redirect(SsoFailure.PagePath(SsoFailure.Failed));
        }

        return await SsoEndpoints.ProvisionAndSignInAsync(
            new SsoIdentity(connect.Issuer, connect.NameId, connect.Email), client.Client, connect.Name, userId, "/Account/Manage/ExternalLogins",
            provisioning, users, signIn, loggers.CreateLogger(typeof(SamlEndpoints)), ct);
    }

    private sealed record SamlConnectAnswer(Guid OrganizationId, string RequestId, string Issuer, string NameId, string Email, string? Name);

    [LoggerMessage(Level = LogLevel.Warning, Message = "SAML sign-in for {Organization} refused ({Reason}): {Detail}")]
    private static partial void LogRejected(ILogger logger, string organization, string reason, string detail);
}

/// <summary>The error page's reasons for a refused SAML response.</summary>
public static class SamlErrors
{
    public const string Invalid = "saml-invalid";
    public const string Unsigned = "saml-unsigned";
    public const string BadSignature = "saml-signature";
    public const string Expired = "saml-expired";
    public const string Audience = "saml-audience";
    public const string Destination = "saml-destination";
    public const string Replayed = "saml-replayed";
    public const string Unsolicited = "saml-unsolicited";
    public const string IdpRefused = "saml-idp-refused";
    public const string Encrypted = "saml-encrypted";
    public const string NameId = "saml-nameid";
}
