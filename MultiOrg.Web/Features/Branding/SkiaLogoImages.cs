using MultiOrg.Domain.Branding;
using MultiOrg.Domain.Errors;
using SkiaSharp;

namespace MultiOrg.Web.Features.Branding;

/// <summary>
/// Logos through SkiaSharp: only PNG and JPEG are decoded, the size is read from the header before any pixel is
/// allocated, and the output is a fresh PNG (JPEG for a JPEG upload) with no metadata, at most 512 px on its longest side.
/// </summary>
public sealed class SkiaLogoImages : ILogoImages
{
    /// <summary>Larger uploads are refused before decoding: 4096² RGBA is 64 MB of pixels for one request.</summary>
    public const int MaxInputSide = 4096;

    /// <summary>The app bar shows the logo at 32 px high; 512 leaves room for sharp rendering on dense screens.</summary>
    public const int MaxOutputSide = 512;

    private const int JpegQuality = 90;

    public LogoImage ReEncode(byte[] content)
    {
        using var data = SKData.CreateCopy(content);
        using var codec = SKCodec.Create(data);
        if (codec is null || codec.EncodedFormat is not (SKEncodedImageFormat.Png or SKEncodedImageFormat.Jpeg))
        {
            throw Unreadable();
        }

        var (width, height) = (codec.Info.Width, codec.Info.Height);
        if (width > MaxInputSide || height > MaxInputSide)
        {
            throw DomainException.Invalid("logo", $"Logo is {width}×{height} pixels; the limit is {MaxInputSide}×{MaxInputSide}.");
        }

        var info = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul);
        using var decoded = new SKBitmap(info);
        // A truncated or damaged file decodes partially (IncompleteInput): refused rather than stored half grey.
        if (codec.GetPixels(info, decoded.GetPixels()) != SKCodecResult.Success)
        {
            throw Unreadable();
        }

        decoded.SetImmutable();
        using var image = SKImage.FromBitmap(decoded);
        if (codec.EncodedFormat == SKEncodedImageFormat.Png)
        {
            using var png = Render(image, codec.EncodedOrigin, SKColors.Transparent).Encode(SKEncodedImageFormat.Png, 100);
            if (png.Size <= OrganizationBranding.MaxLogoBytes)
            {
                return new LogoImage(png.ToArray(), "image/png");
            }
        }

        // A JPEG upload, or a photo-like PNG too large as PNG: JPEG has no alpha, so transparency becomes white.
        using var jpeg = Render(image, codec.EncodedOrigin, SKColors.White).Encode(SKEncodedImageFormat.Jpeg, JpegQuality);
        return new LogoImage(jpeg.ToArray(), "image/jpeg");
    }

    private static DomainException Unreadable() =>
        DomainException.Invalid("logo", "Logo could not be read as a PNG or JPEG image; the file is damaged or is another kind of file.");

    /// <summary>Upright (the camera's orientation tag is applied, as it is not stored) and scaled to at most 512 px.</summary>
    private static SKImage Render(SKImage image, SKEncodedOrigin origin, SKColor background)
    {
        var sideways = origin is SKEncodedOrigin.LeftTop or SKEncodedOrigin.RightTop or SKEncodedOrigin.RightBottom or SKEncodedOrigin.LeftBottom;
        var (width, height) = sideways ? (image.Height, image.Width) : (image.Width, image.Height);
        var scale = Math.Min(1.0, (double)MaxOutputSide / Math.Max(width, height));
        var (outWidth, outHeight) = (Math.Max(1, (int)Math.Round(width * scale)), Math.Max(1, (int)Math.Round(height * scale)));

        using var surface = SKSurface.Create(new SKImageInfo(outWidth, outHeight, SKColorType.Rgba8888, SKAlphaType.Premul));
        var canvas = surface.Canvas;
        canvas.Clear(background);
        canvas.Scale((float)outWidth / width, (float)outHeight / height);
        var upright = Upright(origin, image.Width, image.Height);
        canvas.Concat(in upright);
        canvas.DrawImage(image, 0, 0, new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear));
        return surface.Snapshot();
    }

    /// <summary>Maps the stored pixels (w × h) to the upright picture, per the EXIF orientation values 1–8.</summary>
    private static SKMatrix Upright(SKEncodedOrigin origin, float w, float h) => origin switch
    {
        SKEncodedOrigin.TopRight => new SKMatrix(-1, 0, w, 0, 1, 0, 0, 0, 1),
        SKEncodedOrigin.BottomRight => new SKMatrix(-1, 0, w, 0, -1, h, 0, 0, 1),
        SKEncodedOrigin.BottomLeft => new SKMatrix(1, 0, 0, 0, -1, h, 0, 0, 1),
        SKEncodedOrigin.LeftTop => new SKMatrix(0, 1, 0, 1, 0, 0, 0, 0, 1),
        SKEncodedOrigin.RightTop => new SKMatrix(0, -1, h, 1, 0, 0, 0, 0, 1),
        SKEncodedOrigin.RightBottom => new SKMatrix(0, -1, h, -1, 0, w, 0, 0, 1),
        SKEncodedOrigin.LeftBottom => new SKMatrix(0, 1, 0, -1, 0, w, 0, 0, 1),
        _ => SKMatrix.Identity,
    };
}
