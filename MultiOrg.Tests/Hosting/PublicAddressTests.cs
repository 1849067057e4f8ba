using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using MultiOrg.Web.Hosting;
using MultiOrg.Tests.Harness;

namespace MultiOrg.Tests.Hosting;

/// <summary>Links that leave the app (mail) start with App:PublicBaseUrl, never with the Host header a caller sends.</summary>
[Trait(TestDatabase.Trait, TestDatabase.Independent)]
public sealed partial class PublicAddressTests : IDisposable
{
    private const string PublicAddress = "https://multiorg.example/";
    private readonly Mailbox mailbox = new();

    public void Dispose() => mailbox.Dispose();

    private ApiFactory Factory(bool withPublicAddress = true, string? allowedHosts = "*")
    {
        var settings = new Dictionary<string, string> { ["Email:PickupDirectory"] = mailbox.Directory };
        if (withPublicAddress)
        {
            settings["App:PublicBaseUrl"] = PublicAddress;
        }

        if (allowedHosts is not null)
        {
            settings["AllowedHosts"] = allowedHosts;
        }

        return new ApiFactory(settings);
    }

    private static HttpClient ClientFor(ApiFactory factory, string host) =>
        factory.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri($"http://{host}/") });

    [Fact]
    public async Task A_password_reset_asked_for_with_a_forged_host_mails_a_link_on_the_public_address()
    {
        using var factory = Factory();
        var person = await factory.RegisterAsync("reset");
        using var attacker = ClientFor(factory, "evil.example");

        var response = await PostFormAsync(attacker, "/Account/ForgotPassword", "forgot-password", new() { ["Input.Email"] = person.Email });

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var link = mailbox.LinkTo(person.Email, "/Account/ResetPassword");
        link.Should().StartWith($"{PublicAddress}Account/ResetPassword?code=", "the reset link goes to the configured address, whatever Host the request named");
        Body(person.Email).Should().NotContain("evil.example");
    }

    [Fact]
    public async Task Confirmation_and_invitation_mails_asked_for_with_a_forged_host_link_to_the_public_address()
    {
        using var factory = Factory();
        var owner = await factory.RegisterAsync("owner");
        var organizationId = await owner.CreateOrganizationAsync("Linked");
        using var attacker = ClientFor(factory, "evil.example");
        attacker.DefaultRequestHeaders.Authorization = owner.Client.DefaultRequestHeaders.Authorization;

        (await attacker.PostAsJsonAsync("/api/auth/resendConfirmationEmail", new { email = owner.Email })).StatusCode.Should().Be(HttpStatusCode.OK);
        (await attacker.PostAsJsonAsync($"/api/organizations/{organizationId}/invitations", new { emails = new[] { "invited@example.test" }, role = "MEMBER" }))
            .StatusCode.Should().Be(HttpStatusCode.OK);

        mailbox.LinkTo(owner.Email, "confirmEmail").Should().StartWith($"{PublicAddress}api/auth/confirmEmail?");
        mailbox.LinkTo("invited@example.test").Should().StartWith($"{PublicAddress}Account/Invitation?token=");
        Body(owner.Email).Should().NotContain("evil.example");
        Body("invited@example.test").Should().NotContain("evil.example");
    }

    [Fact]
    public async Task Without_a_public_address_outside_production_links_use_the_apps_own_address_not_the_request_host()
    {
        using var factory = Factory(withPublicAddress: false, allowedHosts: null);
        var person = await factory.RegisterAsync("development");
        using var attacker = ClientFor(factory, "evil.example");

        await PostFormAsync(attacker, "/Account/ForgotPassword", "forgot-password", new() { ["Input.Email"] = person.Email });

        var link = new Uri(mailbox.LinkTo(person.Email, "/Account/ResetPassword"));
        link.Host.Should().Be("localhost", "the app's own listening address stands in, never the Host the request named");
        link.AbsolutePath.Should().Be("/Account/ResetPassword");
    }

    [Fact]
    public async Task With_a_public_address_other_host_names_are_refused_and_the_health_endpoints_answer_any_host()
    {
        using var factory = Factory(allowedHosts: null);
        using var forged = ClientFor(factory, "evil.example");
        using var byAddress = ClientFor(factory, "10.0.0.11:8080");
        using var proper = ClientFor(factory, "multiorg.example");

        (await forged.GetAsync("/Account/Login")).StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await forged.PostAsJsonAsync("/api/auth/forgotPassword", new { email = "someone@example.test" })).StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await byAddress.GetAsync("/Account/Login")).StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await proper.GetAsync("/Account/Login")).StatusCode.Should().Be(HttpStatusCode.OK);
        foreach (var health in new[] { "/health", "/health/live", "/health/ready" })
        {
            (await byAddress.GetAsync(health)).StatusCode.Should().Be(HttpStatusCode.OK, $"a balancer probes {health} by the server's address");
        }
    }

    [Fact]
    public void Production_refuses_to_start_without_a_public_address_and_says_what_to_set()
    {
        using var factory = new ApiFactory(new Dictionary<string, string> { ["environment"] = "Production" });

        var start = () => factory.CreateClient();

        var error = start.Should().Throw<Exception>().Which;
        Settings.IsSettingError(error).Should().BeTrue($"a missing public address is a settings error (one line), not {error}");
        Settings.Describe(error).Should().Be(
            "App:PublicBaseUrl must be set in Production to the address people open the app at, such as https://multiorg.example/ (App__PublicBaseUrl as an environment variable).");
    }

    private string Body(string email) => string.Join("\n", mailbox.To(email).Select(m => m.TextBody + m.HtmlBody));

    /// <summary>A statically rendered form as a browser posts it (antiforgery token included).</summary>
    private static async Task<HttpResponseMessage> PostFormAsync(HttpClient client, string path, string handler, Dictionary<string, string> fields)
    {
        var form = await client.GetStringAsync(path);
        var token = AntiforgeryField().Match(form);
        token.Success.Should().BeTrue($"the form carries an antiforgery token: {form}");
        fields["__RequestVerificationToken"] = WebUtility.HtmlDecode(token.Groups[1].Value);
        fields["_handler"] = handler;
        return await client.PostAsync(path, new FormUrlEncodedContent(fields));
    }

    [GeneratedRegex("<input[^>]*name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
