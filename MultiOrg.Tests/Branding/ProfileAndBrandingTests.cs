using MultiOrg.Domain.Branding;
using MultiOrg.Domain.Errors;
using MultiOrg.Domain.Invitations;
using MultiOrg.Domain.Organizations;
using MultiOrg.Tests.Harness;

namespace MultiOrg.Tests.Branding;

/// <summary>The organization profile and branding: who edits, what is refused (naming the field), what the invitation email uses.</summary>
public sealed class ProfileAndBrandingTests : IAsyncLifetime
{
    private static readonly byte[] Png = TestImages.Png();
    private static readonly byte[] Jpeg = TestImages.Jpeg();

    private readonly TestWorld world = new();
    private readonly Mailbox mailbox = new();
    private Actor owner = null!;
    private Actor member = null!;

    public async Task InitializeAsync()
    {
        Guid organizationId;
        (owner, organizationId) = await world.OrganizationAsync();
        member = await world.JoinAsync(owner, organizationId, "Mia", OrganizationRole.Member);
    }

    public Task DisposeAsync()
    {
        mailbox.Dispose();
        world.Dispose();
        return Task.CompletedTask;
    }

    private static OrganizationProfile Profile(string? website = "https://acme.example", string? email = "hello@acme.example", string? phone = "+44 20 7946 0000") =>
        new("We make anvils.", OrganizationType.Company, website, new ContactDetails("Olivia", email, phone, "1 Main St"), new ContactDetails("Bill", "billing@acme.example"));

    [Fact]
    public async Task Owner_edits_the_profile_and_every_member_reads_it()
    {
        await owner.Profile.UpdateAsync(Profile());

        var seen = await member.Profile.GetAsync();
        seen.Profile.Description.Should().Be("We make anvils.");
        seen.Profile.Type.Should().Be(OrganizationType.Company);
        seen.Profile.Website.Should().Be("https://acme.example/");
        seen.Profile.BillingContact.Email.Should().Be("billing@acme.example");
        seen.CanEdit.Should().BeFalse();
        (await Assert.ThrowsAsync<DomainException>(() => member.Profile.UpdateAsync(Profile()))).Kind.Should().Be(DomainErrorKind.Forbidden);
    }

    [Theory]
    [InlineData("acme.example", null, null, "website")]
    [InlineData("javascript:alert(1)", null, null, "website")]
    [InlineData("ftp://acme.example", null, null, "website")]
    [InlineData(null, "not-an-email", null, "contact.email")]
    [InlineData(null, null, "call me", "contact.phone")]
    public async Task An_invalid_profile_field_is_refused_by_name_and_nothing_is_saved(string? website, string? email, string? phone, string field)
    {
        await owner.Profile.UpdateAsync(Profile());

        var error = await Assert.ThrowsAsync<DomainException>(() => owner.Profile.UpdateAsync(
            Profile(website ?? "https://acme.example", email ?? "hello@acme.example", phone ?? "+44 20 7946 0000") with { Description = "Changed" }));

        error.Field.Should().Be(field);
        error.Kind.Should().Be(DomainErrorKind.Validation);
        (await owner.Profile.GetAsync()).Profile.Description.Should().Be("We make anvils.");
    }

    [Fact]
    public async Task Png_and_jpeg_logos_are_accepted_by_their_content()
    {
        await owner.Branding.SetLogoAsync(Png);
        (await owner.Branding.GetLogoAsync())!.ContentType.Should().Be("image/png");
        var pngVersion = (await member.Branding.GetThemeAsync()).LogoVersion;
        await owner.Branding.SetLogoAsync(Jpeg);
        (await member.Branding.GetLogoAsync())!.ContentType.Should().Be("image/jpeg");
        (await member.Branding.GetThemeAsync()).LogoVersion.Should().BeGreaterThan(pngVersion!.Value, "a new logo gets a new version, so browsers fetch it again");
    }

