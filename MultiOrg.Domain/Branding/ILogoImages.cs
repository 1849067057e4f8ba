namespace MultiOrg.Domain.Branding;

/// <summary>A logo as it is stored: the image library's own encoding and the content type of that encoding.</summary>
public sealed record LogoImage(byte[] Content, string ContentType);

/// <summary>
/// Decodes an uploaded logo and encodes it afresh, so what is stored and served is pixels the library drew, never the
/// upload's bytes (a PNG header in front of HTML, camera metadata). Implemented in Web: the Domain stays free of the
/// native image library.
/// </summary>
public interface ILogoImages
{
    /// <summary>The re-encoded logo, or a validation error on "logo" when it cannot be decoded or is too large.</summary>
    LogoImage ReEncode(byte[] content);
}