    [Fact]
    public async Task An_svg_logo_is_refused_with_a_message()
    {
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>"u8.ToArray();

        var error = await Assert.ThrowsAsync<DomainException>(() => owner.Branding.SetLogoAsync(svg));

        error.Field.Should().Be("logo");
        error.Message.Should().Contain("PNG or JPEG");
        (await owner.Branding.GetLogoAsync()).Should().BeNull();
    }

    [Fact]
    public async Task A_renamed_executable_is_refused_whatever_it_is_called()
    {
        byte[] executable = [0x4D, 0x5A, 0x90, 0x00, 0x03, 0x00, 0x00, 0x00, 0x04, 0x00];

        var error = await Assert.ThrowsAsync<DomainException>(() => owner.Branding.SetLogoAsync(executable));

        error.Field.Should().Be("logo");
        error.Message.Should().Contain("PNG or JPEG");
    }

    [Fact]
    public async Task A_png_header_followed_by_html_is_refused_naming_the_field()
    {
        byte[] disguised = [.. Png[..16], .. "<html><script>alert(1)</script></html>"u8];

        var error = await Assert.ThrowsAsync<DomainException>(() => owner.Branding.SetLogoAsync(disguised));

        error.Field.Should().Be("logo");
        error.Kind.Should().Be(DomainErrorKind.Validation);
        error.Message.Should().Contain("could not be read");
        (await owner.Branding.GetLogoAsync()).Should().BeNull();
    }

    [Fact]
    public async Task A_png_logo_is_stored_as_a_new_png_without_its_text_and_exif_chunks()
    {
        var original = TestImages.PngWithMetadata("GPS 51.5074N 0.1278W");
        using (var check = TestImages.Decode(original))
        {
            check.Width.Should().Be(64, "the test image with its extra chunks is a valid PNG");
        }

        await owner.Branding.SetLogoAsync(original);

        var stored = (await owner.Branding.GetLogoAsync())!;
        stored.ContentType.Should().Be("image/png");
        stored.Content.Should().StartWith(new byte[] { 0x89, 0x50, 0x4E, 0x47 });
        Contains(stored.Content, "GPS 51.5074N").Should().BeFalse("the location in the metadata is not stored");
        Contains(stored.Content, "tEXt").Should().BeFalse();
        Contains(stored.Content, "eXIf").Should().BeFalse();
        using var image = TestImages.Decode(stored.Content);
        (image.Width, image.Height).Should().Be((64, 32));
    }

    [Fact]
    public async Task A_jpeg_logo_is_accepted_and_re_encoded_without_its_exif()
    {
        var original = TestImages.JpegWithExif("GPS 48.8566N 2.3522E");

        await owner.Branding.SetLogoAsync(original);

        var stored = (await owner.Branding.GetLogoAsync())!;
        stored.ContentType.Should().Be("image/jpeg");
        stored.Content.Should().StartWith(new byte[] { 0xFF, 0xD8, 0xFF });
        stored.Content.Should().NotEqual(original);
        Contains(stored.Content, "GPS 48.8566N").Should().BeFalse("the location in the metadata is not stored");
        Contains(stored.Content, "Exif").Should().BeFalse();
        using var image = TestImages.Decode(stored.Content);
        (image.Width, image.Height).Should().Be((64, 32));
    }

    [Fact]
    public async Task A_photo_turned_by_its_exif_orientation_is_stored_upright_since_the_tag_is_dropped()
    {
        using (var check = TestImages.Decode(TestImages.JpegWithExif("GPS", orientation: 6)))
        {
            (check.Width, check.Height).Should().Be((64, 32), "the pixels are stored sideways; the tag says to turn them");
        }

        await owner.Branding.SetLogoAsync(TestImages.JpegWithExif("GPS", orientation: 6));

        using var image = TestImages.Decode((await owner.Branding.GetLogoAsync())!.Content);
        (image.Width, image.Height).Should().Be((32, 64));
    }

    [Fact]
    public async Task A_large_logo_is_scaled_down_to_512_pixels_on_its_longest_side()
    {
        await owner.Branding.SetLogoAsync(TestImages.Png(2000, 1000));

        using var image = TestImages.Decode((await owner.Branding.GetLogoAsync())!.Content);
        (image.Width, image.Height).Should().Be((512, 256));
    }

    [Fact]
    public async Task A_logo_wider_than_4096_pixels_is_refused_naming_the_field()
    {
        var error = await Assert.ThrowsAsync<DomainException>(() => owner.Branding.SetLogoAsync(TestImages.Png(5000, 10)));

        error.Field.Should().Be("logo");
        error.Message.Should().Contain("5000×10").And.Contain("4096");
        (await owner.Branding.GetLogoAsync()).Should().BeNull();
    }

    private static bool Contains(byte[] content, string text) =>
        content.AsSpan().IndexOf(System.Text.Encoding.ASCII.GetBytes(text)) >= 0;

    [Fact]
    public async Task A_logo_over_512_KB_is_refused_even_when_it_is_a_png()
    {
        var big = new byte[(512 * 1024) + 1];
        Png.CopyTo(big, 0);

        var error = await Assert.ThrowsAsync<DomainException>(() => owner.Branding.SetLogoAsync(big));

        error.Field.Should().Be("logo");
        error.Message.Should().Contain("512 KB");
    }

    [Fact]
    public async Task Only_owners_and_admins_change_branding()
    {
        (await Assert.ThrowsAsync<DomainException>(() => member.Branding.SetLogoAsync(Png))).Kind.Should().Be(DomainErrorKind.Forbidden);
        (await Assert.ThrowsAsync<DomainException>(() => member.Branding.SetPrimaryColorAsync("#1e40af"))).Kind.Should().Be(DomainErrorKind.Forbidden);
    }

    [Theory]
    [InlineData("blue")]
    [InlineData("#12345")]
    [InlineData("#gggggg")]
    [InlineData("#ffeb3b")]
    public async Task An_invalid_or_too_light_colour_is_refused_naming_the_field(string colour)
    {
        var error = await Assert.ThrowsAsync<DomainException>(() => owner.Branding.SetPrimaryColorAsync(colour));

        error.Field.Should().Be("primaryColor");
        (await owner.Branding.GetThemeAsync()).PrimaryColor.Should().BeNull();
    }

    [Fact]
    public async Task A_dark_enough_colour_becomes_the_theme_colour()
    {
        await owner.Branding.SetPrimaryColorAsync("#0F766E");

        (await member.Branding.GetThemeAsync()).PrimaryColor.Should().Be("#0f766e");
        BrandingRules.ContrastWithWhite("#0f766e").Should().BeGreaterThanOrEqualTo(BrandingRules.MinimumContrast);
    }

    [Fact]
    public async Task The_invitation_email_uses_the_organizations_template()
    {
        await owner.Branding.SetInvitationTemplateAsync("Join {{organization}}, {{name}}!", "Hi {{name}}, {{inviter}} wants you as {{role}}.\n\n{{link}}\n\nBye");
        var preview = await owner.Branding.PreviewInvitationAsync("Join {{organization}}, {{name}}!", "Hi {{name}}. {{link}}");
        preview.Subject.Should().Be("Join Acme, Alex Example!");

        await new InvitationWorld(world, owner, mailbox).Invitations.InviteAsync([new InviteRow(1, "newbie@example.test", Name: "Nia")]);

        var mail = mailbox.To("newbie@example.test").Single();
        mail.Subject.Should().Be("Join Acme, Nia!");
        mail.TextBody.Should().Contain("Hi Nia, Olivia wants you as MEMBER.").And.Contain(InvitationWorld.BaseUrl);
    }

    [Theory]
    [InlineData("Hello {{who}}", "{{link}}", "subject")]
    [InlineData("Hello", "No link here", "body")]
    [InlineData("", "{{link}}", "subject")]
    public async Task An_invalid_template_is_refused_naming_the_field(string subject, string body, string field)
    {
        var error = await Assert.ThrowsAsync<DomainException>(() => owner.Branding.SetInvitationTemplateAsync(subject, body));

        error.Field.Should().Be(field);
        (await owner.Branding.GetAsync()).IsCustomTemplate.Should().BeFalse();
    }
}
